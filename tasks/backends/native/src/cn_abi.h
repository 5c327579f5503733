// The ABI of the cnnlab native shim: every operation code, parameter struct and exported function,
// in one place. tasks/backends/native/_abi.ts is generated from this file
// (`deno run -A tasks/backends/native/gen_abi.ts`; tests/backends/native/abi_test.ts fails when it
// is out of date), and the loader refuses a library whose cn_abi_version() differs.
//
// The generator reads a small subset of C, so keep to these forms:
//   #define CN_ABI_VERSION <int>
//   enum cn_<name> { CN_<NAME>_<MEMBER> = <int>, ... };           (one member per line)
//   typedef struct cn_<name> { <type> <field>; ... } cn_<name>;  (one field per line)
//     field types: int32_t, float, int32_t <field>[<n>], const float*, float*
//     (a struct holds either 4-byte fields or pointers, never both)
//   int32_t cn_<name>(<type> <param>, ...);                        (one declaration per line)
//     parameter types: int32_t, float, const int32_t*, const float*, float*, const cn_<s>*
// Every function returns 0, or -1 after storing a message that cn_last_error() returns.
#pragma once
#include <stdint.h>

#define CN_ABI_VERSION 5

// Largest tensor rank of the strided kernels.
#define CN_MAX_RANK 8

enum cn_unary_op {
  CN_UNARY_OP_RELU = 0,
  CN_UNARY_OP_RELU6 = 1,
  CN_UNARY_OP_SIGMOID = 2,
  CN_UNARY_OP_EXP = 3,
  CN_UNARY_OP_LOG = 4,
  CN_UNARY_OP_SQRT = 5,
  CN_UNARY_OP_RSQRT = 6,
  CN_UNARY_OP_SQUARE = 7,
  CN_UNARY_OP_NEG = 8,
  CN_UNARY_OP_ABS = 9,
  CN_UNARY_OP_TANH = 10,
  CN_UNARY_OP_STEP = 11,
  CN_UNARY_OP_ELU = 12,
  CN_UNARY_OP_RECIPROCAL = 13,
  CN_UNARY_OP_LEAKY_RELU = 14,
};

enum cn_binary_op {
  CN_BINARY_OP_ADD = 0,
  CN_BINARY_OP_SUB = 1,
  CN_BINARY_OP_MUL = 2,
  CN_BINARY_OP_DIV = 3,
  CN_BINARY_OP_MAX = 4,
  CN_BINARY_OP_MIN = 5,
  CN_BINARY_OP_SQUARED_DIFFERENCE = 6,
  CN_BINARY_OP_MUL_STEP = 7,
  CN_BINARY_OP_SIGMOID_GRAD = 8,
  CN_BINARY_OP_TANH_GRAD = 9,
};

// The activations tfjs fuses into convolutions and matrix products (prelu has none: applied after).
enum cn_activation {
  CN_ACTIVATION_LINEAR = 0,
  CN_ACTIVATION_RELU = 1,
  CN_ACTIVATION_RELU6 = 2,
  CN_ACTIVATION_ELU = 3,
  CN_ACTIVATION_SIGMOID = 4,
  CN_ACTIVATION_LEAKY_RELU = 5,
};

enum cn_reduce_op {
  CN_REDUCE_OP_SUM = 0,
  CN_REDUCE_OP_MEAN = 1,
  CN_REDUCE_OP_MAX = 2,
  CN_REDUCE_OP_MIN = 3,
};

enum cn_pool_kind {
  CN_POOL_KIND_MAX = 0,
  CN_POOL_KIND_AVG = 1,
};

// A 2-D convolution on NHWC activations; filters are tfjs' [kh, kw, in, out] (groups == 1) or
// depthwise [kh, kw, in, multiplier] (groups == in channels). Pads are the ones oneDNN needs
// (out = (in + pad_top + pad_bottom - dilated kernel) / stride + 1 exactly).
typedef struct cn_conv_params {
  int32_t n;
  int32_t ih;
  int32_t iw;
  int32_t ic;
  int32_t oh;
  int32_t ow;
  int32_t oc;
  int32_t kh;
  int32_t kw;
  int32_t sh;
  int32_t sw;
  int32_t dh;
  int32_t dw;
  int32_t pad_top;
  int32_t pad_left;
  int32_t pad_bottom;
  int32_t pad_right;
  int32_t groups;
  int32_t has_bias;
  int32_t activation;
  float alpha;
} cn_conv_params;

// 2-D pooling on NHWC activations (average pooling divides by the cells inside the input).
typedef struct cn_pool_params {
  int32_t n;
  int32_t ih;
  int32_t iw;
  int32_t c;
  int32_t oh;
  int32_t ow;
  int32_t kh;
  int32_t kw;
  int32_t sh;
  int32_t sw;
  int32_t pad_top;
  int32_t pad_left;
  int32_t pad_bottom;
  int32_t pad_right;
  int32_t kind;
} cn_pool_params;

// c[b] = act(op(a[b]) x op(b[b]) + bias); a batch of 1 pairs with every batch of the other side.
typedef struct cn_matmul_params {
  int32_t batch_a;
  int32_t batch_b;
  int32_t m;
  int32_t n;
  int32_t k;
  int32_t transpose_a;
  int32_t transpose_b;
  int32_t bias_length;
  int32_t activation;
  float alpha;
} cn_matmul_params;

// An output shape and the element strides of up to two operands over it (0 = broadcast).
typedef struct cn_strided_params {
  int32_t rank;
  int32_t shape[8];
  int32_t stride_a[8];
  int32_t stride_b[8];
} cn_strided_params;

// PyTorch-rule Adam/AdamW on n values. bias_correction2 = sqrt(1 - beta2^t); l2 is added to the
// gradient times w; base_scale multiplies w first (decoupled decay); the 1 - beta terms are given
// as JavaScript rounds them.
typedef struct cn_adam_params {
  int32_t n;
  float beta1;
  float beta2;
  float eps;
  float step_size;
  float bias_correction2;
  float l2;
  float base_scale;
  float one_minus_beta1;
  float one_minus_beta2;
} cn_adam_params;

// PyTorch-rule SGD on n values: g' = g + weight_decay * w where apply_decay; with momentum
// (has_momentum) buf1 = momentum * buf + g' and the update is buf1, or g' + momentum * buf1 with
// nesterov; w1 = w - lr * update. buf and buf1 are not touched without momentum.
typedef struct cn_sgd_params {
  int32_t n;
  int32_t apply_decay;
  int32_t has_momentum;
  int32_t nesterov;
  float lr;
  float momentum;
  float weight_decay;
} cn_sgd_params;

// Batch norm over rows of `channels` values (the last axis). Statistic lengths are 1 or
// `channels`; a length of 0 means "absent" (offset 0, scale 1).
typedef struct cn_batchnorm_params {
  int32_t rows;
  int32_t channels;
  int32_t mean_length;
  int32_t variance_length;
  int32_t offset_length;
  int32_t scale_length;
  float epsilon;
  float momentum;
} cn_batchnorm_params;

// The tensors of the batch-norm kernels; each kernel reads and writes the ones it documents.
typedef struct cn_batchnorm_tensors {
  const float* x;
  const float* dy;
  const float* mean;
  const float* variance;
  const float* offset;
  const float* scale;
  const float* moving_mean;
  const float* moving_variance;
  float* y;
  float* dx;
  float* batch_mean;
  float* batch_variance;
  float* new_moving_mean;
  float* new_moving_variance;
  float* dmean;
  float* dvariance;
  float* dscale;
  float* doffset;
} cn_batchnorm_tensors;

// Bilinear resize of NHWC images to [oh, ow], tfjs' ResizeBilinear (align_corners,
// half_pixel_centers as its attributes).
typedef struct cn_resize_params {
  int32_t n;
  int32_t ih;
  int32_t iw;
  int32_t c;
  int32_t oh;
  int32_t ow;
  int32_t align_corners;
  int32_t half_pixel_centers;
} cn_resize_params;

#ifdef __cplusplus
extern "C" {
#endif

// Identity and setup.
int32_t cn_abi_version(void);
const char* cn_build_id(void);
int32_t cn_onednn_version(void);
int32_t cn_set_threads(int32_t threads);
const char* cn_last_error(void);

// Convolutions: forward (bias read when has_bias), input gradient, filter gradient.
int32_t cn_conv_fwd(const cn_conv_params* p, const float* x, const float* w, const float* bias, float* y);
int32_t cn_conv_bwd_data(const cn_conv_params* p, const float* dy, const float* w, float* dx);
int32_t cn_conv_bwd_weights(const cn_conv_params* p, const float* x, const float* dy, float* dw);

// Pooling: forward, and dx given dy (max pooling also reads x for where the maxima were).
int32_t cn_pool_fwd(const cn_pool_params* p, const float* x, float* y);
int32_t cn_pool_bwd(const cn_pool_params* p, const float* x, const float* dy, float* dx);

// Matrix products with tfjs' batch broadcasting and a fused bias + activation.
int32_t cn_matmul(const cn_matmul_params* p, const float* a, const float* b, const float* bias, float* c);

// Element-wise: out = a OP b over p's shape; y = f(x) on n values (alpha: step's and leaky relu's);
// y = clip(x, lo, hi); dx = dy where lo <= x <= hi, else 0 (ClipByValue's gradient).
int32_t cn_binary(int32_t op, const cn_strided_params* p, const float* a, const float* b, float* out);
int32_t cn_unary(int32_t op, int32_t n, const float* x, float* y, float alpha);
int32_t cn_clip(int32_t n, const float* x, float* y, float lo, float hi);
int32_t cn_clip_grad(int32_t n, const float* x, const float* dy, float* dx, float lo, float hi);
// Dropout: y = x * (hash24(seed, i) >= threshold ? scale : 0), the mask of tasks/ops/dropout.ts
// (seed is a uint32 passed as its int32 bits).
int32_t cn_dropout(int32_t n, const float* x, float* y, int32_t seed, int32_t threshold, float scale);

// Strided copies: out[i] = x[position of i under stride_a] (stride_b: out's own strides, all 0 for
// a contiguous out). Tile, Transpose, Slice, SplitV and Concat are all this one kernel.
int32_t cn_copy(const cn_strided_params* p, const float* x, float* out);

// Constant padding: out has shape[i] + before[i] + after[i] per dim, `value` outside x.
int32_t cn_pad(int32_t rank, const int32_t* shape, const int32_t* before, const int32_t* after, const float* x, float* out, float value);

// Reduces the middle axis of x viewed as [outer, r, inner] into y [outer, inner].
int32_t cn_reduce(int32_t op, int32_t outer, int32_t r, int32_t inner, const float* x, float* y);

// Batch norm. cn_batchnorm: y from x, mean, variance, offset, scale (inference form).
// cn_batchnorm_grad: dx, dmean, dvariance, dscale, doffset from x, dy, mean, variance, scale.
// cn_batchnorm_train: y, batch_mean, batch_variance, new_moving_* from x, scale, offset, moving_*.
// cn_batchnorm_train_grad: dx, dscale, doffset from x, dy, mean, variance, scale.
int32_t cn_batchnorm(const cn_batchnorm_params* p, const cn_batchnorm_tensors* t);
int32_t cn_batchnorm_grad(const cn_batchnorm_params* p, const cn_batchnorm_tensors* t);
int32_t cn_batchnorm_train(const cn_batchnorm_params* p, const cn_batchnorm_tensors* t);
int32_t cn_batchnorm_train_grad(const cn_batchnorm_params* p, const cn_batchnorm_tensors* t);

// Bilinear resize: y [n, oh, ow, c] from x [n, ih, iw, c].
int32_t cn_resize_bilinear(const cn_resize_params* p, const float* x, float* y);

// One Adam/AdamW step: w1, m1, v1 (which may alias w, m, v) from w, g, m, v.
int32_t cn_sgd(const cn_sgd_params* p, const float* w, const float* g, const float* buf, float* w1, float* buf1);
int32_t cn_adam(const cn_adam_params* p, const float* w, const float* g, const float* m, const float* v, float* w1, float* m1, float* v1);

#ifdef __cplusplus
}
#endif
