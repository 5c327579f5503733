#!/usr/bin/env bash
# Builds build/libcnnlab_native.so, the oneDNN shim behind the `native` tfjs backend.
# Skips when the library is newer than every source file; fails with the install command when
# oneDNN's headers are missing. Called by scripts/setup.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
ext=so
[ "$(uname -s)" = Darwin ] && ext=dylib # the name _library.ts looks for on each OS
out="$root/build/libcnnlab_native.$ext"
sources=("$here"/src/*.cpp)
if [ -f "$out" ]; then
  stale=0
  for f in "${sources[@]}" "$here"/src/*.hpp "$0"; do [ "$f" -nt "$out" ] && stale=1; done
  if [ "$stale" -eq 0 ]; then echo "native backend: $out is up to date"; exit 0; fi
fi
if [ ! -f /usr/include/oneapi/dnnl/dnnl.hpp ] && [ ! -f /usr/local/include/oneapi/dnnl/dnnl.hpp ] \
  && [ ! -f /opt/homebrew/include/oneapi/dnnl/dnnl.hpp ]; then
  echo "Cannot build the native backend as oneDNN's headers (oneapi/dnnl/dnnl.hpp) are missing:" \
    "install them with 'sudo apt-get install libdnnl-dev' (Homebrew: 'brew install onednn')," \
    "then run 'deno task setup'" >&2
  exit 1
fi
if ! command -v "${CXX:-g++}" >/dev/null; then
  echo "Cannot build the native backend as no C++ compiler was found: install one with" \
    "'sudo apt-get install g++', then run 'deno task setup'" >&2
  exit 1
fi
mkdir -p "$root/build"
echo "native backend: compiling $out"
# -march is left generic so the library runs on any x86-64 machine; oneDNN dispatches its own
# ISA at run time, and the element-wise loops are memory-bound anyway. -ffp-contract=off keeps
# a*b+c as two roundings, as tfjs computes it (fusedAdamUpdate is bit-identical to the ops);
# -fno-trapping-math lets branch-free selects (Step, max/min with NaN) vectorize.
extra=()
[ -d /opt/homebrew/include ] && extra+=(-I/opt/homebrew/include -L/opt/homebrew/lib)
"${CXX:-g++}" -std=c++17 -O3 -fopenmp -fPIC -shared -fno-math-errno -fno-trapping-math -ffp-contract=off \
  -I"$here/src" "${extra[@]}" "${sources[@]}" -o "$out.tmp" -ldnnl
mv "$out.tmp" "$out"
echo "native backend: built $out"
