// One pass of the SGD and the Adam/AdamW update of tasks/train/create_optimizer.ts over a variable: the op
// by op version reads and writes the whole parameter set ~11 times per step (230 ms of a ~1.2 s
// ResNet-18 step). Each operation below rounds to float32 in the same order as those tfjs ops
// (no FMA contraction is possible on the baseline x86-64 ISA we compile for), so results match.
#include <cmath>

#include "common.hpp"

extern "C" {

/** Writes w1, m1, v1 (which may alias w, m, v); see cn_adam_params. */
int32_t cn_adam(const cn_adam_params* p, const float* w, const float* g, const float* m,
                const float* v, float* w1, float* m1, float* v1) {
  return cn::guarded("adam update", [&] {
    const int64_t n = p->n;
    const float beta1 = p->beta1, beta2 = p->beta2, eps = p->eps, step = p->step_size,
                bc2 = p->bias_correction2, l2 = p->l2, base_scale = p->base_scale;
    const float one_minus_b1 = p->one_minus_beta1, one_minus_b2 = p->one_minus_beta2;
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

/** Writes w1 (and buf1 with momentum; both may alias their inputs); see cn_sgd_params. */
int32_t cn_sgd(const cn_sgd_params* p, const float* w, const float* g, const float* buf,
               float* w1, float* buf1) {
  return cn::guarded("sgd update", [&] {
    const int64_t n = p->n;
    const bool decay = p->apply_decay != 0, momentum_on = p->has_momentum != 0,
               nesterov = p->nesterov != 0;
    const float lr = p->lr, momentum = p->momentum, wd = p->weight_decay;
#pragma omp parallel for if (n > cn::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) {
      const float gi = decay ? g[i] + w[i] * wd : g[i];
      float update = gi;
      if (momentum_on) {
        const float next = buf[i] * momentum + gi;
        buf1[i] = next;
        update = nesterov ? gi + next * momentum : next;
      }
      w1[i] = w[i] - update * lr;
    }
  });
}
}
