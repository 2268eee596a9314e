#!/usr/bin/env bash
# run-tests.sh — builds and tests the Objective-C binding against marsd on
# loopback, from a fresh machine of the project's kind (Debian 12):
#   1. installs gobjc + GNUstep base if missing (apt-get update only then),
#   2. builds libmars (make lib) unless $MARS_OUT already holds it, and marsd,
#   3. builds the binding, its tests and benchmarks (Makefile here),
#   4. checks that the binding calls only functions declared in mars.h, and
#      (when clang is installed) that the sources also parse under ARC and
#      that the tests pass when built with clang,
#   5. runs the tests, again under AddressSanitizer, and the README example;
#      ends with "N passed, N failed" and exits non-zero on any failure.
# Options: --bench  also runs the benchmarks (C baseline, then the binding).
# Environment: MARS_OUT (default <repo>/out), MARSD (a marsd binary to use).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${MARS_OUT:-$root/out}
bench=0
[ "${1:-}" = "--bench" ] && bench=1
# A setup or build step that fails still leaves CI a summary line.
trap 'echo "0 passed, 1 failed"' ERR

have_objc() {
  command -v gnustep-config >/dev/null 2>&1 &&
    [ -x "$(gcc -print-prog-name=cc1obj)" ] &&
    [ -f /usr/include/GNUstep/Foundation/Foundation.h ]
}
if ! have_objc; then
  echo "run-tests.sh: installing gobjc and libgnustep-base-dev" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq gobjc libgnustep-base-dev >/dev/null
fi

if [ ! -e "$out/lib/libmars.so" ] || [ ! -f "$out/include/mars.h" ]; then
  make -C "$root" lib OUT="$out"
fi
marsd=${MARSD:-}
if [ -z "$marsd" ]; then
  mkdir -p "$out/bin"
  (cd "$root" && go build -trimpath -o "$out/bin/marsd" ./cmd/marsd)
  marsd=$out/bin/marsd
fi

make -s -C "$here" MARS_OUT="$out" all

# The binding may call only what mars.h declares.
sym_failed=0
for s in $(nm -u "$out/objc/libMarsObjC.a" | awk '$2 ~ /^mars_/ {print $2}' | sort -u); do
  if ! grep -Eq "[ *]$s\(" "$out/include/mars.h"; then
    echo "FAIL symbols: $s is not declared in mars.h" >&2
    sym_failed=1
  fi
done
echo "$([ $sym_failed = 0 ] && echo 'ok  ' || echo FAIL) binding_calls_only_mars_h_functions"
# Structs are initialised with the *_init_sized variants and the binding's
# own sizeof, so a newer library never writes past them.
plain=$(nm -u "$out/objc/libMarsObjC.a" | awk '$2 ~ /^mars_(stn_config|stn_callbacks|task|xlog_config)_init$/ {print $2}' | sort -u)
if [ -n "$plain" ]; then
  echo "FAIL binding_uses_sized_initialisers: calls $plain" >&2
  sym_failed=1
fi
# And the other way round, as information: what mars.h has that the binding
# does not call yet (mars_buf_reserve/commit are covered by mars_buf_append;
# mars_longlink_config_init writes the library's sizeof, so its documented
# defaults are set by hand).
unbound=$(comm -23 \
  <(grep -oE '\bmars_[a-z0-9_]+\(' "$out/include/mars.h" | tr -d '(' | sort -u) \
  <(nm -u "$out/objc/libMarsObjC.a" | awk '$2 ~ /^mars_/ {print $2}' | sort -u) |
  grep -vxE 'mars_buf_(reserve|commit)|mars_longlink_config_init' | tr '\n' ' ' || true)
[ -n "$unbound" ] && echo "note: mars.h functions not bound yet: $unbound"

# The same sources under ARC (Apple's mode), parsed by clang when present.
arc_failed=-1
if command -v clang >/dev/null 2>&1; then
  arc_failed=0
  make -s -C "$here" MARS_OUT="$out" arc-check || arc_failed=1
  echo "$([ $arc_failed = 0 ] && echo 'ok  ' || echo FAIL) sources_parse_under_arc"
else
  echo "skip sources_parse_under_arc (no clang)"
fi

set +e
MARSD=$marsd TMPDIR=${TMPDIR:-/tmp} "$out/objc/mars-objc-tests" >"$out/objc/test.log" 2>"$out/objc/test.err"
test_rc=$?
set -e
grep -v ' level=' "$out/objc/test.err" >&2 || true   # marsd's own log lines are noise here
grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$out/objc/test.log" || true
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/objc/test.log" | tail -1 || true)
passed=0
failed=1 # a runner that died before its summary is a failure
if [ -n "$summary" ]; then
  passed=$(echo "$summary" | awk '{print $1}')
  failed=$(echo "$summary" | awk '{print $3}')
fi
if [ $sym_failed = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
case $arc_failed in 0) passed=$((passed + 1)) ;; 1) failed=$((failed + 1)) ;; esac

# The same tests under AddressSanitizer (use-after-free, overflows in the
# binding's manual memory management).
if make -s -C "$here" MARS_OUT="$out" MARSD="$marsd" asan-test >"$out/objc/asan.log" 2>&1 &&
  grep -qE '^[0-9]+ passed, 0 failed$' "$out/objc/asan.log"; then
  echo "ok   tests_clean_under_asan"
  passed=$((passed + 1))
else
  echo "FAIL tests_clean_under_asan (see $out/objc/asan.log)"
  grep -E 'ERROR: AddressSanitizer|FAIL|passed' "$out/objc/asan.log" >&2 || true
  failed=$((failed + 1))
fi

# The same tests built with clang (the @autoreleasepool path), when present.
clang_failed=-1
if command -v clang >/dev/null 2>&1; then
  clang_failed=1
  if make -s -C "$here" MARS_OUT="$out" MARSD="$marsd" clang-test >"$out/objc/clang.log" 2>&1 &&
    grep -qE '^[0-9]+ passed, 0 failed$' "$out/objc/clang.log"; then
    clang_failed=0
  fi
  echo "$([ $clang_failed = 0 ] && echo 'ok  ' || echo FAIL) tests_pass_built_with_clang"
  [ $clang_failed = 0 ] || grep -E 'error|FAIL|passed' "$out/objc/clang.log" >&2 || true
fi
case $clang_failed in 0) passed=$((passed + 1)) ;; 1) failed=$((failed + 1)) ;; esac

# The README's example, against its own marsd.
example_ok=0
exec {marsd_fd}< <(exec "$marsd" --long 127.0.0.1:0 --short 127.0.0.1:0 --client-version 200 2>/dev/null)
marsd_pid=$!
if read -r -t 10 line <&"$marsd_fd"; then
  port=$(echo "$line" | sed -n 's/.*long=127\.0\.0\.1:\([0-9]*\).*/\1/p')
  logs=$(mktemp -d "${TMPDIR:-/tmp}/mars-objc-example-XXXXXX")
  if timeout 30 "$out/objc/echo" 127.0.0.1 "$port" "$logs" >"$out/objc/echo.log" 2>&1 &&
    grep -q 'started task' "$out/objc/echo.log"; then
    example_ok=1
  fi
  rm -rf "$logs"
fi
kill "$marsd_pid" 2>/dev/null || true
exec {marsd_fd}<&-
if [ $example_ok = 1 ]; then
  echo "ok   readme_example_runs"
  passed=$((passed + 1))
else
  echo "FAIL readme_example_runs"
  cat "$out/objc/echo.log" >&2 || true
  failed=$((failed + 1))
fi

if [ $bench = 1 ]; then
  for b in bench-c bench-objc; do
    MARSD=$marsd "$out/objc/$b" 2>"$out/objc/$b.err" || failed=$((failed + 1))
    grep -v ' level=' "$out/objc/$b.err" >&2 || true
  done
fi

trap - ERR
echo "$passed passed, $failed failed"
[ "$test_rc" = 0 ] && [ "$failed" = 0 ]
