#!/usr/bin/env bash
# run-tests.sh — build libmars (unless MARS_OUT already holds one), marsd and the
# JNI glue, then run the Java binding's JUnit 5 tests against marsd on loopback.
# Prints "N passed, N failed" last; exits non-zero on any failure.
#
#   MARS_OUT=/path/to/out bindings/java/run-tests.sh     # reuse a built library
#   MARS_JAVA_BENCH=1 bindings/java/run-tests.sh         # the benchmarks instead (Java and C figures)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MARS_OUT="${MARS_OUT:-$ROOT/out}"
BUILD="$HERE/target"
NATIVE="$BUILD/native"

# 1. Tools: gcc, a JDK (javac + jni.h), Maven, nm. Debian packages, installed only if missing.
need=()
command -v gcc >/dev/null || need+=(gcc)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
command -v nm >/dev/null || need+=(binutils)
if [ ${#need[@]} -gt 0 ]; then
    echo "run-tests.sh: installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
export JAVA_HOME

# 2. libmars and marsd.
if [ ! -f "$MARS_OUT/lib/libmars.so.0" ] || [ ! -f "$MARS_OUT/include/mars.h" ]; then
    make -C "$ROOT" lib OUT="$MARS_OUT"
fi
mkdir -p "$NATIVE"
(cd "$ROOT" && go build -o "$BUILD/marsd" ./cmd/marsd)

# 3. The JNI glue, next to a copy of libmars.so.0 (found through RUNPATH $ORIGIN).
gcc -O2 -std=gnu11 -Wall -Wextra -Werror -fvisibility=hidden -shared -fPIC \
    -I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux" -I"$MARS_OUT/include" \
    -o "$NATIVE/libmarsjni.so" "$HERE"/src/main/c/*.c \
    -L"$MARS_OUT/lib" -lmars -Wl,-rpath,'$ORIGIN'
cp -f "$MARS_OUT/lib/libmars.so.0" "$NATIVE/"

# 4. JUnit 5 through Surefire (with -Xcheck:jni). libjsig chains the JVM's and Go's signal handlers.
MARS_JSIG=""
[ -f "$JAVA_HOME/lib/libjsig.so" ] && MARS_JSIG="$JAVA_HOME/lib/libjsig.so"
export MARS_JSIG
groups=()
if [ "${MARS_JAVA_BENCH:-0}" = 1 ]; then
    gcc -O2 -Wall -Wextra -Werror -I"$MARS_OUT/include" -o "$NATIVE/c_round_trip" "$HERE/bench/c_round_trip.c" \
        -L"$NATIVE" -l:libmars.so.0 -Wl,-rpath,'$ORIGIN'
    gcc -O2 -Wall -Wextra -Werror -I"$MARS_OUT/include" -o "$NATIVE/c_xlog_line" "$HERE/bench/c_xlog_line.c" \
        -L"$NATIVE" -l:libmars.so.0 -Wl,-rpath,'$ORIGIN'
    groups=(-Dmars.excludedGroups=none -Dgroups=bench -Dmars.jvmcheck=-Xshare:auto -Dmars.cbench="$NATIVE/c_round_trip"
            -Dmars.cxlogbench="$NATIVE/c_xlog_line")
fi
rm -rf "$BUILD/surefire-reports" "$BUILD/surefire-asan"
rc=0
mvn -q -B -Dstyle.color=never -f "$HERE/pom.xml" test \
    -Dmars.jni.dir="$NATIVE" -Dmarsd.path="$BUILD/marsd" -Dmars.header="$MARS_OUT/include/mars.h" \
    ${groups[@]+"${groups[@]}"} || rc=$?

# 4b. The engine, callback, xlog and error tests again with the glue under
# AddressSanitizer (MARS_JAVA_ASAN=0 skips it). The JVM owns SIGSEGV, so ASan
# must leave the fault signals alone; leaks are not checked (the JVM and Go
# runtimes keep memory until exit).
asan_lib="$(gcc -print-file-name=libasan.so)"
if [ "${MARS_JAVA_ASAN:-1}" = 1 ] && [ "${MARS_JAVA_BENCH:-0}" != 1 ] && [ -f "$asan_lib" ]; then
    mkdir -p "$BUILD/native-asan"
    gcc -O1 -g -fsanitize=address -fno-omit-frame-pointer -std=gnu11 -Wall -Wextra -Werror -fvisibility=hidden \
        -shared -fPIC -I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux" -I"$MARS_OUT/include" \
        -o "$BUILD/native-asan/libmarsjni.so" "$HERE"/src/main/c/*.c \
        -L"$MARS_OUT/lib" -lmars -Wl,-rpath,'$ORIGIN'
    cp -f "$MARS_OUT/lib/libmars.so.0" "$BUILD/native-asan/"
    MARS_JSIG="$asan_lib${MARS_JSIG:+ $MARS_JSIG}" \
    ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0:allow_user_segv_handler=1:detect_leaks=0 \
    mvn -q -B -Dstyle.color=never -f "$HERE/pom.xml" surefire:test \
        -Dmars.jni.dir="$BUILD/native-asan" -Dmarsd.path="$BUILD/marsd" -Dmars.reports="$BUILD/surefire-asan" \
        -Dtest='StnTest,CallbacksTest,NetworkTest,StnLogicTest,XlogTest,ErrorsTest,SdtTest' || rc=$?
fi

# 5. The closing line, counted from Surefire's reports, alone on its line.
echo
python3 - "$rc" "$BUILD/surefire-reports" "$BUILD/surefire-asan" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
tests = failed = skipped = 0
for f in [f for d in sys.argv[2:] for f in glob.glob(d + "/TEST-*.xml")]:
    r = ET.parse(f).getroot()
    tests += int(r.get("tests", 0)); skipped += int(r.get("skipped", 0))
    failed += int(r.get("failures", 0)) + int(r.get("errors", 0))
if tests == 0 and sys.argv[1] != "0":
    failed = max(failed, 1)  # the build failed before any test ran
print(f"{max(tests - failed - skipped, 0)} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
exit "$rc"
