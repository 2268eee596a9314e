#!/usr/bin/env bash
# asan_library.sh [BUILD_DIR]: the deeper ASan run. The CTest *_asan tests
# instrument only the C test programs (the library stays plain, which is
# what the Go runtime needs by default); this builds libmars itself with
# `go build -asan` — shim.c and the Go code's C accesses instrumented too —
# and runs every *_asan test program against it. It takes a minute or so and
# a 20 MB library, so it is not part of `make test`.
# BUILD_DIR defaults to out/cmake (configure and build it first: make test-c).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/out/cmake}
[ -x "$build/tests/c/test_args_asan" ] || { echo "asan_library: build $build first (make test-c)" >&2; exit 1; }
lib=$build/lib-asan
mkdir -p "$lib"
(cd "$root" && CGO_ENABLED=1 go build -asan -buildmode=c-shared \
  -ldflags="-extldflags '-Wl,--version-script=$root/build/mars.map -Wl,-soname,libmars.so.0'" \
  -o "$lib/libmars.so.0" ./capi)
rm -f "$lib/libmars.so.h"
passed=0 failed=0
for t in "$build"/tests/c/*_asan; do
  if MARS_HEADER="$root/include/mars.h" MARSD="$build/marsd" LD_LIBRARY_PATH="$lib" "$t" >"$lib/$(basename "$t").log" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "asan_library: $(basename "$t") failed; see $lib/$(basename "$t").log" >&2
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
