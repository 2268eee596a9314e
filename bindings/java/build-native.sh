#!/usr/bin/env bash
# build-native.sh DEST REQUIRED [MARSD]: builds the JNI glue libmarsjni.so and libmars
# for this machine into DEST/<os>-<arch>/ (DEST is where the jar's classes
# go, so the jar carries them; NativeLoader extracts and loads them). Maven
# runs it at generate-resources, so `mvn package` needs nothing built before.
#
# Needs Go, gcc and a JDK's jni.h (JAVA_HOME). When one is missing and
# REQUIRED is not "true", it says so and stops without failing: the jar then
# holds no native code and the tests that need it are skipped with that
# reason (NativeCondition). run-tests.sh passes REQUIRED=true.
#
# MARS_OUT: a build directory that already holds lib/libmars.so.<major> and
# include/mars.h to use as they are (default: libmars is built into
# target/mars-out through build/linux.sh).
#
# MARSD: where to build the reference server marsd that the tests start.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dest=${1:?usage: build-native.sh DEST REQUIRED [MARSD]}
required=${2:-false}
marsd=${3:-}

skip() {
  if [ "$required" = true ]; then
    echo "build-native.sh: $*" >&2
    exit 1
  fi
  echo "build-native.sh: WARNING: $*; the jar gets no native libraries and the native tests are SKIPPED" >&2
  exit 0
}

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x86_64 ;;
  Linux-aarch64) platform=linux-aarch64 ;;
  *) skip "no bundled build for $(uname -s)-$(uname -m)" ;;
esac
command -v go >/dev/null 2>&1 || skip "go not found (needed to build libmars)"
cc=${CC:-gcc}
command -v "$cc" >/dev/null 2>&1 || skip "$cc not found (needed to build the JNI glue)"
java_home=${JAVA_HOME:-}
[ -f "$java_home/include/jni.h" ] || skip "no jni.h under JAVA_HOME=$java_home (a JDK is needed)"

major=$(sed -n 's/^#define MARS_VERSION_MAJOR[[:space:]]*\([0-9]*\).*/\1/p' "$root/include/mars.h")
out=${MARS_OUT:-}
if [ -z "$out" ] || [ ! -f "$out/lib/libmars.so.$major" ] || [ ! -f "$out/include/mars.h" ]; then
  out=$here/target/mars-out
  OUT="$out" bash "$root/build/linux.sh" >&2
fi

dir=$dest/$platform
mkdir -p "$dir"
"$cc" -O2 -std=gnu11 -Wall -Wextra -Werror -fvisibility=hidden -shared -fPIC \
  -I"$java_home/include" -I"$java_home/include/linux" -I"$out/include" \
  -o "$dir/libmarsjni.so" "$here"/src/main/c/*.c \
  -L"$out/lib" -lmars -Wl,-rpath,'$ORIGIN'
cp -fL "$out/lib/libmars.so.$major" "$dir/libmars.so.$major"
echo "build-native.sh: $dir/{libmarsjni.so,libmars.so.$major}" >&2
if [ -n "$marsd" ]; then
  (cd "$root" && go build -trimpath -o "$marsd" ./cmd/marsd)
fi
