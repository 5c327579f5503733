// Unary activations and math, threaded in blocks that the compiler vectorizes.
#include <algorithm>
#include <cmath>

#include "common.hpp"

namespace {

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
}
