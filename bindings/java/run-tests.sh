#!/usr/bin/env bash
# run-tests.sh — build libmars (unless MARS_OUT already holds one), then
# `mvn install` the Java binding (build-native.sh builds the JNI glue and marsd
# and puts the libraries into the jar; JUnit 5 tests against marsd on
# loopback; sources and javadoc jars), the core tests again with the glue
# under ASan, and the separate consumer project (tests/consumer) against the
# installed artifact with no java.library.path.
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

# 2. libmars (build-native.sh, run by Maven, takes it from MARS_OUT).
if [ ! -f "$MARS_OUT/lib/libmars.so.0" ] || [ ! -f "$MARS_OUT/include/mars.h" ]; then
    make -C "$ROOT" lib OUT="$MARS_OUT"
fi
export MARS_OUT
NATIVE="$BUILD/classes/com/marsgo/mars/native/linux-x86_64"
MARSD="$BUILD/marsd"

# 3. Build, test, package and install (jar with its native libraries, sources, javadoc).
#    libjsig (the pom's default LD_PRELOAD) chains the JVM's and Go's signal handlers.
groups=()
goal=install
if [ "${MARS_JAVA_BENCH:-0}" = 1 ]; then
    goal=test
    mvn -q -B -Dstyle.color=never -f "$HERE/pom.xml" generate-resources -Dmars.native.required=true
    gcc -O2 -Wall -Wextra -Werror -I"$MARS_OUT/include" -o "$BUILD/c_round_trip" "$HERE/bench/c_round_trip.c" \
        -L"$NATIVE" -l:libmars.so.0 -Wl,-rpath,"$NATIVE"
    gcc -O2 -Wall -Wextra -Werror -I"$MARS_OUT/include" -o "$BUILD/c_xlog_line" "$HERE/bench/c_xlog_line.c" \
        -L"$NATIVE" -l:libmars.so.0 -Wl,-rpath,"$NATIVE"
    groups=(-Dmars.excludedGroups=none -Dgroups=bench -Dmars.jvmcheck=-Xshare:auto -Dmars.cbench="$BUILD/c_round_trip"
            -Dmars.cxlogbench="$BUILD/c_xlog_line")
fi
rm -rf "$BUILD/surefire-reports" "$BUILD/surefire-asan" "$HERE/tests/consumer/target"
rc=0
mvn -q -B -Dstyle.color=never -f "$HERE/pom.xml" "$goal" -Dmars.native.required=true \
    ${groups[@]+"${groups[@]}"} || rc=$?

# 4. The engine, callback, xlog and error tests again with the glue under
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
    cp -fL "$MARS_OUT/lib/libmars.so.0" "$BUILD/native-asan/"
    jsig=""
    [ -f "$JAVA_HOME/lib/libjsig.so" ] && jsig=" $JAVA_HOME/lib/libjsig.so"
    ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0:allow_user_segv_handler=1:detect_leaks=0 \
    mvn -q -B -Dstyle.color=never -f "$HERE/pom.xml" surefire:test \
        -Dmars.jni.arg=-Dmars.jni.library="$BUILD/native-asan/libmarsjni.so" -Dmars.jsig="$asan_lib$jsig" \
        -Dmars.reports="$BUILD/surefire-asan" \
        -Dtest='StnTest,CallbacksTest,NetworkTest,StnLogicTest,LongLinksTest,XlogTest,ErrorsTest,SdtTest' || rc=$?
fi

# 4a. The glue initialises structs with the *_init_sized variants and its own
# sizeof, so a newer library never writes past them.
if [ -f "$NATIVE/libmarsjni.so" ]; then
    plain=$(nm -D -u "$NATIVE/libmarsjni.so" | awk '$2 ~ /^mars_(stn_config|stn_callbacks|task|xlog_config)_init$/ {print $2}')
    if [ -n "$plain" ]; then
        echo "FAIL glue_uses_sized_initialisers: calls $plain" >&2
        rc=1
    else
        echo "ok   glue_uses_sized_initialisers"
    fi
fi

# 4b. A separate project that depends on the installed artifact only.
if [ "$goal" = install ] && [ "$rc" = 0 ]; then
    version=$(sed -n '0,/<version>/s|.*<version>\(.*\)</version>.*|\1|p' "$HERE/pom.xml")
    mvn -q -B -Dstyle.color=never -f "$HERE/tests/consumer/pom.xml" test -Dmars.version="$version" || rc=$?
fi

# 5. The closing line, counted from Surefire's reports, alone on its line.
echo
python3 - "$rc" "$BUILD/surefire-reports" "$BUILD/surefire-asan" "$HERE/tests/consumer/target/surefire-reports" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
tests = failed = skipped = 0
for f in [f for d in sys.argv[2:] for f in glob.glob(d + "/TEST-*.xml")]:
    r = ET.parse(f).getroot()
    tests += int(r.get("tests", 0)); skipped += int(r.get("skipped", 0))
    failed += int(r.get("failures", 0)) + int(r.get("errors", 0))
if sys.argv[1] != "0":
    failed = max(failed, 1)  # the build or a check outside Surefire failed
print(f"{max(tests - failed - skipped, 0)} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
exit "$rc"
