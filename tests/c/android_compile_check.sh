#!/usr/bin/env bash
# android_compile_check.sh: runs build/android.sh for arm64-v8a without an
# NDK, through a fake NDK whose "clang" is Debian's aarch64 glibc cross gcc
# plus a stub liblog and the host JDK's jni.h (the NDK's sysroot has its
# own). It checks that the library and the JNI glue
# compile and link for GOOS=android with the script's flags: the version
# script (only mars_* exported), soname libmars.so, 16 KB segment alignment;
# and that the AAR it assembles has the layout --check-aar wants (which
# also refuses an AAR with an entry missing, checked here on a damaged copy).
# The result links against glibc, not bionic, so it cannot run on a device.
#
# Needs: apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross; a JDK
# The net package's cgo resolver does not compile against glibc headers
# posing as bionic, so this check builds with -tags netgo; real NDK builds
# must not (Android has no /etc/resolv.conf for Go's own resolver).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v aarch64-linux-gnu-gcc >/dev/null ||
  { echo "android_compile_check: aarch64-linux-gnu-gcc missing (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ndk=$tmp/ndk
bin=$ndk/toolchains/llvm/prebuilt/linux-x86_64/bin
mkdir -p "$bin" "$tmp/stub/include/android" "$tmp/stub/lib"
cat >"$tmp/stub/include/android/log.h" <<'H'
#pragma once
#include <stdarg.h>
enum { ANDROID_LOG_FATAL = 7 };
int __android_log_print(int prio, const char *tag, const char *fmt, ...);
int __android_log_vprint(int prio, const char *tag, const char *fmt, va_list ap);
int __android_log_write(int prio, const char *tag, const char *text);
H
cat >"$tmp/stub/liblog.c" <<'C'
#include <stdarg.h>
int __android_log_print(int p, const char *t, const char *f, ...) { (void)p; (void)t; (void)f; return 0; }
int __android_log_vprint(int p, const char *t, const char *f, va_list ap) { (void)p; (void)t; (void)f; (void)ap; return 0; }
int __android_log_write(int p, const char *t, const char *x) { (void)p; (void)t; (void)x; return 0; }
C
aarch64-linux-gnu-gcc -shared -fPIC -o "$tmp/stub/lib/liblog.so" "$tmp/stub/liblog.c"
javac=$(command -v javac) || { echo "android_compile_check: javac missing (a JDK is needed)" >&2; exit 1; }
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$javac")")")}
[ -f "$jdk/include/jni.h" ] || { echo "android_compile_check: no jni.h under $jdk" >&2; exit 1; }
printf '#!/bin/sh\nexec aarch64-linux-gnu-gcc -I%s -I%s -I%s -L%s "$@"\n' "$tmp/stub/include" \
  "$jdk/include" "$jdk/include/linux" "$tmp/stub/lib" >"$bin/aarch64-linux-android21-clang"
chmod +x "$bin/aarch64-linux-android21-clang"
ln -s "$(command -v readelf)" "$bin/llvm-readelf"

GOFLAGS="${GOFLAGS:+$GOFLAGS }-tags=netgo" ANDROID_NDK_HOME=$ndk OUT=$tmp/out bash "$root/build/android.sh" arm64-v8a
so=$tmp/out/android/jniLibs/arm64-v8a/libmars.so
readelf -d "$so" | grep -q 'SONAME.*\[libmars.so\]' || { echo "android_compile_check: wrong soname" >&2; exit 1; }
bash "$root/tests/c/check_symbols.sh" "$so" "$root/include/mars.h"
aar=$(ls "$tmp"/out/android/mars-*.aar)
bash "$root/build/android.sh" --check-aar "$aar" arm64-v8a
# The check must refuse what a consumer could not use: drop the glue.
mkdir "$tmp/bad" && (cd "$tmp/bad" && jar xf "$aar" && rm jni/arm64-v8a/libmarsjni.so && jar cfM "$tmp/bad.aar" .)
if bash "$root/build/android.sh" --check-aar "$tmp/bad.aar" arm64-v8a 2>/dev/null; then
  echo "android_compile_check: --check-aar accepted an AAR without libmarsjni.so" >&2
  exit 1
fi
echo "android_compile_check: $(stat -c %s "$so") bytes, arm64-v8a; $(basename "$aar") ok"
echo "1 passed, 0 failed"
