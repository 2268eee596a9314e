#!/usr/bin/env bash
# check_install.sh BUILD_DIR SOURCE_DIR: installs the built library into a
# temporary prefix (outside the loader's search path), checks what got
# installed, then builds and runs a consumer through find_package(mars) (built
# and installed) and through pkg-config, all without LD_LIBRARY_PATH: the
# installed package config and mars.pc must put the library on the run path.
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset LD_LIBRARY_PATH
fail() { echo "check_install: $*" >&2; exit 1; }
ver() { sed -n "s/^#define MARS_VERSION_$1[[:space:]]*\([0-9]*\).*/\1/p" "$src/include/mars.h"; }
major=$(ver MAJOR) version=$(ver MAJOR).$(ver MINOR).$(ver PATCH)

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(ls -d "$tmp"/prefix/lib*/ | head -1)
for f in "libmars.so.$version" libmars.a pkgconfig/mars.pc cmake/mars/marsConfig.cmake; do
  [ -f "$libdir/$f" ] && [ ! -L "$libdir/$f" ] || fail "$libdir$f not installed as a file"
done
[ "$(readlink "$libdir/libmars.so.$major")" = "libmars.so.$version" ] || fail "libmars.so.$major is not a link to libmars.so.$version"
[ "$(readlink "$libdir/libmars.so")" = "libmars.so.$major" ] || fail "libmars.so is not a link to libmars.so.$major"
readelf -d "$libdir/libmars.so.$version" | grep -q "SONAME.*\[libmars.so.$major\]" || fail "soname is not libmars.so.$major"
[ -f "$tmp/prefix/include/mars.h" ] || fail "mars.h not installed"
[ -f "$tmp/prefix/include/mars.hpp" ] || fail "mars.hpp not installed"
for t in mars marsd; do
  [ -x "$tmp/prefix/bin/$t" ] || fail "bin/$t not installed"
done

cmake -S "$src/tests/c/consumer" -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/cmake" >/dev/null
"$tmp/cmake/consumer"
cmake --install "$tmp/cmake" --prefix "$tmp/app" >/dev/null
"$tmp/app/bin/consumer"

export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
cc -o "$tmp/consumer-pc" "$src/tests/c/consumer/consumer.c" $(pkg-config --cflags --libs mars)
"$tmp/consumer-pc"
echo "1 passed, 0 failed"
