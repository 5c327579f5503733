// Broadcasting binary ops and strided copies (Tile, Transpose, Slice, SplitV, Concat) on float32
// tensors.
#include <cmath>
#include <cstring>

#include "strided.hpp"

using cn::binary_rows;
using cn::Strided;

namespace {

// out[pos_b] = x[pos_a] for every index of the shape: rows of the innermost merged dim, split
// among threads by whole rows (or, for one contiguous run, by ranges of it).
void copy_rows(const Strided& s, const float* x, float* out) {
  const int64_t inner = s.inner(), outer = s.outer();
  const int64_t ia = s.sa[s.rank - 1], ib = s.sb[s.rank - 1];
  const int64_t total = inner * outer;
  if (total == 0) return;
  const bool streaming = ia == 1 && ib == 1 && inner >= 64;
  if (outer == 1 && ia == 1 && ib == 1) {
    constexpr int64_t kChunk = 1 << 16;
    const int64_t chunks = (inner + kChunk - 1) / kChunk;
#pragma omp parallel for if (total > cn::kStreamGrain)
    for (int64_t k = 0; k < chunks; ++k) {
      const int64_t start = k * kChunk, len = std::min(kChunk, inner - start);
      std::memcpy(out + start, x + start, size_t(len) * sizeof(float));
    }
    return;
  }
  const int last = s.rank - 2;
#pragma omp parallel if (total > (streaming ? cn::kStreamGrain : cn::kMathGrain))
  {
    const int64_t nt = omp_get_num_threads(), t = omp_get_thread_num();
    const int64_t begin = outer * t / nt, end = outer * (t + 1) / nt;
    int64_t idx[cn::kMaxRank] = {0};
    int64_t oa = 0, ob = 0;
    for (int64_t i = last, rem = begin; i >= 0; --i) {
      idx[i] = rem % s.shape[i];
      rem /= s.shape[i];
      oa += idx[i] * s.sa[i];
      ob += idx[i] * s.sb[i];
    }
    for (int64_t r = begin; r < end; ++r) {
      const float* __restrict src = x + oa;
      float* __restrict dst = out + ob;
      if (ia == 1 && ib == 1) {
        std::memcpy(dst, src, size_t(inner) * sizeof(float));
      } else {
        for (int64_t j = 0; j < inner; ++j) dst[j * ib] = src[j * ia];
      }
      for (int i = last; i >= 0; --i) {
        oa += s.sa[i];
        ob += s.sb[i];
        if (++idx[i] < s.shape[i]) break;
        oa -= s.sa[i] * s.shape[i];
        ob -= s.sb[i] * s.shape[i];
        idx[i] = 0;
      }
    }
  }
}

}  // namespace

extern "C" {

/**
 * out = a OP b with broadcasting expressed as strides over the output shape (enum cn_binary_op).
 * MUL_STEP is a * step(b) (ReLU's gradient); SIGMOID_GRAD a * (b * (1 - b)) and TANH_GRAD
 * (1 - b * b) * a are the gradients of sigmoid and tanh (dy = a, y = b) in one pass, rounded in the
 * order of tfjs' ops for them.
 */
int32_t cn_binary(int32_t op, const cn_strided_params* p, const float* a, const float* b,
                  float* out) {
  return cn::guarded("binary op", [&] {
    const Strided s(p->rank, p->shape, p->stride_a, p->stride_b);
    switch (op) {
      case CN_BINARY_OP_ADD: binary_rows(s, a, b, out, [](float x, float y) { return x + y; }); break;
      case CN_BINARY_OP_SUB: binary_rows(s, a, b, out, [](float x, float y) { return x - y; }); break;
      case CN_BINARY_OP_MUL: binary_rows(s, a, b, out, [](float x, float y) { return x * y; }); break;
      case CN_BINARY_OP_DIV: binary_rows(s, a, b, out, [](float x, float y) { return x / y; }); break;
      case CN_BINARY_OP_MAX:
        binary_rows(s, a, b, out, [](float x, float y) {
          return (std::isnan(x) || std::isnan(y)) ? NAN : (x > y ? x : y);
        });
        break;
      case CN_BINARY_OP_MIN:
        binary_rows(s, a, b, out, [](float x, float y) {
          return (std::isnan(x) || std::isnan(y)) ? NAN : (x < y ? x : y);
        });
        break;
      case CN_BINARY_OP_SQUARED_DIFFERENCE:
        binary_rows(s, a, b, out, [](float x, float y) { return (x - y) * (x - y); });
        break;
      case CN_BINARY_OP_MUL_STEP:  // NaN stays NaN
        binary_rows(s, a, b, out, [](float x, float y) { return y != y ? x * y : (y > 0.f ? x : 0.f * x); });
        break;
      case CN_BINARY_OP_SIGMOID_GRAD:
        binary_rows(s, a, b, out, [](float x, float y) { return x * (y * (1.f - y)); });
        break;
      case CN_BINARY_OP_TANH_GRAD:
        binary_rows(s, a, b, out, [](float x, float y) { return (1.f - y * y) * x; });
        break;
      default: throw std::runtime_error("unknown binary op " + std::to_string(op));
    }
  });
}

/** out[position under stride_b] = x[position under stride_a] for every index of p's shape. */
int32_t cn_copy(const cn_strided_params* p, const float* x, float* out) {
  return cn::guarded("strided copy", [&] {
    const Strided s(p->rank, p->shape, p->stride_a, p->stride_b);
    copy_rows(s, x, out);
  });
}
}
