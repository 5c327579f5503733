// One pass of the Adam/AdamW update of tasks/train/create_optimizer.ts over a variable: the op
// by op version reads and writes the whole parameter set ~11 times per step (230 ms of a ~1.2 s
// ResNet-18 step). Each operation below rounds to float32 in the same order as those tfjs ops
// (no FMA contraction is possible on the baseline x86-64 ISA we compile for), so results match.
#include <cmath>

#include "common.hpp"

extern "C" {

/**
 * h = [beta1, beta2, eps, stepSize, sqrt(1 - beta2^t), l2 (added to g), baseScale (w factor),
 * 1 - beta1, 1 - beta2], the differences taken in double as JavaScript does before tfjs rounds.
 * Writes w1, m1, v1 (which may alias w, m, v).
 */
int cn_adam(int32_t n32, const float* w, const float* g, const float* m, const float* v,
            const float* h, float* w1, float* m1, float* v1) {
  return cn::guarded("adam update", [&] {
    const int64_t n = n32;
    const float beta1 = h[0], beta2 = h[1], eps = h[2], step = h[3], bc2 = h[4], l2 = h[5],
                base_scale = h[6];
    const float one_minus_b1 = h[7], one_minus_b2 = h[8];
#pragma omp parallel for if (n > cn::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) {
      const float gi = l2 != 0.f ? g[i] + w[i] * l2 : g[i];
      const float mi = m[i] * beta1 + gi * one_minus_b1;
      const float vi = v[i] * beta2 + (gi * gi) * one_minus_b2;
      const float denom = std::sqrt(vi) / bc2 + eps;
      const float base = base_scale != 1.f ? w[i] * base_scale : w[i];
      m1[i] = mi;
      v1[i] = vi;
      w1[i] = base - (mi / denom) * step;
    }
  });
}
}
