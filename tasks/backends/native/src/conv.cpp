// Convolutions in tfjs layouts: activations NHWC, filters HWIO ([kh, kw, in, out]) or, for
// depthwise, [kh, kw, in, multiplier]. oneDNN picks its own weight layout ("any"); user weights
// are reordered into it on every call because training changes them every step anyway.
#include "common.hpp"

using namespace dnnl;
using dims = memory::dims;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

// Mirrors the Int32Array that _conv_params.ts builds.
struct Conv {
  int64_t n, ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, groups, has_bias, act;
  explicit Conv(const int32_t* p)
      : n(p[0]), ih(p[1]), iw(p[2]), ic(p[3]), oh(p[4]), ow(p[5]), oc(p[6]), kh(p[7]), kw(p[8]),
        sh(p[9]), sw(p[10]), dh(p[11]), dw(p[12]), pt(p[13]), pl(p[14]), pb(p[15]), pr(p[16]),
        groups(p[17]), has_bias(p[18]), act(p[19]) {}
  memory::desc src() const { return {{n, ic, ih, iw}, dt::f32, tag::nhwc}; }
  memory::desc dst() const { return {{n, oc, oh, ow}, dt::f32, tag::nhwc}; }
  memory::desc bias() const { return {{oc}, dt::f32, tag::x}; }
  memory::desc any_weights() const {
    if (groups == 1) return {{oc, ic, kh, kw}, dt::f32, tag::any};
    return {{groups, oc / groups, ic / groups, kh, kw}, dt::f32, tag::any};
  }
  // The tfjs filter buffer described by strides, so no copy is needed to hand it over.
  memory::desc user_weights() const {
    if (groups == 1) return {{oc, ic, kh, kw}, dt::f32, dims{1, oc, kw * ic * oc, ic * oc}};
    const int64_t m = oc / groups;
    return {{groups, m, 1, kh, kw}, dt::f32, dims{m, 1, 1, kw * oc, oc}};
  }
  dims strides() const { return {sh, sw}; }
  dims dilates() const { return {dh - 1, dw - 1}; }
  dims pad_l() const { return {pt, pl}; }
  dims pad_r() const { return {pb, pr}; }
};

primitive_attr activation_attr(int64_t act, float alpha) {
  primitive_attr attr;
  post_ops ops;
  switch (act) {
    case 0: break;
    case 1: ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f); break;
    case 2: ops.append_eltwise(1.f, algorithm::eltwise_clip, 0.f, 6.f); break;
    case 3: ops.append_eltwise(1.f, algorithm::eltwise_elu, 1.f, 0.f); break;
    case 4: ops.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f); break;
    case 5: ops.append_eltwise(1.f, algorithm::eltwise_relu, alpha, 0.f); break;
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

}  // namespace

extern "C" {

/** y = act(conv(x, w) + b); b is read only when p[18] (has_bias) is set. */
int cn_conv_fwd(const int32_t* p, const float* x, const float* w, const float* b, float* y,
                float alpha) {
  return cn::guarded("conv2d forward", [&] {
    const Conv c(p);
    auto pd = forward_pd(c, prop_kind::forward_inference, c.has_bias, activation_attr(c.act, alpha));
    memory src(c.src(), cn::eng(), const_cast<float*>(x));
    memory wts = as_layout(memory(c.user_weights(), cn::eng(), const_cast<float*>(w)),
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
int cn_conv_bwd_data(const int32_t* p, const float* dy, const float* w, float* dx) {
  return cn::guarded("conv2d backprop input", [&] {
    const Conv c(p);
    auto hint = forward_pd(c, prop_kind::forward_training, false, primitive_attr());
    convolution_backward_data::desc d(algorithm::convolution_direct, c.src(), c.any_weights(),
                                      c.dst(), c.strides(), c.dilates(), c.pad_l(), c.pad_r());
    convolution_backward_data::primitive_desc pd(d, cn::eng(), hint);
    memory wts = as_layout(memory(c.user_weights(), cn::eng(), const_cast<float*>(w)),
                           pd.weights_desc());
    convolution_backward_data(pd).execute(
        cn::strm(), {{DNNL_ARG_DIFF_DST, memory(c.dst(), cn::eng(), const_cast<float*>(dy))},
                     {DNNL_ARG_WEIGHTS, wts},
                     {DNNL_ARG_DIFF_SRC, memory(c.src(), cn::eng(), dx)}});
    cn::strm().wait();
  });
}

/** dw (tfjs filter layout) = gradient of conv(x, w) with respect to w, given dy. */
int cn_conv_bwd_weights(const int32_t* p, const float* x, const float* dy, float* dw) {
  return cn::guarded("conv2d backprop filter", [&] {
    const Conv c(p);
    auto hint = forward_pd(c, prop_kind::forward_training, false, primitive_attr());
    convolution_backward_weights::desc d(algorithm::convolution_direct, c.src(), c.any_weights(),
                                         c.dst(), c.strides(), c.dilates(), c.pad_l(), c.pad_r());
    convolution_backward_weights::primitive_desc pd(d, cn::eng(), hint);
    memory user(c.user_weights(), cn::eng(), dw);
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
