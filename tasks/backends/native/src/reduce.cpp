// Sum, mean, max and min over the middle axis of an [outer, r, inner] view.
#include <algorithm>
#include <cmath>
#include <vector>

#include "common.hpp"

namespace {

constexpr int64_t kWide = 64;

// Sums `len` contiguous floats, rows of `inner` < kWide values, into acc[inner]: row-by-row loops
// of 6 or 1 values do not vectorize (NHWC bias gradients over C = 6 ran at ~0.65 ns per value),
// so whole rows are added into `lanes` >= kWide double lanes first, then folded per column.
void sum_narrow_rows(const float* __restrict seg, int64_t len, int64_t inner, double* __restrict acc) {
  const int64_t lanes = inner * ((kWide + inner - 1) / inner);
  double wide[2 * kWide] = {0.0};
  int64_t k = 0;
  for (; k + lanes <= len; k += lanes) {
    for (int64_t m = 0; m < lanes; ++m) wide[m] += seg[k + m];
  }
  for (int64_t m = 0; k + m < len; ++m) wide[m] += seg[k + m];
  for (int64_t j = 0; j < inner; ++j) acc[j] = 0.0;
  for (int64_t m = 0; m < lanes; ++m) acc[m % inner] += wide[m];
}

}  // namespace

extern "C" {

/**
 * Reduces the middle axis of x viewed as [outer, r, inner] into y [outer, inner].
 * op: enum cn_reduce_op. Sums accumulate in double over fixed-size row chunks combined
 * in order, so the result does not depend on the thread count.
 */
int32_t cn_reduce(int32_t op, int32_t outer32, int32_t r32, int32_t inner32, const float* x,
                  float* y) {
  const int64_t outer = outer32, r = r32, inner = inner32;
  return cn::guarded("reduce", [&] {
    constexpr int64_t kChunk = 256;
    const int64_t chunks = (r + kChunk - 1) / kChunk;
    const bool is_sum = op == CN_REDUCE_OP_SUM || op == CN_REDUCE_OP_MEAN;
    if (!is_sum && op != CN_REDUCE_OP_MAX && op != CN_REDUCE_OP_MIN) {
      throw std::runtime_error("unknown reduce op " + std::to_string(op));
    }
    std::vector<double> part(static_cast<size_t>(outer * chunks * inner));
#pragma omp parallel for collapse(2) if (outer * r * inner > cn::kMathGrain)
    for (int64_t a = 0; a < outer; ++a) {
      for (int64_t c = 0; c < chunks; ++c) {
        double* acc = part.data() + (a * chunks + c) * inner;
        const int64_t r0 = c * kChunk, r1 = std::min(r, r0 + kChunk);
        const float* base = x + a * r * inner;
        if (is_sum && inner < kWide) {
          sum_narrow_rows(base + r0 * inner, (r1 - r0) * inner, inner, acc);
          continue;
        }
        for (int64_t j = 0; j < inner; ++j) acc[j] = is_sum ? 0.0 : base[r0 * inner + j];
        for (int64_t i = r0; i < r1; ++i) {
          const float* row = base + i * inner;
          if (is_sum) {
            for (int64_t j = 0; j < inner; ++j) acc[j] += row[j];
          } else if (op == CN_REDUCE_OP_MAX) {
            for (int64_t j = 0; j < inner; ++j) acc[j] = (row[j] > acc[j] || std::isnan(row[j])) ? row[j] : acc[j];
          } else {
            for (int64_t j = 0; j < inner; ++j) acc[j] = (row[j] < acc[j] || std::isnan(row[j])) ? row[j] : acc[j];
          }
        }
      }
    }
    for (int64_t a = 0; a < outer; ++a) {
      for (int64_t j = 0; j < inner; ++j) {
        double v = part[(a * chunks) * inner + j];
        for (int64_t c = 1; c < chunks; ++c) {
          const double w = part[(a * chunks + c) * inner + j];
          if (is_sum) v += w;
          else if (op == CN_REDUCE_OP_MAX) v = (w > v || std::isnan(w)) ? w : v;
          else v = (w < v || std::isnan(w)) ? w : v;
        }
        if (op == CN_REDUCE_OP_MEAN) v /= static_cast<double>(r);
        y[a * inner + j] = static_cast<float>(v);
      }
    }
  });
}
}
