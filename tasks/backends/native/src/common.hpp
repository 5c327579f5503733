// Shared helpers of the cnnlab oneDNN shim: one CPU engine and stream for the process, and the
// error channel. Every exported function returns 0 on success and -1 after storing a message that
// cn_last_error() hands to the TypeScript side.
#pragma once
#include <oneapi/dnnl/dnnl.hpp>

#include "cn_abi.h"

#include <cmath>
#include <cstdint>
#include <exception>
#include <string>

namespace cn {

dnnl::engine& eng();
dnnl::stream& strm();
void set_error(const std::string& message);

// Runs `body`, turning any exception into a stored message and -1, so no C++ exception crosses
// the FFI boundary (that would abort Deno).
template <typename F>
int guarded(const char* what, F&& body) {
  try {
    body();
    return 0;
  } catch (const dnnl::error& e) {
    set_error(std::string(what) + ": oneDNN status " + std::to_string(int(e.status)) + " (" + e.what() + ")");
  } catch (const std::exception& e) {
    set_error(std::string(what) + ": " + e.what());
  }
  return -1;
}

// The fused activations of tfjs (enum cn_activation); leaky relu's slope is `alpha`.
inline float activate(int act, float v, float alpha) {
  switch (act) {
    case CN_ACTIVATION_RELU: return v > 0.f ? v : 0.f;
    case CN_ACTIVATION_RELU6: return v < 0.f ? 0.f : (v > 6.f ? 6.f : v);
    case CN_ACTIVATION_ELU: return v >= 0.f ? v : std::expm1(v);
    case CN_ACTIVATION_SIGMOID: return 1.f / (1.f + std::exp(-v));
    case CN_ACTIVATION_LEAKY_RELU: return v >= 0.f ? v : alpha * v;
    default: return v;
  }
}

// Elements per OpenMP task below which threading costs more than it saves.
constexpr int64_t kParallelGrain = 1 << 15;

// Element counts above which a second OpenMP thread pays for waking it. With
// OMP_WAIT_POLICY=PASSIVE a parallel region costs ~15-20 µs on an idle 2-core machine, and ~10-15
// µs more than one thread at any size while another process holds the other core. Break-even,
// measured on this project's 2-core AVX-512 VM with idle cores, calling the shim with 1 and 2
// threads alternately and 20 µs apart (as between tfjs kernels):
//   streaming passes (relu, add/mul, [N, C] x [C] broadcast, sigmoid gradient)   300K-400K
//   exp-based unary ops (sigmoid, tanh, exp, log, elu)                           ~100K
//   strided copies with short rows (transpose), sum of NHWC over N, H, W         64K-128K
// Both grains sit above the break-even as a busy machine favours one thread.
constexpr int64_t kStreamGrain = int64_t(1) << 19;  // memory-bound: one or two flops per element
constexpr int64_t kMathGrain = int64_t(1) << 17;    // transcendentals, gathers, reductions, pooling
// Multiply-adds of one matrix product below which oneDNN's sgemm runs faster on one thread (LeNet's
// fully connected layers: [64, 120] x [120, 84] took 13 µs on one thread and 38 on two; break-even
// near [128, 400] x [400, 120], 6M multiply-adds).
constexpr int64_t kGemmGrain = int64_t(1) << 22;

}  // namespace cn
