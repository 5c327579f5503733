#include "common.hpp"

#include <omp.h>

#ifndef CN_BUILD_ID
#error "CN_BUILD_ID must be defined: build with tasks/backends/native/build_native.sh"
#endif

namespace cn {

dnnl::engine& eng() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

dnnl::stream& strm() {
  static dnnl::stream s(eng());
  return s;
}

static thread_local std::string last_error;

void set_error(const std::string& message) { last_error = message; }

// The marker lets the loader read the id from the file before loading it (build_id.ts).
static const char build_id_record[] = "cnnlab-build-id:" CN_BUILD_ID;

}  // namespace cn

extern "C" {

int32_t cn_abi_version(void) { return CN_ABI_VERSION; }

/** SHA-256 (hex) of the sources and the compiler command line this library was built from. */
const char* cn_build_id(void) { return cn::build_id_record + sizeof("cnnlab-build-id:") - 1; }

/** oneDNN version as major * 10000 + minor * 100 + patch. */
int32_t cn_onednn_version(void) {
  const dnnl_version_t* v = dnnl_version();
  return v->major * 10000 + v->minor * 100 + v->patch;
}

/** Sets the OpenMP thread count used by every kernel; n <= 0 keeps the current one. Returns it. */
int32_t cn_set_threads(int32_t n) {
  if (n > 0) omp_set_num_threads(n);
  return omp_get_max_threads();
}

const char* cn_last_error(void) { return cn::last_error.c_str(); }
}
