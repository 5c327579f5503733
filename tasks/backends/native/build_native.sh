#!/usr/bin/env bash
# Builds build/libcnnlab_native.so, the oneDNN shim behind the `native` tfjs backend.
#
#   bash tasks/backends/native/build_native.sh [--src DIR] [--out FILE]
#
# The library carries a build id: SHA-256 over every file of src/ (sorted by name, name + size +
# content) and the compiler command line (compiler path, its `--version` line, the flags of
# src/build_flags.txt and $CNNLAB_NATIVE_CXXFLAGS). build_id.ts computes the same id from the
# TypeScript side, and registerNativeBackend() rebuilds a library whose id differs. The compile is
# skipped when the library already carries the id. Fails with the install command when oneDNN's
# headers or a compiler are missing. Called by scripts/setup.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
ext=so
[ "$(uname -s)" = Darwin ] && ext=dylib # the name _library.ts looks for on each OS
src="$here/src"
out="$root/build/libcnnlab_native.$ext"
while [ $# -gt 0 ]; do
  case "$1" in
    --src) src="$(cd "$2" && pwd)"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "Cannot build the native backend with argument '$1': use [--src DIR] [--out FILE]" >&2; exit 2 ;;
  esac
done
if ! cxx="$(command -v "${CXX:-g++}")"; then
  echo "Cannot build the native backend as no C++ compiler was found ('${CXX:-g++}'): install one" \
    "with 'sudo apt-get install g++', then run 'deno task setup'" >&2
  exit 1
fi
version="$("$cxx" --version | head -n 1)"
# Comments out, one space between flags.
flags="$(sed 's/#.*//' "$src/build_flags.txt" | tr -s ' \t\n' '   ' | sed 's/^ *//; s/ *$//')"
extra="$(printf '%s' "${CNNLAB_NATIVE_CXXFLAGS:-}" | tr -s ' \t\n' '   ' | sed 's/^ *//; s/ *$//')"
[ -n "$extra" ] && flags="$flags $extra"
id="$(
  {
    printf 'cnnlab-native-build 1\n'
    while IFS= read -r name; do
      printf 'file %s %d\n' "$name" "$(wc -c <"$src/$name")"
      cat "$src/$name"
      printf '\n'
    done < <(cd "$src" && find . -maxdepth 1 -type f | sed 's|^\./||' | LC_ALL=C sort)
    printf 'compiler %s\nversion %s\nflags %s\n' "$cxx" "$version" "$flags"
  } | sha256sum | cut -c1-64
)"
if [ -f "$out" ] && grep -qaF "cnnlab-build-id:$id" "$out"; then
  echo "native backend: $out is up to date (build $id)"
  exit 0
fi
if [ ! -f /usr/include/oneapi/dnnl/dnnl.hpp ] && [ ! -f /usr/local/include/oneapi/dnnl/dnnl.hpp ] \
  && [ ! -f /opt/homebrew/include/oneapi/dnnl/dnnl.hpp ]; then
  echo "Cannot build the native backend as oneDNN's headers (oneapi/dnnl/dnnl.hpp) are missing:" \
    "install them with 'sudo apt-get install libdnnl-dev' (Homebrew: 'brew install onednn', and" \
    "CNNLAB_NATIVE_CXXFLAGS='-I/opt/homebrew/include -L/opt/homebrew/lib'), then run 'deno task setup'" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
echo "native backend: compiling $out (build $id)"
# Libraries (-l…) go after the sources, where the linker looks for what they provide.
read -ra all <<<"$flags"
compile=() libs=()
for f in "${all[@]}"; do
  case "$f" in -l*) libs+=("$f") ;; *) compile+=("$f") ;; esac
done
# Every source file compiles at once (the cores share them), then one link.
objects="$(mktemp -d)"
trap 'rm -rf "$objects"' EXIT
pids=()
for f in "$src"/*.cpp; do
  "$cxx" "${compile[@]}" -DCN_BUILD_ID="\"$id\"" -I"$src" -c "$f" -o "$objects/$(basename "$f").o" &
  pids+=("$!")
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done
[ "$failed" -eq 0 ] || { echo "Cannot build the native backend: the compiler failed (above)" >&2; exit 1; }
"$cxx" "${compile[@]}" "$objects"/*.o -o "$out.tmp.$$" "${libs[@]}"
mv "$out.tmp.$$" "$out"
echo "native backend: built $out"
