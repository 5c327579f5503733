// Element-wise kernels that dominate training profiles once convolutions are native: broadcasting
// binary ops and strided copies (tile, transpose), unary activations, axis reductions and the
// batch-norm affine transform. All threaded with OpenMP above a size threshold.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "common.hpp"

namespace {

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

// Each thread takes a contiguous range of output rows and steps the operands' offsets like an
// odometer: per-row div/mod cost more than the row itself for NHWC x [C] broadcasts (C = 6).
template <typename Op>
void binary_rows(const Strided& s, const float* a, const float* b, float* out, Op op) {
  const int64_t inner = s.inner(), outer = s.outer();
  const int64_t ia = s.sa[s.rank - 1], ib = s.sb[s.rank - 1];
  const int last = s.rank - 2;  // innermost of the outer dims
#pragma omp parallel if (inner * outer > cn::kParallelGrain)
  {
    const int64_t nt = omp_get_num_threads(), t = omp_get_thread_num();
    const int64_t begin = outer * t / nt, end = outer * (t + 1) / nt;
    const bool b_cycles = s.rank == 2 && ia == 1 && ib == 1 && s.sa[0] == inner && s.sb[0] == 0;
    const bool a_cycles = s.rank == 2 && ia == 1 && ib == 1 && s.sa[0] == 0 && s.sb[0] == inner;
    if (begin < end && inner < 64 && (b_cycles || a_cycles)) {
      // [rows, C] with a [C] operand and small C: repeat the short side to ~256 values once,
      // then run long vectorizable rows against it.
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
    } else if (begin < end) {
      int64_t idx[kMaxRank] = {0};
      int64_t oa = 0, ob = 0;
      for (int64_t i = last, rem = begin; i >= 0; --i) {
        idx[i] = rem % s.shape[i];
        rem /= s.shape[i];
        oa += idx[i] * s.sa[i];
        ob += idx[i] * s.sb[i];
      }
      for (int64_t o = begin; o < end; ++o) {
        binary_row(inner, ia, ib, a + oa, b + ob, out + o * inner, op);
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

template <typename Op>
void unary_block(int64_t n, const float* __restrict x, float* __restrict y, Op op) {
  for (int64_t i = 0; i < n; ++i) y[i] = op(x[i]);
}

// Blocks keep the vectorized loop outside OpenMP's outlined body, where GCC loses __restrict.
template <typename Op>
void unary_all(int64_t n, const float* x, float* y, Op op) {
  constexpr int64_t kBlock = 1 << 14;
  const int64_t blocks = (n + kBlock - 1) / kBlock;
#pragma omp parallel for if (n > cn::kParallelGrain)
  for (int64_t b = 0; b < blocks; ++b) {
    const int64_t start = b * kBlock;
    unary_block(std::min(kBlock, n - start), x + start, y + start, op);
  }
}

}  // namespace

extern "C" {

/**
 * out = a OP b with broadcasting expressed as strides over the output shape.
 * op: 0 add, 1 sub, 2 mul, 3 div, 4 max, 5 min, 6 squared difference.
 */
int cn_binary(int op, int rank, const int32_t* shape, const int32_t* sa, const int32_t* sb,
              const float* a, const float* b, float* out) {
  return cn::guarded("binary op", [&] {
    const Strided s(rank, shape, sa, sb);
    switch (op) {
      case 0: binary_rows(s, a, b, out, [](float x, float y) { return x + y; }); break;
      case 1: binary_rows(s, a, b, out, [](float x, float y) { return x - y; }); break;
      case 2: binary_rows(s, a, b, out, [](float x, float y) { return x * y; }); break;
      case 3: binary_rows(s, a, b, out, [](float x, float y) { return x / y; }); break;
      case 4:
        binary_rows(s, a, b, out, [](float x, float y) {
          return (std::isnan(x) || std::isnan(y)) ? NAN : (x > y ? x : y);
        });
        break;
      case 5:
        binary_rows(s, a, b, out, [](float x, float y) {
          return (std::isnan(x) || std::isnan(y)) ? NAN : (x < y ? x : y);
        });
        break;
      case 6: binary_rows(s, a, b, out, [](float x, float y) { return (x - y) * (x - y); }); break;
      default: throw std::runtime_error("unknown binary op " + std::to_string(op));
    }
  });
}

/** out[i] = x[strided position of i]: tile, transpose and broadcast copies. */
int cn_copy(int rank, const int32_t* shape, const int32_t* sx, const float* x, float* out) {
  return cn::guarded("strided copy", [&] {
    const Strided s(rank, shape, sx, nullptr);
    binary_rows(s, x, x, out, [](float v, float) { return v; });
  });
}

/**
 * y = f(x). op: 0 relu, 1 relu6, 2 sigmoid, 3 exp, 4 log, 5 sqrt, 6 rsqrt, 7 square, 8 neg,
 * 9 abs, 10 tanh, 11 step (alpha where x <= 0), 12 elu, 13 reciprocal, 14 leaky relu (alpha).
 */
int cn_unary(int op, int32_t n32, const float* x, float* y, float alpha) {
  const int64_t n = n32;
  return cn::guarded("unary op", [&] {
    switch (op) {
      case 0: unary_all(n, x, y, [](float v) { return v < 0.f ? 0.f : v; }); break;
      case 1: unary_all(n, x, y, [](float v) { return v < 0.f ? 0.f : (v > 6.f ? 6.f : v); }); break;
      case 2: unary_all(n, x, y, [](float v) { return 1.f / (1.f + std::exp(-v)); }); break;
      case 3: unary_all(n, x, y, [](float v) { return std::exp(v); }); break;
      case 4: unary_all(n, x, y, [](float v) { return std::log(v); }); break;
      case 5: unary_all(n, x, y, [](float v) { return std::sqrt(v); }); break;
      case 6: unary_all(n, x, y, [](float v) { return 1.f / std::sqrt(v); }); break;
      case 7: unary_all(n, x, y, [](float v) { return v * v; }); break;
      case 8: unary_all(n, x, y, [](float v) { return -v; }); break;
      case 9: unary_all(n, x, y, [](float v) { return std::fabs(v); }); break;
      case 10: unary_all(n, x, y, [](float v) { return std::tanh(v); }); break;
      case 11:
        // v != v is NaN; written without branches so the loop vectorizes.
        unary_all(n, x, y, [alpha](float v) { return v != v ? v : (v > 0.f ? 1.f : alpha); });
        break;
      case 12: unary_all(n, x, y, [](float v) { return v >= 0.f ? v : std::expm1(v); }); break;
      case 13: unary_all(n, x, y, [](float v) { return 1.f / v; }); break;
      case 14: unary_all(n, x, y, [alpha](float v) { return v < 0.f ? alpha * v : v; }); break;
      default: throw std::runtime_error("unknown unary op " + std::to_string(op));
    }
  });
}

/**
 * Reduces the middle axis of x viewed as [outer, r, inner] into y [outer, inner].
 * op: 0 sum, 1 mean, 2 max, 3 min. Sums accumulate in double over fixed-size row chunks combined
 * in order, so the result does not depend on the thread count.
 */
int cn_reduce(int op, int32_t outer32, int32_t r32, int32_t inner32, const float* x, float* y) {
  const int64_t outer = outer32, r = r32, inner = inner32;
  return cn::guarded("reduce", [&] {
    constexpr int64_t kChunk = 256;
    const int64_t chunks = (r + kChunk - 1) / kChunk;
    const bool is_sum = op <= 1;
    std::vector<double> part(static_cast<size_t>(outer * chunks * inner));
#pragma omp parallel for collapse(2) if (outer * r * inner > cn::kParallelGrain)
    for (int64_t a = 0; a < outer; ++a) {
      for (int64_t c = 0; c < chunks; ++c) {
        double* acc = part.data() + (a * chunks + c) * inner;
        const int64_t r0 = c * kChunk, r1 = std::min(r, r0 + kChunk);
        const float* base = x + a * r * inner;
        for (int64_t j = 0; j < inner; ++j) acc[j] = is_sum ? 0.0 : base[r0 * inner + j];
        for (int64_t i = r0; i < r1; ++i) {
          const float* row = base + i * inner;
          if (is_sum) {
            for (int64_t j = 0; j < inner; ++j) acc[j] += row[j];
          } else if (op == 2) {
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
          else if (op == 2) v = (w > v || std::isnan(w)) ? w : v;
          else v = (w < v || std::isnan(w)) ? w : v;
        }
        if (op == 1) v /= static_cast<double>(r);
        y[a * inner + j] = static_cast<float>(v);
      }
    }
  });
}

/**
 * y = offset + (x - mean) * scale / sqrt(variance + eps) over rows of `channels` values; each
 * statistic has length 1 or `channels` (offset and scale may have length 0: 0 and 1).
 */
int cn_batchnorm(int32_t rows32, int32_t channels32, const float* x, const float* mean, int32_t lm,
                 const float* var, int32_t lv, const float* offset, int32_t lo,
                 const float* scale, int32_t ls, float eps, float* y) {
  const int64_t rows = rows32, channels = channels32;
  return cn::guarded("batch norm", [&] {
    std::vector<float> mul(channels), add(channels);
    for (int64_t c = 0; c < channels; ++c) {
      const float m = mean[lm == 1 ? 0 : c];
      const float v = var[lv == 1 ? 0 : c];
      const float s = ls == 0 ? 1.f : scale[ls == 1 ? 0 : c];
      const float o = lo == 0 ? 0.f : offset[lo == 1 ? 0 : c];
      mul[c] = s / std::sqrt(v + eps);
      add[c] = o - m * mul[c];
    }
#pragma omp parallel for if (rows * channels > cn::kParallelGrain)
    for (int64_t i = 0; i < rows; ++i) {
      const float* xr = x + i * channels;
      float* yr = y + i * channels;
      for (int64_t c = 0; c < channels; ++c) yr[c] = xr[c] * mul[c] + add[c];
    }
  });
}
}

extern "C" {

/**
 * Pads x of `shape` with `before`/`after` cells of `value` per dim into out (rank <= 8).
 * Output rows (last dim) are independent, so they are split among threads.
 */
int cn_pad(int rank, const int32_t* shape, const int32_t* before, const int32_t* after,
           const float* x, float* out, float value) {
  return cn::guarded("pad", [&] {
    if (rank < 1 || rank > kMaxRank) throw std::runtime_error("pad needs rank 1 to 8");
    int64_t oshape[kMaxRank], xstride[kMaxRank];
    int64_t s = 1;
    for (int i = rank - 1; i >= 0; --i) {
      oshape[i] = int64_t(before[i]) + shape[i] + after[i];
      xstride[i] = s;
      s *= shape[i];
    }
    const int64_t inner = oshape[rank - 1];
    int64_t rows = 1;
    for (int i = 0; i < rank - 1; ++i) rows *= oshape[i];
#pragma omp parallel for if (rows * inner > cn::kParallelGrain)
    for (int64_t r = 0; r < rows; ++r) {
      float* row = out + r * inner;
      int64_t rem = r, src = 0;
      bool inside = true;
      for (int i = rank - 2; i >= 0; --i) {
        const int64_t idx = rem % oshape[i] - before[i];
        rem /= oshape[i];
        if (idx < 0 || idx >= shape[i]) inside = false;
        src += idx * xstride[i];
      }
      if (!inside) {
        std::fill(row, row + inner, value);
        continue;
      }
      std::fill(row, row + before[rank - 1], value);
      std::copy(x + src, x + src + shape[rank - 1], row + before[rank - 1]);
      std::fill(row + before[rank - 1] + shape[rank - 1], row + inner, value);
    }
  });
}
}

extern "C" {

/**
 * Gradients of y = offset + (x - mean) * scale / sqrt(var + eps) over rows of `channels`, with
 * per-channel mean, var and scale (scale length 0 means 1): dx, and the per-channel dmean, dvar,
 * dscale, doffset. Two passes instead of the ~12 full-size ops of tfjs' gradient; channel sums
 * accumulate in double over fixed row chunks (thread-count independent).
 */
int cn_batchnorm_grad(int32_t rows32, int32_t channels32, const float* x, const float* dy,
                      const float* mean, const float* var, const float* scale, int32_t ls,
                      float eps, float* dx, float* dmean, float* dvar, float* dscale,
                      float* doffset) {
  const int64_t rows = rows32, channels = channels32;
  return cn::guarded("batch norm gradient", [&] {
    constexpr int64_t kChunk = 256;
    const int64_t chunks = (rows + kChunk - 1) / kChunk;
    std::vector<double> part(static_cast<size_t>(chunks * channels * 2));
#pragma omp parallel for if (rows * channels > cn::kParallelGrain)
    for (int64_t k = 0; k < chunks; ++k) {
      double* s1 = part.data() + k * channels * 2;
      double* s2 = s1 + channels;
      std::fill(s1, s1 + channels * 2, 0.0);
      const int64_t r1 = std::min(rows, (k + 1) * kChunk);
      for (int64_t r = k * kChunk; r < r1; ++r) {
        const float* xr = x + r * channels;
        const float* dr = dy + r * channels;
        for (int64_t c = 0; c < channels; ++c) {
          s1[c] += dr[c];
          s2[c] += double(dr[c]) * double(xr[c] - mean[c]);
        }
      }
    }
    std::vector<float> factor(channels);
    for (int64_t c = 0; c < channels; ++c) {
      double s1 = 0, s2 = 0;
      for (int64_t k = 0; k < chunks; ++k) {
        s1 += part[k * channels * 2 + c];
        s2 += part[k * channels * 2 + channels + c];
      }
      const float r = 1.f / std::sqrt(var[c] + eps);
      const float s = ls == 0 ? 1.f : scale[ls == 1 ? 0 : c];
      dmean[c] = static_cast<float>(-double(r) * s * s1);
      dvar[c] = static_cast<float>(-0.5 * double(r) * r * r * s * s2);
      dscale[c] = static_cast<float>(double(r) * s2);
      doffset[c] = static_cast<float>(s1);
      factor[c] = r * s;
    }
#pragma omp parallel for if (rows * channels > cn::kParallelGrain)
    for (int64_t r = 0; r < rows; ++r) {
      const float* dr = dy + r * channels;
      float* out = dx + r * channels;
      for (int64_t c = 0; c < channels; ++c) out[c] = dr[c] * factor[c];
    }
  });
}
}
