#!/usr/bin/env bash
# Builds libmars for the host's linux architecture, release flags:
#   OUT/lib/libmars.so.<X.Y.Z>   c-shared, stripped (-s -w), -trimpath, soname
#                                libmars.so.<major>, only mars_* exported
#                                (build/mars.map); X.Y.Z from include/mars.h
#   OUT/lib/libmars.so.<major>   symlink: the soname, what programs load
#   OUT/lib/libmars.so           symlink for the linker (-lmars)
#   OUT/lib/libmars.a            c-archive, for static linking (add -lpthread)
#   OUT/include/mars.h           the public header (and mars.hpp, its C++ layer)
# then checks that the exported symbols are exactly the header's functions.
#
# Usage: build/linux.sh [--xlog-only] [--relr] [--tags "T ..."]
#                                          (OUT defaults to ./out)
#   --xlog-only  builds the logging part only (build tag mars_xlog_only): the
#                STN functions stay in the ABI and return MARS_EUNSUPPORTED.
#   --relr       packs the relative relocations (-z pack-relative-relocs):
#                0.71 MB less (0.26 MB xlog-only), but the library then
#                loads only with glibc >= 2.36 (older ones refuse it with a
#                GLIBC_ABI_DT_RELR version error); needs binutils >= 2.38.
#   --tags "T"   adds build tags (build/size.sh measures what a tag changes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/out}
go=${GO:-go}
tags=""
suffix=""
relr=""
while [ $# -gt 0 ]; do
  case "$1" in
    --xlog-only) tags="$tags mars_xlog_only"; suffix="-xlog" ;;
    --relr) relr="-Wl,-z,pack-relative-relocs" ;;
    --tags) tags="$tags ${2:?--tags needs a value}"; shift ;;
    *) echo "usage: build/linux.sh [--xlog-only] [--relr] [--tags \"T ...\"]" >&2; exit 2 ;;
  esac
  shift
done

ver() {
  local v
  v=$(sed -n "s/^#define MARS_VERSION_$1[[:space:]]*\([0-9]*\).*/\1/p" "$root/include/mars.h")
  [ -n "$v" ] || { echo "linux.sh: MARS_VERSION_$1 not found in include/mars.h" >&2; exit 1; }
  echo "$v"
}
major=$(ver MAJOR)
version=$major.$(ver MINOR).$(ver PATCH)
lib="$out/lib$suffix"
mkdir -p "$lib" "$out/include"

soname="libmars.so.$major"
realname="libmars.so.$version"
ext="-Wl,--version-script=$root/build/mars.map -Wl,-soname,$soname -Wl,-z,relro -Wl,-z,now $relr"
cd "$root"
CGO_ENABLED=1 "$go" build -buildmode=c-shared -trimpath -tags "$tags" \
  -ldflags="-s -w -extldflags '$ext'" -o "$lib/$realname" ./capi
rm -f "$lib/$soname"
ln -sf "$realname" "$lib/$soname"
ln -sf "$soname" "$lib/libmars.so"
CGO_ENABLED=1 "$go" build -buildmode=c-archive -trimpath -tags "$tags" \
  -ldflags="-s -w" -o "$lib/libmars.a" ./capi
# The cgo-generated headers are a by-product nobody ships.
rm -f "$lib"/libmars*.h
cp include/mars.h "$out/include/mars.h"
cp include/mars.hpp "$out/include/mars.hpp"

bash "$root/tests/c/check_symbols.sh" "$lib/$realname" "$root/include/mars.h"
echo "linux.sh: $(stat -c %s "$lib/$realname") bytes $lib/$realname, $(stat -c %s "$lib/libmars.a") bytes $lib/libmars.a"
