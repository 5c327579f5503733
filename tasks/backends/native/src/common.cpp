#include "common.hpp"

#include <omp.h>

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

}  // namespace cn

extern "C" {

/** oneDNN version as major * 10000 + minor * 100 + patch. */
int cn_version() {
  const dnnl_version_t* v = dnnl_version();
  return v->major * 10000 + v->minor * 100 + v->patch;
}

/** Sets the OpenMP thread count used by every kernel; n <= 0 keeps the current one. Returns it. */
int cn_set_threads(int n) {
  if (n > 0) omp_set_num_threads(n);
  return omp_get_max_threads();
}

const char* cn_last_error() { return cn::last_error.c_str(); }
}
