// 2-D max and average pooling on NHWC tensors. Average pooling divides by the number of window
// cells inside the input, as tfjs does (oneDNN's avg_exclude_padding).
#include "common.hpp"

using namespace dnnl;
using dims = memory::dims;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

// Mirrors the Int32Array that _pool_params.ts builds.
struct Pool {
  int64_t n, ih, iw, c, oh, ow, kh, kw, sh, sw, pt, pl, pb, pr, is_max;
  explicit Pool(const int32_t* p)
      : n(p[0]), ih(p[1]), iw(p[2]), c(p[3]), oh(p[4]), ow(p[5]), kh(p[6]), kw(p[7]), sh(p[8]),
        sw(p[9]), pt(p[10]), pl(p[11]), pb(p[12]), pr(p[13]), is_max(p[14]) {}
  memory::desc src() const { return {{n, c, ih, iw}, dt::f32, tag::nhwc}; }
  memory::desc dst() const { return {{n, c, oh, ow}, dt::f32, tag::nhwc}; }
  algorithm alg() const {
    return is_max ? algorithm::pooling_max : algorithm::pooling_avg_exclude_padding;
  }
  pooling_forward::primitive_desc forward(prop_kind kind) const {
    pooling_forward::desc d(kind, alg(), src(), dst(), {sh, sw}, {kh, kw}, {pt, pl}, {pb, pr});
    return {d, cn::eng()};
  }
};

}  // namespace

extern "C" {

int cn_pool_fwd(const int32_t* p, const float* x, float* y) {
  return cn::guarded("pool forward", [&] {
    const Pool c(p);
    auto pd = c.forward(prop_kind::forward_inference);
    pooling_forward(pd).execute(cn::strm(),
                                {{DNNL_ARG_SRC, memory(c.src(), cn::eng(), const_cast<float*>(x))},
                                 {DNNL_ARG_DST, memory(c.dst(), cn::eng(), y)}});
    cn::strm().wait();
  });
}

/** dx of pooling given dy; max pooling re-runs the forward pass on x to find the arg-max cells. */
int cn_pool_bwd(const int32_t* p, const float* x, const float* dy, float* dx) {
  return cn::guarded("pool backward", [&] {
    const Pool c(p);
    auto fwd = c.forward(prop_kind::forward_training);
    pooling_backward::desc d(c.alg(), c.src(), c.dst(), {c.sh, c.sw}, {c.kh, c.kw}, {c.pt, c.pl},
                             {c.pb, c.pr});
    pooling_backward::primitive_desc pd(d, cn::eng(), fwd);
    std::unordered_map<int, memory> args{
        {DNNL_ARG_DIFF_DST, memory(c.dst(), cn::eng(), const_cast<float*>(dy))},
        {DNNL_ARG_DIFF_SRC, memory(c.src(), cn::eng(), dx)}};
    if (c.is_max) {
      memory ws(fwd.workspace_desc(), cn::eng());
      memory y(c.dst(), cn::eng());
      pooling_forward(fwd).execute(cn::strm(),
                                   {{DNNL_ARG_SRC, memory(c.src(), cn::eng(), const_cast<float*>(x))},
                                    {DNNL_ARG_DST, y},
                                    {DNNL_ARG_WORKSPACE, ws}});
      args.insert({DNNL_ARG_WORKSPACE, ws});
    }
    pooling_backward(pd).execute(cn::strm(), args);
    cn::strm().wait();
  });
}
}
