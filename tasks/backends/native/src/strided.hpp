// Broadcasting loops over an output shape whose operands are described by element strides
// (0 = broadcast), shared by the binary, copy and pad kernels.
#pragma once
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "common.hpp"

namespace cn {

constexpr int kMaxRank = 8;

// An output shape with one or two operands described by element strides (0 = broadcast).
struct Strided {
  int rank = 0;
  int64_t shape[kMaxRank];
  int64_t sa[kMaxRank];
  int64_t sb[kMaxRank];

  Strided(int r, const int32_t* shp, const int32_t* a, const int32_t* b) {
    if (r > kMaxRank) throw std::runtime_error("rank above 8 is not supported");
    // Drop size-1 dims and merge a dim into the next when both operands walk them contiguously.
    for (int i = 0; i < r; ++i) {
      if (shp[i] == 1) continue;
      const int64_t ai = a[i], bi = b ? b[i] : 0;
      if (rank > 0 && sa[rank - 1] == ai * shp[i] && sb[rank - 1] == bi * shp[i]) {
        shape[rank - 1] *= shp[i];
        sa[rank - 1] = ai;
        sb[rank - 1] = bi;
        continue;
      }
      shape[rank] = shp[i];
      sa[rank] = ai;
      sb[rank] = bi;
      ++rank;
    }
    if (rank == 0) {
      shape[0] = 1;
      sa[0] = sb[0] = 0;
      rank = 1;
    }
  }

  int64_t inner() const { return shape[rank - 1]; }
  int64_t outer() const {
    int64_t o = 1;
    for (int i = 0; i < rank - 1; ++i) o *= shape[i];
    return o;
  }
  // Operand offsets of the first element of outer row `o`.
  void offsets(int64_t o, int64_t& oa, int64_t& ob) const {
    oa = ob = 0;
    for (int i = rank - 2; i >= 0; --i) {
      const int64_t idx = o % shape[i];
      o /= shape[i];
      oa += idx * sa[i];
      ob += idx * sb[i];
    }
  }
};

template <typename Op>
void binary_row(int64_t inner, int64_t ia, int64_t ib, const float* __restrict pa,
                const float* __restrict pb, float* __restrict po, Op op) {
  if (ia == 1 && ib == 1) {
    for (int64_t j = 0; j < inner; ++j) po[j] = op(pa[j], pb[j]);
  } else if (ia == 1 && ib == 0) {
    const float vb = pb[0];
    for (int64_t j = 0; j < inner; ++j) po[j] = op(pa[j], vb);
  } else if (ia == 0 && ib == 1) {
    const float va = pa[0];
    for (int64_t j = 0; j < inner; ++j) po[j] = op(va, pb[j]);
  } else {
    for (int64_t j = 0; j < inner; ++j) po[j] = op(pa[j * ia], pb[j * ib]);
  }
}

// Each thread takes a contiguous range of output elements and steps the operands' offsets like
// an odometer: per-row div/mod cost more than the row itself for NHWC x [C] broadcasts (C = 6).
// Ranges may start and end inside a row, so same-shape operands (one merged row) split too.
template <typename Op>
void binary_rows(const Strided& s, const float* a, const float* b, float* out, Op op) {
  const int64_t inner = s.inner(), outer = s.outer(), total = inner * outer;
  const int64_t ia = s.sa[s.rank - 1], ib = s.sb[s.rank - 1];
  const int last = s.rank - 2;  // innermost of the outer dims
  if (total == 0) return;
  // Long unit-stride rows stream; short or strided rows (transposes) cost more per element.
  const bool b_cycles = s.rank == 2 && ia == 1 && ib == 1 && s.sa[0] == inner && s.sb[0] == 0;
  const bool a_cycles = s.rank == 2 && ia == 1 && ib == 1 && s.sa[0] == 0 && s.sb[0] == inner;
  const bool streaming = ia <= 1 && ib <= 1 && (inner >= 64 || b_cycles || a_cycles);
#pragma omp parallel if (total > (streaming ? cn::kStreamGrain : cn::kMathGrain))
  {
    const int64_t nt = omp_get_num_threads(), t = omp_get_thread_num();
    if (inner < 64 && (b_cycles || a_cycles)) {
      // [rows, C] with a [C] operand and small C: repeat the short side to ~256 values once,
      // then run long vectorizable rows against it (whole rows per thread keep it aligned).
      const int64_t begin = outer * t / nt, end = outer * (t + 1) / nt;
      const float* full = b_cycles ? a : b;
      const float* cyc = b_cycles ? b : a;
      const int64_t reps = (256 + inner - 1) / inner, span = reps * inner;
      float tiled[256 + 64];
      for (int64_t j = 0; j < span; ++j) tiled[j] = cyc[j % inner];
      for (int64_t i = begin * inner; i < end * inner; i += span) {
        const int64_t len = std::min(span, end * inner - i);
        if (b_cycles) binary_row(len, 1, 1, full + i, tiled, out + i, op);
        else binary_row(len, 1, 1, tiled, full + i, out + i, op);
      }
    } else {
      const int64_t begin = total * t / nt, end = total * (t + 1) / nt;
      int64_t idx[kMaxRank] = {0};
      int64_t oa = 0, ob = 0;
      for (int64_t i = last, rem = begin / inner; i >= 0; --i) {
        idx[i] = rem % s.shape[i];
        rem /= s.shape[i];
        oa += idx[i] * s.sa[i];
        ob += idx[i] * s.sb[i];
      }
      for (int64_t pos = begin, j = begin % inner; pos < end; j = 0) {
        const int64_t len = std::min(inner - j, end - pos);
        binary_row(len, ia, ib, a + oa + j * ia, b + ob + j * ib, out + pos, op);
        pos += len;
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
}

}  // namespace cn
