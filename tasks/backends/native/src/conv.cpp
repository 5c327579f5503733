// Convolutions in tfjs layouts: activations NHWC, filters HWIO ([kh, kw, in, out]) or, for
// depthwise, [kh, kw, in, multiplier]. oneDNN picks its own weight layout ("any"); user weights
// are reordered into it on every call because training changes them every step anyway.
#include <algorithm>
#include <memory>

#include "common.hpp"

using namespace dnnl;
using dims = memory::dims;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

// cn_conv_params widened to 64 bits, with the filter taps actually used (see crop_taps).
struct Conv {
  int64_t n, ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, groups, has_bias, act;
  float alpha;
  // Filter taps actually used (see crop_taps) and the full filter size the user buffer has.
  int64_t kh0 = 0, kw0 = 0, kh_full, kw_full;
  explicit Conv(const cn_conv_params& p)
      : n(p.n), ih(p.ih), iw(p.iw), ic(p.ic), oh(p.oh), ow(p.ow), oc(p.oc), kh(p.kh), kw(p.kw),
        sh(p.sh), sw(p.sw), dh(p.dh), dw(p.dw), pt(p.pad_top), pl(p.pad_left), pb(p.pad_bottom),
        pr(p.pad_right), groups(p.groups), has_bias(p.has_bias), act(p.activation), alpha(p.alpha),
        kh_full(p.kh), kw_full(p.kw) {
    crop_taps();
  }
  memory::desc src() const { return {{n, ic, ih, iw}, dt::f32, tag::nhwc}; }
  memory::desc dst() const { return {{n, oc, oh, ow}, dt::f32, tag::nhwc}; }
  memory::desc bias() const { return {{oc}, dt::f32, tag::x}; }
  memory::desc any_weights() const {
    if (groups == 1) return {{oc, ic, kh, kw}, dt::f32, tag::any};
    return {{groups, oc / groups, ic / groups, kh, kw}, dt::f32, tag::any};
  }
  // The used taps of the tfjs filter buffer, described by strides so no copy is needed.
  memory::desc user_weights() const {
    if (groups == 1) return {{oc, ic, kh, kw}, dt::f32, dims{1, oc, kw_full * ic * oc, ic * oc}};
    const int64_t m = oc / groups;
    return {{groups, m, 1, kh, kw}, dt::f32, dims{m, 1, 1, kw_full * oc, oc}};
  }
  // Offset of the first used tap in the tfjs filter buffer.
  int64_t user_weights_offset() const {
    const int64_t per_tap = groups == 1 ? ic * oc : oc;
    return (kh0 * kw_full + kw0) * per_tap;
  }
  int64_t user_weights_size() const {
    return kh_full * kw_full * (groups == 1 ? ic * oc : oc);
  }
  bool cropped() const { return kh != kh_full || kw != kw_full; }
  // The geometry oneDNN accepts; anything else is left for oneDNN to reject with its message.
  bool valid() const {
    return consistent(ih, oh, kh, sh, dh, pt, pb) && consistent(iw, ow, kw, sw, dw, pl, pr);
  }
  dims strides() const { return {sh, sw}; }
  dims dilates() const { return {dh - 1, dw - 1}; }
  dims pad_l() const { return {pt, pl}; }
  dims pad_r() const { return {pb, pr}; }

  // Drops filter rows/columns that only ever meet padding (a 3x3 filter on a 1x1 map with
  // padding 1 uses its centre tap alone): oneDNN would multiply them by zeros, and for such
  // shapes it even falls back to a slow gemm-based filter gradient.
  void crop_taps() {
    // Only for geometry oneDNN would accept as given, so bad input still fails loudly.
    if (!valid()) return;
    int64_t lo_h, hi_h, lo_w, hi_w;
    if (!used_taps(kh, ih, oh, sh, dh, pt, lo_h, hi_h)) return;
    if (!used_taps(kw, iw, ow, sw, dw, pl, lo_w, hi_w)) return;
    const int64_t new_pt = pt - lo_h * dh, new_pl = pl - lo_w * dw;
    const int64_t new_kh = hi_h - lo_h + 1, new_kw = hi_w - lo_w + 1;
    const int64_t new_pb = (oh - 1) * sh + (new_kh - 1) * dh + 1 - ih - new_pt;
    const int64_t new_pr = (ow - 1) * sw + (new_kw - 1) * dw + 1 - iw - new_pl;
    if (new_pt < 0 || new_pl < 0 || new_pb < 0 || new_pr < 0) return;
    if (new_kh == kh && new_kw == kw) return;
    kh0 = lo_h, kw0 = lo_w, kh = new_kh, kw = new_kw;
    pt = new_pt, pl = new_pl, pb = new_pb, pr = new_pr;
  }

  static bool consistent(int64_t in, int64_t out, int64_t k, int64_t s, int64_t d, int64_t p0,
                         int64_t p1) {
    const int64_t span = in + p0 + p1 - ((k - 1) * d + 1);
    return span >= 0 && span / s + 1 == out;
  }

  static bool used_taps(int64_t k, int64_t in, int64_t out, int64_t s, int64_t d, int64_t p,
                        int64_t& lo, int64_t& hi) {
    lo = -1, hi = -1;
    for (int64_t t = 0; t < k; ++t) {
      const int64_t c = t * d - p;  // input index of output 0 for tap t
      const int64_t first = c >= 0 ? 0 : (-c + s - 1) / s;  // first output reaching index >= 0
      if (first < out && first * s + c < in) {
        if (lo < 0) lo = t;
        hi = t;
      }
    }
    return lo >= 0;
  }
};

primitive_attr activation_attr(int64_t act, float alpha) {
  primitive_attr attr;
  post_ops ops;
  switch (act) {
    case CN_ACTIVATION_LINEAR: break;
    case CN_ACTIVATION_RELU: ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f); break;
    case CN_ACTIVATION_RELU6: ops.append_eltwise(1.f, algorithm::eltwise_clip, 0.f, 6.f); break;
    case CN_ACTIVATION_ELU: ops.append_eltwise(1.f, algorithm::eltwise_elu, 1.f, 0.f); break;
    case CN_ACTIVATION_SIGMOID: ops.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f); break;
    case CN_ACTIVATION_LEAKY_RELU: ops.append_eltwise(1.f, algorithm::eltwise_relu, alpha, 0.f); break;
    default: throw std::runtime_error("unknown activation code " + std::to_string(act));
  }
  attr.set_post_ops(ops);
  return attr;
}

convolution_forward::primitive_desc forward_pd(const Conv& c, prop_kind kind, bool with_bias,
                                               const primitive_attr& attr) {
  if (with_bias) {
    convolution_forward::desc d(kind, algorithm::convolution_direct, c.src(), c.any_weights(),
                                c.bias(), c.dst(), c.strides(), c.dilates(), c.pad_l(), c.pad_r());
    return {d, attr, cn::eng()};
  }
  convolution_forward::desc d(kind, algorithm::convolution_direct, c.src(), c.any_weights(),
                              c.dst(), c.strides(), c.dilates(), c.pad_l(), c.pad_r());
  return {d, attr, cn::eng()};
}

// Returns `user` itself when oneDNN accepts its layout, else a reordered copy.
memory as_layout(const memory& user, const memory::desc& wanted) {
  if (user.get_desc() == wanted) return user;
  memory out(wanted, cn::eng());
  reorder(user, out).execute(cn::strm(), const_cast<memory&>(user), out);
  return out;
}

// Small feature maps (ResNet's 4x4 and 2x2 stages at 28x28 input) keep oneDNN's direct kernels
// busy with borders: forward ran at ~45 GFLOP/s and the filter gradient fell back to a gemm
// implementation at ~30, while one sgemm over an im2col matrix reaches 85-130. Used only for
// plain (ungrouped, uncropped) convolutions whose im2col matrix stays small, and only with 64
// or more output channels: the sgemm's n is the output channel count, and with DenseNet's growth
// of 12 channels the gemm ran slower than oneDNN's direct kernels (see the native README).
bool use_im2col(const Conv& c) {
  const int64_t rows = c.n * c.oh * c.ow, cols = c.kh * c.kw * c.ic;
  return c.groups == 1 && !c.cropped() && c.oh * c.ow <= 16 && c.oc >= 64 &&
         rows * cols <= (int64_t(1) << 24) && c.valid();
}

// col[(n, oh, ow)][(kh, kw, ic)] = x[n, oh*sh - pt + kh*dh, ow*sw - pl + kw*dw, ic], 0 outside;
// the column order is the tfjs filter's, so [kh*kw*ic, oc] filters multiply it directly.
std::unique_ptr<float[]> im2col(const Conv& c, const float* x) {
  const int64_t rows = c.n * c.oh * c.ow, cols = c.kh * c.kw * c.ic;
  std::unique_ptr<float[]> col(new float[rows * cols]);
#pragma omp parallel for if (rows * cols > cn::kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t n = r / (c.oh * c.ow), oh = (r / c.ow) % c.oh, ow = r % c.ow;
    float* out = col.get() + r * cols;
    for (int64_t kh = 0; kh < c.kh; ++kh) {
      const int64_t ih = oh * c.sh - c.pt + kh * c.dh;
      for (int64_t kw = 0; kw < c.kw; ++kw, out += c.ic) {
        const int64_t iw = ow * c.sw - c.pl + kw * c.dw;
        if (ih < 0 || ih >= c.ih || iw < 0 || iw >= c.iw) {
          std::fill(out, out + c.ic, 0.f);
        } else {
          const float* src = x + ((n * c.ih + ih) * c.iw + iw) * c.ic;
          std::copy(src, src + c.ic, out);
        }
      }
    }
  }
  return col;
}

void sgemm(char ta, char tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float* c, int64_t ldc) {
  const dnnl_status_t st = dnnl_sgemm(ta, tb, m, n, k, 1.f, a, lda, b, ldb, 0.f, c, ldc);
  if (st != dnnl_success) throw dnnl::error(st, "dnnl_sgemm failed");
}

void conv_fwd_im2col(const Conv& c, const float* x, const float* w, const float* b, float* y) {
  const int64_t rows = c.n * c.oh * c.ow, cols = c.kh * c.kw * c.ic;
  auto col = im2col(c, x);
  sgemm('N', 'N', rows, c.oc, cols, col.get(), cols, w, c.oc, y, c.oc);
  if (!c.has_bias && c.act == 0) return;
#pragma omp parallel for if (rows * c.oc > cn::kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    float* row = y + r * c.oc;
    for (int64_t j = 0; j < c.oc; ++j) {
      row[j] = cn::activate(int(c.act), c.has_bias ? row[j] + b[j] : row[j], c.alpha);
    }
  }
}

void conv_bwd_weights_im2col(const Conv& c, const float* x, const float* dy, float* dw) {
  const int64_t rows = c.n * c.oh * c.ow, cols = c.kh * c.kw * c.ic;
  auto col = im2col(c, x);
  sgemm('T', 'N', cols, c.oc, rows, col.get(), cols, dy, c.oc, dw, c.oc);
}

// oneDNN 2.6's NHWC backward-data kernels (jit:avx512_core) were 15-25% slower here than its
// brgconv forward ones on ResNet's 3x3 layers (batch 128, 14x14x64: 8.4-9.3 vs 6.5-7.0 ms; 7x7x128:
// 6.6-7.0 vs 5.8-5.9). With stride 1 the input gradient is itself a forward convolution: dy
// convolved with the filter rotated by 180 degrees and in/out channels swapped, padded by
// (k-1)*d - p on each side. Only for channel counts brgconv blocks well (multiples of 16): with
// LeNet's 6 and 16 channels the forward form was slower.
bool bwd_data_as_forward(const Conv& c) {
  return c.groups == 1 && c.sh == 1 && c.sw == 1 && c.ic % 16 == 0 && c.oc % 16 == 0 && c.valid() &&
         (c.kh - 1) * c.dh >= c.pt &&
         (c.kh - 1) * c.dh >= c.pb && (c.kw - 1) * c.dw >= c.pl && (c.kw - 1) * c.dw >= c.pr;
}

void conv_bwd_data_forward(const Conv& c, const float* dy, const float* w, float* dx) {
  // rotated[o = in channel][i = out channel][a][b] = w[kh-1-a][kw-1-b][in][out] (used taps only).
  std::unique_ptr<float[]> rotated(new float[c.ic * c.oc * c.kh * c.kw]);
  const float* taps = w + c.user_weights_offset();
  for (int64_t a = 0; a < c.kh; ++a) {
    for (int64_t b = 0; b < c.kw; ++b) {
      const float* tap = taps + ((c.kh - 1 - a) * c.kw_full + (c.kw - 1 - b)) * c.ic * c.oc;
      for (int64_t in = 0; in < c.ic; ++in) {
        for (int64_t out = 0; out < c.oc; ++out) {
          rotated[((in * c.oc + out) * c.kh + a) * c.kw + b] = tap[in * c.oc + out];
        }
      }
    }
  }
  const memory::desc src{{c.n, c.oc, c.oh, c.ow}, dt::f32, tag::nhwc};
  const memory::desc dst{{c.n, c.ic, c.ih, c.iw}, dt::f32, tag::nhwc};
  const memory::desc wts{{c.ic, c.oc, c.kh, c.kw}, dt::f32, tag::any};
  const dims pad_l{(c.kh - 1) * c.dh - c.pt, (c.kw - 1) * c.dw - c.pl};
  const dims pad_r{(c.kh - 1) * c.dh - c.pb, (c.kw - 1) * c.dw - c.pr};
  convolution_forward::desc d(prop_kind::forward_inference, algorithm::convolution_direct, src,
                              wts, dst, dims{1, 1}, c.dilates(), pad_l, pad_r);
  convolution_forward::primitive_desc pd(d, cn::eng());
  memory user({{c.ic, c.oc, c.kh, c.kw}, dt::f32, tag::oihw}, cn::eng(), rotated.get());
  memory weights = as_layout(user, pd.weights_desc());
  convolution_forward(pd).execute(cn::strm(),
                                  {{DNNL_ARG_SRC, memory(src, cn::eng(), const_cast<float*>(dy))},
                                   {DNNL_ARG_WEIGHTS, weights},
                                   {DNNL_ARG_DST, memory(dst, cn::eng(), dx)}});
  cn::strm().wait();
}

}  // namespace

extern "C" {

/** y = act(conv(x, w) + b); b is read only when has_bias is set. */
int32_t cn_conv_fwd(const cn_conv_params* p, const float* x, const float* w, const float* b,
                    float* y) {
  return cn::guarded("conv2d forward", [&] {
    const Conv c(*p);
    if (use_im2col(c)) return conv_fwd_im2col(c, x, w, b, y);
    auto pd = forward_pd(c, prop_kind::forward_inference, c.has_bias, activation_attr(c.act, c.alpha));
    memory src(c.src(), cn::eng(), const_cast<float*>(x));
    memory wts = as_layout(
        memory(c.user_weights(), cn::eng(), const_cast<float*>(w) + c.user_weights_offset()),
        pd.weights_desc());
    memory dst(c.dst(), cn::eng(), y);
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wts}, {DNNL_ARG_DST, dst}};
    if (c.has_bias) args.insert({DNNL_ARG_BIAS, memory(c.bias(), cn::eng(), const_cast<float*>(b))});
    convolution_forward(pd).execute(cn::strm(), args);
    cn::strm().wait();
  });
}

/** dx = gradient of conv(x, w) with respect to x, given dy. */
int32_t cn_conv_bwd_data(const cn_conv_params* p, const float* dy, const float* w, float* dx) {
  return cn::guarded("conv2d backprop input", [&] {
    const Conv c(*p);
    if (bwd_data_as_forward(c)) return conv_bwd_data_forward(c, dy, w, dx);
    auto hint = forward_pd(c, prop_kind::forward_training, false, primitive_attr());
    convolution_backward_data::desc d(algorithm::convolution_direct, c.src(), c.any_weights(),
                                      c.dst(), c.strides(), c.dilates(), c.pad_l(), c.pad_r());
    convolution_backward_data::primitive_desc pd(d, cn::eng(), hint);
    memory wts = as_layout(
        memory(c.user_weights(), cn::eng(), const_cast<float*>(w) + c.user_weights_offset()),
        pd.weights_desc());
    convolution_backward_data(pd).execute(
        cn::strm(), {{DNNL_ARG_DIFF_DST, memory(c.dst(), cn::eng(), const_cast<float*>(dy))},
                     {DNNL_ARG_WEIGHTS, wts},
                     {DNNL_ARG_DIFF_SRC, memory(c.src(), cn::eng(), dx)}});
    cn::strm().wait();
  });
}

/** dw (tfjs filter layout) = gradient of conv(x, w) with respect to w, given dy. */
int32_t cn_conv_bwd_weights(const cn_conv_params* p, const float* x, const float* dy, float* dw) {
  return cn::guarded("conv2d backprop filter", [&] {
    const Conv c(*p);
    if (use_im2col(c)) return conv_bwd_weights_im2col(c, x, dy, dw);
    auto hint = forward_pd(c, prop_kind::forward_training, false, primitive_attr());
    convolution_backward_weights::desc d(algorithm::convolution_direct, c.src(), c.any_weights(),
                                         c.dst(), c.strides(), c.dilates(), c.pad_l(), c.pad_r());
    convolution_backward_weights::primitive_desc pd(d, cn::eng(), hint);
    if (c.cropped()) std::fill(dw, dw + c.user_weights_size(), 0.f);
    memory user(c.user_weights(), cn::eng(), dw + c.user_weights_offset());
    const bool direct = pd.diff_weights_desc() == user.get_desc();
    memory out = direct ? user : memory(pd.diff_weights_desc(), cn::eng());
    convolution_backward_weights(pd).execute(
        cn::strm(), {{DNNL_ARG_SRC, memory(c.src(), cn::eng(), const_cast<float*>(x))},
                     {DNNL_ARG_DIFF_DST, memory(c.dst(), cn::eng(), const_cast<float*>(dy))},
                     {DNNL_ARG_DIFF_WEIGHTS, out}});
    if (!direct) reorder(out, user).execute(cn::strm(), out, user);
    cn::strm().wait();
  });
}
}
