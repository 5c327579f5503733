// Broadcasting binary ops and strided copies (Tile, Transpose, Slice) on float32 tensors.
#include <cmath>

#include "strided.hpp"

using cn::binary_rows;
using cn::Strided;

extern "C" {

/**
 * out = a OP b with broadcasting expressed as strides over the output shape.
 * op: 0 add, 1 sub, 2 mul, 3 div, 4 max, 5 min, 6 squared difference, 7 a * step(b),
 * 8 a * (b * (1 - b)), 9 (1 - b * b) * a: the gradients of sigmoid and tanh (dy = a, y = b) in one
 * pass, rounded in the order of tfjs' ops for them.
 */
int cn_binary(int op, int rank, const int32_t* shape, const int32_t* sa, const int32_t* sb,
              const float* a, const float* b, float* out) {
  return cn::guarded("binary op", [&] {
    const Strided s(rank, shape, sa, sb);
    switch (op) {
      case 0: binary_rows(s, a, b, out, [](float x, float y) { return x + y; }); break;
      case 1: binary_rows(s, a, b, out, [](float x, float y) { return x - y; }); break;
      case 2: binary_rows(s, a, b, out, [](float x, float y) { return x * y; }); break;
      case 3: binary_rows(s, a, b, out, [](float x, float y) { return x / y; }); break;
      case 4:
        binary_rows(s, a, b, out, [](float x, float y) {
          return (std::isnan(x) || std::isnan(y)) ? NAN : (x > y ? x : y);
        });
        break;
      case 5:
        binary_rows(s, a, b, out, [](float x, float y) {
          return (std::isnan(x) || std::isnan(y)) ? NAN : (x < y ? x : y);
        });
        break;
      case 6: binary_rows(s, a, b, out, [](float x, float y) { return (x - y) * (x - y); }); break;
      case 7:  // a * step(b): ReLU's gradient without materializing step(b); NaN stays NaN
        binary_rows(s, a, b, out, [](float x, float y) { return y != y ? x * y : (y > 0.f ? x : 0.f * x); });
        break;
      case 8: binary_rows(s, a, b, out, [](float x, float y) { return x * (y * (1.f - y)); }); break;
      case 9: binary_rows(s, a, b, out, [](float x, float y) { return (1.f - y * y) * x; }); break;
      default: throw std::runtime_error("unknown binary op " + std::to_string(op));
    }
  });
}

/** out[i] = x[strided position of i]: tile, transpose and broadcast copies. */
int cn_copy(int rank, const int32_t* shape, const int32_t* sx, const float* x, float* out) {
  return cn::guarded("strided copy", [&] {
    const Strided s(rank, shape, sx, nullptr);
    binary_rows(s, x, x, out, [](float v, float) { return v; });
  });
}
}
