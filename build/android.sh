#!/usr/bin/env bash
# Builds libmars.so for Android with the NDK's clang, one per ABI, in the
# layout an app's Gradle project takes as jniLibs, and the Java binding as
# an Android library (AAR) holding it:
#
#   OUT/android/jniLibs/<abi>/libmars.so     c-shared, stripped, -trimpath,
#                                            only mars_* exported, soname
#                                            libmars.so (System.loadLibrary("mars")),
#                                            ELF segments aligned to 16 KB
#   OUT/android/jniLibs/<abi>/libmarsjni.so  the JNI glue (bindings/java/src/main/c),
#                                            NEEDED libmars.so, same alignment
#   OUT/android/include/mars.h
#   OUT/android/mars-<version>.aar           a zip of:
#       AndroidManifest.xml   package com.marsgo.mars, minSdk ANDROID_API, INTERNET
#       classes.jar           bindings/java/src/main/java (javac --release 17)
#       R.txt                 empty: the library has no resources
#       jni/<abi>/libmars.so, jni/<abi>/libmarsjni.so
#
# Usage: build/android.sh [abi ...]     (default: arm64-v8a armeabi-v7a x86_64 x86)
#        build/android.sh --check-aar FILE [abi ...]
#            checks an AAR's layout only (no NDK needed): exactly the entries
#            above, each .so an ELF shared object for its ABI's machine,
#            libmarsjni.so needing libmars.so, the classes present. Every
#            build ends with this check of the AAR it wrote.
# Needs: ANDROID_NDK_HOME (or ANDROID_NDK_ROOT) pointing at an NDK (r23 or
#        newer); Go with cgo; a JDK (javac, jar; JAVA_HOME or PATH) for the
#        AAR. ANDROID_API (default 21) is the minSdk.
#
# 16 KB pages: Google Play requires 16 KB-aligned native libraries for apps
# targeting Android 15+ (from 2025-11-01). NDK r28 aligns by default, older
# ones do not, so -Wl,-z,max-page-size=16384 is always passed and checked.
# Android has no c-archive build mode; Go's runtime/cgo links liblog itself.
#
# This cannot run on the project's Linux CI (no NDK there); it fails at once,
# with the reason, when the NDK is missing. The AAR is correct by
# construction, not proven on a device: tests/c/android_compile_check.sh
# runs this script through a fake NDK (Debian's aarch64 cross gcc, a stub
# liblog and the host JDK's jni.h) to check that the library and the glue
# compile and link for GOOS=android with these flags and that the AAR's
# layout passes --check-aar; the result cannot run on a device.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/out}/android
go=${GO:-go}
api=${ANDROID_API:-21}
ndk=${ANDROID_NDK_HOME:-${ANDROID_NDK_ROOT:-}}

die() { echo "android.sh: $*" >&2; exit 1; }

jdk_tool() { # javac or jar from JAVA_HOME, else PATH
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/$1" ]; then echo "$JAVA_HOME/bin/$1"; else command -v "$1" || die "$1 not found (a JDK is needed for the AAR)"; fi
}

abi_machine() { # the ELF machine readelf -h names for an ABI
  case "$1" in
    arm64-v8a) echo AArch64 ;;
    armeabi-v7a) echo ARM ;;
    x86_64) echo "Advanced Micro Devices X86-64" ;;
    x86) echo "Intel 80386" ;;
    *) die "unknown ABI $1 (arm64-v8a, armeabi-v7a, x86_64, x86)" ;;
  esac
}

# check_aar FILE ABI...: the layout an AAR consumer (the Android Gradle
# plugin) reads, nothing more and nothing less.
check_aar() {
  local aar=$1 abi tmp want got
  shift
  [ -f "$aar" ] || die "--check-aar: no file $aar"
  tmp=$(mktemp -d)
  want=$(
    printf '%s\n' AndroidManifest.xml R.txt classes.jar
    for abi in "$@"; do printf 'jni/%s/libmars.so\njni/%s/libmarsjni.so\n' "$abi" "$abi"; done
  )
  (cd "$tmp" && "$(jdk_tool jar)" xf "$aar")
  got=$(cd "$tmp" && find . -type f | sed 's|^\./||')
  if [ "$(sort <<<"$want")" != "$(sort <<<"$got")" ]; then
    rm -rf "$tmp"
    die "--check-aar: $aar holds [$(sort <<<"$got" | tr '\n' ' ')], want [$(sort <<<"$want" | tr '\n' ' ')]"
  fi
  grep -q 'package="com.marsgo.mars"' "$tmp/AndroidManifest.xml" || { rm -rf "$tmp"; die "--check-aar: manifest without package"; }
  [ ! -s "$tmp/R.txt" ] || { rm -rf "$tmp"; die "--check-aar: R.txt should be empty (no resources)"; }
  "$(jdk_tool jar)" tf "$tmp/classes.jar" | grep -qx 'com/marsgo/mars/Mars.class' ||
    { rm -rf "$tmp"; die "--check-aar: classes.jar has no com/marsgo/mars/Mars.class"; }
  for abi in "$@"; do
    for so in libmars.so libmarsjni.so; do
      readelf -h "$tmp/jni/$abi/$so" | grep -q 'Type:.*DYN' &&
        readelf -h "$tmp/jni/$abi/$so" | grep -q "Machine:[[:space:]]*$(abi_machine "$abi")\$" ||
        { rm -rf "$tmp"; die "--check-aar: jni/$abi/$so is not a shared object for $(abi_machine "$abi")"; }
    done
    readelf -d "$tmp/jni/$abi/libmarsjni.so" | grep -q 'NEEDED.*\[libmars.so\]' ||
      { rm -rf "$tmp"; die "--check-aar: jni/$abi/libmarsjni.so does not need libmars.so"; }
  done
  rm -rf "$tmp"
  echo "android.sh: $aar: layout ok ($*)"
}

if [ "${1:-}" = "--check-aar" ]; then
  [ $# -ge 2 ] || die "usage: build/android.sh --check-aar FILE [abi ...]"
  aar=$2
  shift 2
  [ $# -gt 0 ] || set -- arm64-v8a armeabi-v7a x86_64 x86
  check_aar "$aar" "$@"
  exit 0
fi
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
  # The JNI glue; the NDK's sysroot has jni.h.
  "$cc" -O2 -std=gnu11 -Wall -Wextra -Werror -fvisibility=hidden -shared -fPIC -I"$out/include" \
    -o "$dst/libmarsjni.so" "$root"/bindings/java/src/main/c/*.c -L"$dst" -lmars \
    -Wl,-soname,libmarsjni.so -Wl,-z,max-page-size=16384 -Wl,-z,common-page-size=16384 -s
  # Every LOAD segment must be aligned to at least 16 KB (2**14).
  if [ -x "$bin/llvm-readelf" ]; then
    for so in libmars.so libmarsjni.so; do
      if "$bin/llvm-readelf" -lW "$dst/$so" | awk '$1=="LOAD" {print $NF}' | grep -qvE '^0x(4000|8000|10000)$'; then
        die "$abi: a LOAD segment of $so is not 16 KB aligned"
      fi
    done
  fi
done
echo "android.sh: done: $out/jniLibs/{$(IFS=,; echo "${abis[*]}")}/{libmars.so,libmarsjni.so}"

# The AAR, from a clean stage.
version=$(sed -n 's/^#define MARS_VERSION_STRING[[:space:]]*"\(.*\)".*/\1/p' "$root/include/mars.h")
stage=$out/aar
rm -rf "$stage" "$out/classes"
mkdir -p "$stage" "$out/classes"
"$(jdk_tool javac)" --release 17 -nowarn -d "$out/classes" $(find "$root/bindings/java/src/main/java" -name '*.java')
"$(jdk_tool jar)" cf "$stage/classes.jar" -C "$out/classes" .
cat >"$stage/AndroidManifest.xml" <<XML
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.marsgo.mars">
    <uses-sdk android:minSdkVersion="$api" />
    <uses-permission android:name="android.permission.INTERNET" />
</manifest>
XML
: >"$stage/R.txt"
for abi in "${abis[@]}"; do
  mkdir -p "$stage/jni/$abi"
  cp "$out/jniLibs/$abi/libmars.so" "$out/jniLibs/$abi/libmarsjni.so" "$stage/jni/$abi/"
done
aar=$out/mars-$version.aar
rm -f "$aar"
"$(jdk_tool jar)" cfM "$aar" -C "$stage" .
check_aar "$aar" "${abis[@]}"
