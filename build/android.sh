#!/usr/bin/env bash
# Builds libmars.so for Android with the NDK's clang, one per ABI, in the
# layout an app's Gradle project takes as jniLibs:
#
#   OUT/android/jniLibs/<abi>/libmars.so     c-shared, stripped, -trimpath,
#                                            only mars_* exported, soname
#                                            libmars.so (System.loadLibrary("mars")),
#                                            ELF segments aligned to 16 KB
#   OUT/android/include/mars.h
#
# Usage: build/android.sh [abi ...]     (default: arm64-v8a armeabi-v7a x86_64 x86)
# Needs: ANDROID_NDK_HOME (or ANDROID_NDK_ROOT) pointing at an NDK (r23 or
#        newer); Go with cgo. ANDROID_API (default 21) is the minSdk.
#
# 16 KB pages: Google Play requires 16 KB-aligned native libraries for apps
# targeting Android 15+ (from 2025-11-01). NDK r28 aligns by default, older
# ones do not, so -Wl,-z,max-page-size=16384 is always passed and checked.
# Android has no c-archive build mode; Go's runtime/cgo links liblog itself.
#
# This cannot run on the project's Linux CI (no NDK there); it fails at once,
# with the reason, when the NDK is missing. tests/c/android_compile_check.sh
# runs this script through a fake NDK (Debian's aarch64 cross gcc and a stub
# liblog) to check that the library compiles and links for GOOS=android with
# these flags; the result cannot run on a device.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/out}/android
go=${GO:-go}
api=${ANDROID_API:-21}
ndk=${ANDROID_NDK_HOME:-${ANDROID_NDK_ROOT:-}}

die() { echo "android.sh: $*" >&2; exit 1; }
[ -n "$ndk" ] || die "ANDROID_NDK_HOME (or ANDROID_NDK_ROOT) is not set; install the Android NDK (r23+) and point it there"
[ -d "$ndk/toolchains/llvm/prebuilt" ] || die "$ndk does not look like an NDK (no toolchains/llvm/prebuilt)"
case "$(uname -s)-$(uname -m)" in
  Linux-*) host=linux-x86_64 ;;
  Darwin-*) host=darwin-x86_64 ;; # the NDK ships x86_64 (universal on newer releases) binaries
  *) die "unsupported build host $(uname -s)" ;;
esac
bin="$ndk/toolchains/llvm/prebuilt/$host/bin"
[ -d "$bin" ] || die "no NDK toolchain at $bin"

abis=("$@")
[ ${#abis[@]} -gt 0 ] || abis=(arm64-v8a armeabi-v7a x86_64 x86)
mkdir -p "$out/include"
cp "$root/include/mars.h" "$out/include/mars.h"

for abi in "${abis[@]}"; do
  goarm=""
  case "$abi" in
    arm64-v8a)   goarch=arm64; triple=aarch64-linux-android ;;
    armeabi-v7a) goarch=arm;   triple=armv7a-linux-androideabi; goarm=7 ;;
    x86_64)      goarch=amd64; triple=x86_64-linux-android ;;
    x86)         goarch=386;   triple=i686-linux-android ;;
    *) die "unknown ABI $abi (arm64-v8a, armeabi-v7a, x86_64, x86)" ;;
  esac
  cc="$bin/$triple$api-clang"
  [ -x "$cc" ] || die "no compiler $cc (is API level $api available in this NDK?)"
  dst="$out/jniLibs/$abi"
  mkdir -p "$dst"
  ext="-Wl,--version-script=$root/build/mars.map -Wl,-soname,libmars.so -Wl,-z,max-page-size=16384 -Wl,-z,common-page-size=16384"
  echo "android.sh: $abi ($triple$api)"
  (cd "$root" && CGO_ENABLED=1 GOOS=android GOARCH=$goarch GOARM=$goarm CC="$cc" \
    CGO_LDFLAGS="-Wl,-z,max-page-size=16384" \
    "$go" build -buildmode=c-shared -trimpath -ldflags="-s -w -extldflags '$ext'" \
    -o "$dst/libmars.so" ./capi)
  rm -f "$dst/libmars.h"
  # Every LOAD segment must be aligned to at least 16 KB (2**14).
  if [ -x "$bin/llvm-readelf" ]; then
    if "$bin/llvm-readelf" -lW "$dst/libmars.so" | awk '$1=="LOAD" {print $NF}' | grep -qvE '^0x(4000|8000|10000)$'; then
      die "$abi: a LOAD segment is not 16 KB aligned"
    fi
  fi
done
echo "android.sh: done: $out/jniLibs/{$(IFS=,; echo "${abis[*]}")}/libmars.so"
