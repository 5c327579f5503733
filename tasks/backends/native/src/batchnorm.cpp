// Batch normalization with given statistics, forward and gradient, over the last axis.
#include <algorithm>
#include <cmath>
#include <vector>

#include "common.hpp"

extern "C" {

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
