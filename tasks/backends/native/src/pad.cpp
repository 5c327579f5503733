// Constant padding (PadV2) of float32 tensors up to rank 8.
#include <algorithm>
#include <stdexcept>

#include "strided.hpp"

extern "C" {

/**
 * Pads x of `shape` with `before`/`after` cells of `value` per dim into out (rank <= 8).
 * Output rows (last dim) are independent, so they are split among threads.
 */
int32_t cn_pad(int32_t rank, const int32_t* shape, const int32_t* before, const int32_t* after,
               const float* x, float* out, float value) {
  return cn::guarded("pad", [&] {
    if (rank < 1 || rank > cn::kMaxRank) throw std::runtime_error("pad needs rank 1 to 8");
    // Unpadded trailing dims merge into the one before them, so an NHWC image padded in H and W
    // copies rows of W·C floats instead of C-float pieces (C = 1 or 3 at a network's input).
    int64_t dims[cn::kMaxRank], lo[cn::kMaxRank], hi[cn::kMaxRank];
    for (int i = 0; i < rank; ++i) dims[i] = shape[i], lo[i] = before[i], hi[i] = after[i];
    while (rank > 1 && lo[rank - 1] == 0 && hi[rank - 1] == 0) {
      const int64_t d = dims[rank - 1];
      --rank;
      dims[rank - 1] *= d;
      lo[rank - 1] *= d;
      hi[rank - 1] *= d;
    }
    int64_t oshape[cn::kMaxRank], xstride[cn::kMaxRank];
    int64_t s = 1;
    for (int i = rank - 1; i >= 0; --i) {
      oshape[i] = lo[i] + dims[i] + hi[i];
      xstride[i] = s;
      s *= dims[i];
    }
    const int64_t inner = oshape[rank - 1];
    int64_t rows = 1;
    for (int i = 0; i < rank - 1; ++i) rows *= oshape[i];
#pragma omp parallel for if (rows * inner > cn::kStreamGrain)
    for (int64_t r = 0; r < rows; ++r) {
      float* row = out + r * inner;
      int64_t rem = r, src = 0;
      bool inside = true;
      for (int i = rank - 2; i >= 0; --i) {
        const int64_t idx = rem % oshape[i] - lo[i];
        rem /= oshape[i];
        if (idx < 0 || idx >= dims[i]) inside = false;
        src += idx * xstride[i];
      }
      if (!inside) {
        std::fill(row, row + inner, value);
        continue;
      }
      std::fill(row, row + lo[rank - 1], value);
      std::copy(x + src, x + src + dims[rank - 1], row + lo[rank - 1]);
      std::fill(row + lo[rank - 1] + dims[rank - 1], row + inner, value);
    }
  });
}
}
