// Batched matrix products through oneDNN's multithreaded sgemm, with tfjs' batch broadcasting
// (a batch of 1 pairs with every batch of the other side) and an optional fused bias + activation.
#include <omp.h>

#include "common.hpp"


extern "C" {

/** c[b] = act(op(a[b]) x op(b[b]) + bias) for b in the output batch (bias length 0, 1 or n). */
int32_t cn_matmul(const cn_matmul_params* p, const float* a, const float* b, const float* bias,
                  float* c) {
  return cn::guarded("matmul", [&] {
    const int64_t ba = p->batch_a, bb = p->batch_b, m = p->m, n = p->n, k = p->k;
    const bool ta = p->transpose_a != 0, tb = p->transpose_b != 0;
    const int64_t bias_len = p->bias_length;
    const int act = p->activation;
    const float alpha = p->alpha;
    const int64_t batch = ba > bb ? ba : bb;
    // oneDNN's sgemm takes its thread count from omp_get_max_threads(); restored below.
    const int threads = omp_get_max_threads();
    if (m * n * k <= cn::kGemmGrain) omp_set_num_threads(1);
    for (int64_t i = 0; i < batch; ++i) {
      const float* ai = a + (ba == 1 ? 0 : i) * m * k;
      const float* bi = b + (bb == 1 ? 0 : i) * k * n;
      float* ci = c + i * m * n;
      const dnnl_status_t st = dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, 1.f, ai,
                                          ta ? m : k, bi, tb ? k : n, 0.f, ci, n);
      if (st != dnnl_success) {
        omp_set_num_threads(threads);
        throw dnnl::error(st, "dnnl_sgemm failed");
      }
    }
    omp_set_num_threads(threads);
    if (bias_len == 0 && act == 0) return;
    const int64_t rows = batch * m;
#pragma omp parallel for if (rows * n > cn::kParallelGrain)
    for (int64_t r = 0; r < rows; ++r) {
      float* row = c + r * n;
      for (int64_t j = 0; j < n; ++j) {
        float v = row[j];
        if (bias_len == 1) v += bias[0];
        else if (bias_len == n) v += bias[j];
        row[j] = cn::activate(act, v, alpha);
      }
    }
  });
}
}
