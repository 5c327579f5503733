// Batch normalization with given statistics, forward and gradient, over the last axis.
#include <algorithm>
#include <cmath>
#include <vector>

#include "common.hpp"

namespace {

// y = x * mul + add per channel over rows of `channels`: the streaming pass of both forwards.
void scale_shift(int64_t rows, int64_t channels, const float* x, const std::vector<float>& mul,
                 const std::vector<float>& add, float* y) {
#pragma omp parallel for if (rows * channels > cn::kStreamGrain)
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * channels;
    float* yr = y + r * channels;
    for (int64_t c = 0; c < channels; ++c) yr[c] = xr[c] * mul[c] + add[c];
  }
}

// Rows per partial sum: channel sums add fixed chunks in a fixed order, so results do not depend
// on the thread count.
constexpr int64_t kStatChunk = 256;

// Per-channel sums over rows of `channels`: s1 = Σ f1(r, c), s2 = Σ f2(r, c), in double.
template <typename F>
void channel_sums(int64_t rows, int64_t channels, std::vector<double>& s1, std::vector<double>& s2,
                  F&& accumulate) {
  const int64_t chunks = (rows + kStatChunk - 1) / kStatChunk;
  std::vector<double> part(static_cast<size_t>(chunks * channels * 2));
#pragma omp parallel for if (rows * channels > cn::kMathGrain)
  for (int64_t k = 0; k < chunks; ++k) {
    double* p1 = part.data() + k * channels * 2;
    double* p2 = p1 + channels;
    std::fill(p1, p1 + channels * 2, 0.0);
    accumulate(k * kStatChunk, std::min(rows, (k + 1) * kStatChunk), p1, p2);
  }
  s1.assign(channels, 0.0);
  s2.assign(channels, 0.0);
  for (int64_t k = 0; k < chunks; ++k) {
    for (int64_t c = 0; c < channels; ++c) {
      s1[c] += part[k * channels * 2 + c];
      s2[c] += part[k * channels * 2 + channels + c];
    }
  }
}

// Σdy and Σdy·(x − mean) per channel: what both batch-norm gradients need.
void dy_sums(int64_t rows, int64_t channels, const float* x, const float* dy, const float* mean,
             std::vector<double>& sum_dy, std::vector<double>& sum_dy_xc) {
  channel_sums(rows, channels, sum_dy, sum_dy_xc,
               [&](int64_t r0, int64_t r1, double* p1, double* p2) {
                 for (int64_t r = r0; r < r1; ++r) {
                   const float* xr = x + r * channels;
                   const float* dr = dy + r * channels;
                   for (int64_t c = 0; c < channels; ++c) {
                     p1[c] += dr[c];
                     p2[c] += double(dr[c]) * double(xr[c] - mean[c]);
                   }
                 }
               });
}

}  // namespace

extern "C" {

/**
 * y = offset + (x - mean) * scale / sqrt(variance + eps) over rows of `channels` values; each
 * statistic has length 1 or `channels` (offset and scale may have length 0: 0 and 1).
 */
int32_t cn_batchnorm(const cn_batchnorm_params* p, const cn_batchnorm_tensors* t) {
  const int64_t rows = p->rows, channels = p->channels;
  const int64_t lm = p->mean_length, lv = p->variance_length, lo = p->offset_length,
                ls = p->scale_length;
  const float eps = p->epsilon;
  const float *x = t->x, *mean = t->mean, *var = t->variance, *offset = t->offset,
              *scale = t->scale;
  float* y = t->y;
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
    scale_shift(rows, channels, x, mul, add, y);
  });
}

/**
 * Gradients of y = offset + (x - mean) * scale / sqrt(var + eps) over rows of `channels`, with
 * per-channel mean, var and scale (scale length 0 means 1): dx, and the per-channel dmean, dvar,
 * dscale, doffset. Two passes instead of the ~12 full-size ops of tfjs' gradient; channel sums
 * accumulate in double over fixed row chunks (thread-count independent).
 */
int32_t cn_batchnorm_grad(const cn_batchnorm_params* p, const cn_batchnorm_tensors* t) {
  const int64_t rows = p->rows, channels = p->channels, ls = p->scale_length;
  const float eps = p->epsilon;
  const float *x = t->x, *dy = t->dy, *mean = t->mean, *var = t->variance, *scale = t->scale;
  float *dx = t->dx, *dmean = t->dmean, *dvar = t->dvariance, *dscale = t->dscale,
        *doffset = t->doffset;
  return cn::guarded("batch norm gradient", [&] {
    std::vector<double> sum_dy, sum_dy_xc;
    dy_sums(rows, channels, x, dy, mean, sum_dy, sum_dy_xc);
    std::vector<float> factor(channels);
    for (int64_t c = 0; c < channels; ++c) {
      const double s1 = sum_dy[c], s2 = sum_dy_xc[c];
      const float r = 1.f / std::sqrt(var[c] + eps);
      const float s = ls == 0 ? 1.f : scale[ls == 1 ? 0 : c];
      dmean[c] = static_cast<float>(-double(r) * s * s1);
      dvar[c] = static_cast<float>(-0.5 * double(r) * r * r * s * s2);
      dscale[c] = static_cast<float>(double(r) * s2);
      doffset[c] = static_cast<float>(s1);
      factor[c] = r * s;
    }
#pragma omp parallel for if (rows * channels > cn::kStreamGrain)
    for (int64_t r = 0; r < rows; ++r) {
      const float* dr = dy + r * channels;
      float* out = dx + r * channels;
      for (int64_t c = 0; c < channels; ++c) out[c] = dr[c] * factor[c];
    }
  });
}

/**
 * Training-mode batch norm over rows of `channels`: the batch's mean and (biased) variance,
 * y = offset + (x - mean) * scale / sqrt(variance + eps), and the moving averages
 * (1 - momentum) * moving + momentum * statistic with the unbiased variance, as PyTorch keeps them.
 * One pass gathers Σx and Σx² in double (exact enough unless mean² exceeds the variance by ~1e9),
 * one pass writes y.
 */
int32_t cn_batchnorm_train(const cn_batchnorm_params* p, const cn_batchnorm_tensors* t) {
  const int64_t rows = p->rows, channels = p->channels;
  const float eps = p->epsilon, momentum = p->momentum;
  const float *x = t->x, *scale = t->scale, *offset = t->offset, *moving_mean = t->moving_mean,
              *moving_var = t->moving_variance;
  float *y = t->y, *mean = t->batch_mean, *var = t->batch_variance,
        *new_moving_mean = t->new_moving_mean, *new_moving_var = t->new_moving_variance;
  return cn::guarded("batch norm (training)", [&] {
    std::vector<double> sum, sum_sq;
    channel_sums(rows, channels, sum, sum_sq, [&](int64_t r0, int64_t r1, double* p1, double* p2) {
      for (int64_t r = r0; r < r1; ++r) {
        const float* xr = x + r * channels;
        for (int64_t c = 0; c < channels; ++c) {
          const double v = xr[c];
          p1[c] += v;
          p2[c] += v * v;
        }
      }
    });
    std::vector<float> mul(channels), add(channels);
    const double n = double(rows);
    for (int64_t c = 0; c < channels; ++c) {
      const double m = sum[c] / n;
      const double v = std::max(0.0, sum_sq[c] / n - m * m);
      mean[c] = float(m);
      var[c] = float(v);
      const double unbiased = rows > 1 ? v * n / (n - 1) : v;
      new_moving_mean[c] = float((1.0 - momentum) * moving_mean[c] + momentum * m);
      new_moving_var[c] = float((1.0 - momentum) * moving_var[c] + momentum * unbiased);
      mul[c] = float(scale[c] / std::sqrt(v + eps));
      add[c] = float(offset[c] - m * mul[c]);
    }
    scale_shift(rows, channels, x, mul, add, y);
  });
}

/**
 * Gradient of cn_batchnorm_train's y in x, scale and offset, the closed form:
 * dx = scale·r·(dy − Σdy/n − x̂·Σ(dy·x̂)/n) with r = 1/sqrt(var + eps) and x̂ = (x − mean)·r,
 * dscale = Σ(dy·x̂), doffset = Σdy. One pass for the sums, one for dx.
 */
int32_t cn_batchnorm_train_grad(const cn_batchnorm_params* p, const cn_batchnorm_tensors* t) {
  const int64_t rows = p->rows, channels = p->channels;
  const float eps = p->epsilon;
  const float *x = t->x, *dy = t->dy, *mean = t->mean, *var = t->variance, *scale = t->scale;
  float *dx = t->dx, *dscale = t->dscale, *doffset = t->doffset;
  return cn::guarded("batch norm gradient (training)", [&] {
    std::vector<double> sum_dy, sum_dy_xc;
    dy_sums(rows, channels, x, dy, mean, sum_dy, sum_dy_xc);
    // dx = a·dy + b·(x − mean) + k per channel, folded from the closed form.
    std::vector<float> a(channels), b(channels), k(channels);
    const double n = double(rows);
    for (int64_t c = 0; c < channels; ++c) {
      const double r = 1.0 / std::sqrt(double(var[c]) + eps);
      dscale[c] = float(sum_dy_xc[c] * r);
      doffset[c] = float(sum_dy[c]);
      const double g = double(scale[c]) * r;
      const double slope = g * r * r * sum_dy_xc[c] / n;  // coefficient of (x − mean)
      a[c] = float(g);
      b[c] = float(-slope);
      k[c] = float(-g * sum_dy[c] / n);
    }
#pragma omp parallel for if (rows * channels > cn::kStreamGrain)
    for (int64_t r = 0; r < rows; ++r) {
      const float* xr = x + r * channels;
      const float* dr = dy + r * channels;
      float* out = dx + r * channels;
      for (int64_t c = 0; c < channels; ++c) out[c] = a[c] * dr[c] + b[c] * (xr[c] - mean[c]) + k[c];
    }
  });
}
}
