// Bilinear resizing of NHWC images (tfjs' ResizeBilinear): the data pipeline resizes every batch
// for the ImageNet-sized models (28² → 224² per batch of 128: 165 ms in the cpu kernel's single
// JavaScript thread). The arithmetic is the cpu kernel's, in double precision and in its order,
// so results are bit-identical to it.
#include <algorithm>
#include <cmath>
#include <vector>

#include "common.hpp"

namespace {

// Where output index i samples the input: the two neighbours and the weight of the second.
struct Tap {
  int64_t lo, hi;
  double frac;
};

std::vector<Tap> taps(int64_t in, int64_t out, bool align_corners, bool half_pixel) {
  const bool align = align_corners && out > 1;
  const double ratio = double(align ? in - 1 : in) / double(align ? out - 1 : out);
  std::vector<Tap> t(static_cast<size_t>(out));
  for (int64_t i = 0; i < out; ++i) {
    const double src = half_pixel ? ratio * (double(i) + 0.5) - 0.5 : ratio * double(i);
    const double lo = std::max(0.0, std::floor(src));
    t[i] = {int64_t(lo), std::min(in - 1, int64_t(std::ceil(src))), src - lo};
  }
  return t;
}

}  // namespace

extern "C" {

int32_t cn_resize_bilinear(const cn_resize_params* p, const float* x, float* y) {
  return cn::guarded("resize bilinear", [&] {
    const int64_t n = p->n, ih = p->ih, iw = p->iw, c = p->c, oh = p->oh, ow = p->ow;
    const auto rows = taps(ih, oh, p->align_corners != 0, p->half_pixel_centers != 0);
    const auto cols = taps(iw, ow, p->align_corners != 0, p->half_pixel_centers != 0);
#pragma omp parallel for if (n * oh * ow * c > cn::kMathGrain)
    for (int64_t r = 0; r < n * oh; ++r) {
      const int64_t b = r / oh;
      const Tap& row = rows[r % oh];
      const float* top = x + (b * ih + row.lo) * iw * c;
      const float* bottom = x + (b * ih + row.hi) * iw * c;
      float* out = y + r * ow * c;
      for (int64_t j = 0; j < ow; ++j) {
        const Tap& col = cols[j];
        const float* tl = top + col.lo * c;
        const float* tr = top + col.hi * c;
        const float* bl = bottom + col.lo * c;
        const float* br = bottom + col.hi * c;
        for (int64_t d = 0; d < c; ++d) {
          const double t = double(tl[d]) + (double(tr[d]) - double(tl[d])) * col.frac;
          const double v = double(bl[d]) + (double(br[d]) - double(bl[d])) * col.frac;
          out[j * c + d] = float(t + (v - t) * row.frac);
        }
      }
    }
  });
}
}
