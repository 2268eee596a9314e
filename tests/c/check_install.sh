#!/usr/bin/env bash
# check_install.sh BUILD_DIR SOURCE_DIR: installs the built library into a
# temporary prefix, then builds and runs a consumer twice, once through
# find_package(mars) (CMake package config) and once through pkg-config.
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(ls -d "$tmp"/prefix/lib*/ | head -1)
for f in libmars.so libmars.a pkgconfig/mars.pc cmake/mars/marsConfig.cmake; do
  [ -e "$libdir/$f" ] || { echo "check_install: $libdir$f not installed" >&2; exit 1; }
done
[ -e "$tmp/prefix/include/mars.h" ] || { echo "check_install: mars.h not installed" >&2; exit 1; }

cmake -S "$src/tests/c/consumer" -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/cmake" >/dev/null
LD_LIBRARY_PATH="$libdir" "$tmp/cmake/consumer"

export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
cc -o "$tmp/consumer-pc" "$src/tests/c/consumer/consumer.c" $(pkg-config --cflags --libs mars)
LD_LIBRARY_PATH="$libdir" "$tmp/consumer-pc"
readelf -d "$libdir/libmars.so" | grep -q 'SONAME.*libmars.so.[0-9]' || { echo "check_install: no soname" >&2; exit 1; }
echo "1 passed, 0 failed"
