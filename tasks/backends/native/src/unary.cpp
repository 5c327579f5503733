// Unary activations and math, threaded in blocks that the compiler vectorizes.
//
// exp, expm1 and log are computed here rather than by libm: libm's scalar expf made Sigmoid on a
// [128, 28, 28, 6] activation cost ~1.4 ms, ten times a Multiply of the same size. The versions
// below are branch-free (so the loops vectorize) and within a few float ulps of the exact value;
// NaN and ±Inf map as in the cpu backend's Math.exp/Math.log.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "common.hpp"

// The transcendental loops get AVX-512 and AVX2 clones picked at load time, as the SSE2 baseline
// is hardly faster than libm (602K sigmoids, one thread: libm 1,090 µs; SSE2 1,020, AVX2 390,
// AVX-512 215); the library still runs on any x86-64. With -ffp-contract=off no clone fuses
// a*b+c, so all of them round identically. Clones need ifunc: GCC with glibc only.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__GLIBC__)
#define CN_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CN_SIMD_CLONES
#endif

namespace {

constexpr float kLog2e = 1.44269502f;
// ln 2 split so that n * kLn2Hi is exact for |n| < 256 (kLn2Hi has 16 significant bits).
constexpr float kLn2Hi = 0.693145751953125f;
constexpr float kLn2Lo = 1.42860677e-06f;
// Adding and subtracting 1.5 * 2^23 rounds a float below 2^22 in magnitude to an integer.
constexpr float kRoundMagic = 12582912.f;

inline float bits_to_float(int32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

inline int32_t float_to_bits(float f) {
  int32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

// 2^n for -126 <= n <= 127.
inline float pow2i(int32_t n) { return bits_to_float((n + 127) << 23); }

// expm1(r) for |r| <= ln2 / 2: r + r^2 q(r), q fitted for minimal relative error (~1.3e-8).
inline float expm1_reduced(float r) {
  const float q = 0.49999997f + r * (0.16666543f + r * (0.0416672f + r * (0.008366514f + r * 0.0013882522f)));
  return r + (r * r) * q;
}

// exp(x) = 2^n exp(r) with n = round(x / ln2). The clamp keeps n in [-150, 128]; 2^n is applied as
// two factors so both stay normal floats, which gives subnormal results and overflow to +Inf
// from one final rounding.
inline float exp_fast(float x) {
  float c = x < -104.f ? -104.f : (x > 89.f ? 89.f : x);
  c = c != c ? 0.f : c;  // NaN must not reach the float-to-int conversion
  const float fn = (c * kLog2e + kRoundMagic) - kRoundMagic;
  const int32_t n = static_cast<int32_t>(fn);
  const float r = (c - fn * kLn2Hi) - fn * kLn2Lo;
  const int32_t half = n >> 1;  // arithmetic shift: floor(n / 2)
  const float y = ((1.f + expm1_reduced(r)) * pow2i(half)) * pow2i(n - half);
  return x != x ? x : y;
}

// expm1(x) for x <= 0 (what ELU and tanh need): 2^n - 1 + 2^n expm1(r) keeps full relative
// precision near 0, where exp(x) - 1 would cancel. Below -30 the result rounds to -1.
inline float expm1_nonpositive(float x) {
  float c = x < -30.f ? -30.f : (x > 0.f ? 0.f : x);
  c = c != c ? 0.f : c;
  const float fn = (c * kLog2e + kRoundMagic) - kRoundMagic;
  const float r = (c - fn * kLn2Hi) - fn * kLn2Lo;
  const float s = pow2i(static_cast<int32_t>(fn));
  const float y = (s - 1.f) + s * expm1_reduced(r);
  return x != x ? x : y;
}

// 1 / (1 + exp(-x)) from e = exp(-|x|) <= 1, as e / (1 + e) for x < 0: no overflow, and tiny
// results (x near -100) keep their value instead of flushing to 0.
inline float sigmoid_fast(float x) {
  const float e = exp_fast(-std::fabs(x));
  return (x >= 0.f ? 1.f : e) / (1.f + e);
}

// tanh|x| = -t / (2 + t) with t = expm1(-2|x|), accurate for tiny |x| too; the sign is x's.
inline float tanh_fast(float x) {
  const float t = expm1_nonpositive(-2.f * std::fabs(x));
  return std::copysign(-t / (2.f + t), x);
}

// log x = k ln2 + log m with x = m 2^k, m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(s),
// s = (m - 1) / (m + 1), as 2s + s^3 p(s^2) (fitted, relative error ~1e-9).
inline float log_fast(float x) {
  const bool subnormal = x < 1.17549435e-38f;  // scale up so the exponent field holds it all
  const float xs = subnormal ? x * 8388608.f : x;
  const int32_t bits = float_to_bits(xs);
  const int32_t k = (bits - 0x3f3504f3) >> 23;  // 0x3f3504f3 is sqrt(1/2)
  const float m = bits_to_float(bits - (k << 23));
  const float e = static_cast<float>(k) - (subnormal ? 23.f : 0.f);
  const float f = m - 1.f;
  const float s = f / (2.f + f);
  const float s2 = s * s;
  const float logm = 2.f * s + (s * s2) * (0.66666776f + s2 * (0.39977574f + s2 * 0.29870936f));
  const float y = e * kLn2Hi + (logm + e * kLn2Lo);
  const float special = x < 0.f ? NAN : (x == 0.f ? -INFINITY : x);  // NaN and +Inf map to themselves
  return (x > 0.f && x < INFINITY) ? y : special;
}

template <typename Op>
void unary_block(int64_t n, const float* __restrict x, float* __restrict y, Op op) {
  for (int64_t i = 0; i < n; ++i) y[i] = op(x[i]);
}

CN_SIMD_CLONES void sigmoid_block(int64_t n, const float* __restrict x, float* __restrict y) {
  for (int64_t i = 0; i < n; ++i) y[i] = sigmoid_fast(x[i]);
}

CN_SIMD_CLONES void exp_block(int64_t n, const float* __restrict x, float* __restrict y) {
  for (int64_t i = 0; i < n; ++i) y[i] = exp_fast(x[i]);
}

CN_SIMD_CLONES void log_block(int64_t n, const float* __restrict x, float* __restrict y) {
  for (int64_t i = 0; i < n; ++i) y[i] = log_fast(x[i]);
}

CN_SIMD_CLONES void tanh_block(int64_t n, const float* __restrict x, float* __restrict y) {
  for (int64_t i = 0; i < n; ++i) y[i] = tanh_fast(x[i]);
}

CN_SIMD_CLONES void elu_block(int64_t n, const float* __restrict x, float* __restrict y) {
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] >= 0.f ? x[i] : expm1_nonpositive(x[i]);
}

// Blocks keep the vectorized loop outside OpenMP's outlined body, where GCC loses __restrict.
// `grain` is the element count above which a second thread pays for waking it (common.hpp).
template <typename Block>
void unary_all(int64_t n, const float* x, float* y, int64_t grain, Block block) {
  constexpr int64_t kBlock = 1 << 14;
  const int64_t blocks = (n + kBlock - 1) / kBlock;
#pragma omp parallel for if (n > grain)
  for (int64_t b = 0; b < blocks; ++b) {
    const int64_t start = b * kBlock;
    block(std::min(kBlock, n - start), x + start, y + start);
  }
}

// A streaming pass (a few cycles per element): threads only for large arrays.
template <typename Op>
void stream_all(int64_t n, const float* x, float* y, Op op) {
  unary_all(n, x, y, cn::kStreamGrain,
            [op](int64_t len, const float* bx, float* by) { unary_block(len, bx, by, op); });
}

void transcendental_all(int64_t n, const float* x, float* y, void (*block)(int64_t, const float*, float*)) {
  unary_all(n, x, y, cn::kMathGrain, block);
}

// Branch-free (both loads unconditional, & instead of &&) so the loop vectorizes; the branchy
// form ran ~15x slower on random data, one mispredicted branch per element.
void clip_grad_block(int64_t n, const float* __restrict x, const float* __restrict dy,
                     float* __restrict dx, float lo, float hi) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i], d = dy[i];  // both loaded unconditionally: no branch to keep
    dx[i] = ((v >= lo) & (v <= hi)) ? d : 0.f;
  }
}

// MurmurHash3's 32-bit finalizer; dropout_bits is tasks/ops/dropout.ts' dropoutBits, bit for bit.
inline uint32_t mix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

// 32-bit multiplies vectorize from AVX2 on (SSE2 has none), hence the clones.
CN_SIMD_CLONES void dropout_block(int64_t start, int64_t end, const float* __restrict x,
                                  float* __restrict y, uint32_t key_a, uint32_t key_b,
                                  uint32_t threshold, float scale) {
  for (int64_t i = start; i < end; ++i) {
    const uint32_t first = mix32((uint32_t(i) * 0x9e3779b9u) ^ key_a);
    const uint32_t bits = mix32(first + key_b) >> 8;
    y[i] = x[i] * (bits >= threshold ? scale : 0.f);
  }
}

}  // namespace

extern "C" {

/** y = f(x), f from enum cn_unary_op; step gives alpha where x <= 0, leaky relu slopes by alpha. */
int32_t cn_unary(int32_t op, int32_t n32, const float* x, float* y, float alpha) {
  const int64_t n = n32;
  return cn::guarded("unary op", [&] {
    switch (op) {
      case CN_UNARY_OP_RELU: stream_all(n, x, y, [](float v) { return v < 0.f ? 0.f : v; }); break;
      case CN_UNARY_OP_RELU6: stream_all(n, x, y, [](float v) { return v < 0.f ? 0.f : (v > 6.f ? 6.f : v); }); break;
      case CN_UNARY_OP_SIGMOID: transcendental_all(n, x, y, sigmoid_block); break;
      case CN_UNARY_OP_EXP: transcendental_all(n, x, y, exp_block); break;
      case CN_UNARY_OP_LOG: transcendental_all(n, x, y, log_block); break;
      case CN_UNARY_OP_SQRT: stream_all(n, x, y, [](float v) { return std::sqrt(v); }); break;
      case CN_UNARY_OP_RSQRT: stream_all(n, x, y, [](float v) { return 1.f / std::sqrt(v); }); break;
      case CN_UNARY_OP_SQUARE: stream_all(n, x, y, [](float v) { return v * v; }); break;
      case CN_UNARY_OP_NEG: stream_all(n, x, y, [](float v) { return -v; }); break;
      case CN_UNARY_OP_ABS: stream_all(n, x, y, [](float v) { return std::fabs(v); }); break;
      case CN_UNARY_OP_TANH: transcendental_all(n, x, y, tanh_block); break;
      case CN_UNARY_OP_STEP:
        // v != v is NaN; written without branches so the loop vectorizes.
        stream_all(n, x, y, [alpha](float v) { return v != v ? v : (v > 0.f ? 1.f : alpha); });
        break;
      case CN_UNARY_OP_ELU: transcendental_all(n, x, y, elu_block); break;
      case CN_UNARY_OP_RECIPROCAL: stream_all(n, x, y, [](float v) { return 1.f / v; }); break;
      case CN_UNARY_OP_LEAKY_RELU: stream_all(n, x, y, [alpha](float v) { return v < 0.f ? alpha * v : v; }); break;
      default: throw std::runtime_error("unknown unary op " + std::to_string(op));
    }
  });
}

/** y = min(max(x, lo), hi) in tfjs' order (above hi first), NaN kept: ClipByValue (ReLU6 layers). */
int32_t cn_clip(int32_t n32, const float* x, float* y, float lo, float hi) {
  const int64_t n = n32;
  return cn::guarded("clip by value", [&] {
    stream_all(n, x, y, [lo, hi](float v) { return v > hi ? hi : (v < lo ? lo : v); });
  });
}

/**
 * dx = dy where lo <= x <= hi, else 0: ClipByValue's gradient (tfjs: where(x >= lo && x <= hi,
 * dy, 0)), NaN in x giving 0 as there.
 */
int32_t cn_clip_grad(int32_t n32, const float* x, const float* dy, float* dx, float lo, float hi) {
  const int64_t n = n32;
  return cn::guarded("clip by value gradient", [&] {
    constexpr int64_t kBlock = 1 << 14;
    const int64_t blocks = (n + kBlock - 1) / kBlock;
#pragma omp parallel for if (n > cn::kStreamGrain)
    for (int64_t b = 0; b < blocks; ++b) {
      const int64_t start = b * kBlock, end = std::min(n, start + kBlock);
      clip_grad_block(end - start, x + start, dy + start, dx + start, lo, hi);
    }
  });
}

/** y = x * (keep(i) ? scale : 0): dropout with the mask of tasks/ops/dropout.ts, never stored. */
int32_t cn_dropout(int32_t n32, const float* x, float* y, int32_t seed32, int32_t threshold,
                   float scale) {
  const int64_t n = n32;
  return cn::guarded("dropout", [&] {
    const uint32_t seed = uint32_t(seed32);
    const uint32_t key_a = mix32(seed ^ 0x9e3779b9u), key_b = mix32(seed + 0x7f4a7c15u);
    constexpr int64_t kBlock = 1 << 14;
    const int64_t blocks = (n + kBlock - 1) / kBlock;
#pragma omp parallel for if (n > cn::kMathGrain)
    for (int64_t b = 0; b < blocks; ++b) {
      const int64_t start = b * kBlock, end = std::min(n, start + kBlock);
      dropout_block(start, end, x, y, key_a, key_b, uint32_t(threshold), scale);
    }
  });
}
}
