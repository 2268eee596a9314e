#!/usr/bin/env bash
# run-tests.sh — builds the mars-go wheel (libmars inside, build/wheel.sh),
# installs it into a fresh venv and runs the binding's tests against that
# install (not the source tree, and with no MARS_LIBRARY) and marsd on
# loopback. Self-contained; the root `make test` calls it.
#
#   bindings/python/run-tests.sh            # tests (pytest's summary line closes the output)
#   bindings/python/run-tests.sh --bench    # tests, then the benchmarks
#
# Environment:
#   MARS_OUT      build directory (default <repo>/out). If it already holds
#                 lib/libmars.so.<major>, the library is not rebuilt.
#   PYTHON        interpreter for the venv (default python3, >= 3.10)
#   PYTEST_ARGS   extra pytest arguments (e.g. "-k xlog -x")
#
# The venv (MARS_OUT/python-venv) is made anew each run; pytest is pinned and
# installed from PyPI into it (never into the system Python); if PyPI cannot
# be reached, Debian's python3-pytest is seen through --system-site-packages.
# Exits non-zero on any failure.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${MARS_OUT:-$root/out}
python=${PYTHON:-python3}
pytest_version=9.0.3
venv=$out/python-venv
bench=0
[ "${1:-}" = "--bench" ] && bench=1

say() { echo "run-tests.sh: $*" >&2; }

apt_install() {
  say "installing Debian packages: $*"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# 1. What the machine must have: python3 with venv, a C compiler (cgo and the
#    layout test), Go.
missing=()
command -v "$python" >/dev/null 2>&1 || { missing+=(python3); python=python3; }
command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || missing+=(gcc)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}" python3-venv
"$python" -c 'import sys; assert sys.version_info >= (3, 10), sys.version' ||
  { say "$python is older than 3.10"; exit 1; }
command -v go >/dev/null 2>&1 || { say "go is required to build libmars and marsd"; exit 1; }

# 2. libmars (unless MARS_OUT already holds one), the wheel and marsd.
major=$(sed -n 's/^#define MARS_VERSION_MAJOR[[:space:]]*\([0-9]*\).*/\1/p' "$root/include/mars.h")
lib=$out/lib/libmars.so.$major
if [ -n "${MARS_OUT:-}" ] && [ -f "$lib" ]; then
  say "using the library in $lib"
else
  make -s -C "$root" lib OUT="$out" >&2
fi
"$python" -c 'import ensurepip' 2>/dev/null || apt_install python3-venv   # venvs with pip
wheel=$(OUT="$out" PYTHON="$python" bash "$root/build/wheel.sh")
mkdir -p "$out/bin"
(cd "$root" && go build -trimpath -o "$out/bin/marsd" ./cmd/marsd)

# 3. A fresh venv holding the wheel and pinned pytest from PyPI; without
#    PyPI, Debian's python3-pytest through the system site-packages.
runner=$venv/bin/python
"$python" -m venv --clear "$venv"
"$runner" -m pip install -q --disable-pip-version-check --no-deps --no-index "$wheel"
if ! "$runner" -m pip install -q --disable-pip-version-check --retries 2 --timeout 20 "pytest==$pytest_version"; then
  say "PyPI unreachable: falling back to Debian's python3-pytest"
  /usr/bin/python3 -c 'import pytest' 2>/dev/null || apt_install python3-pytest
  "$python" -m venv --clear --system-site-packages "$venv"
  "$runner" -m pip install -q --disable-pip-version-check --no-deps --no-index "$wheel"
fi

# 4. The tests, from an empty folder so that `import mars` finds the
#    installed package, with no MARS_LIBRARY: the wheel's library is used.
unset MARS_LIBRARY PYTHONPATH
export MARS_WHEEL=$wheel
export MARSD=$out/bin/marsd
export MARS_HEADER=$out/include/mars.h
export MARS_INCLUDE=$out/include
export PYTHONPYCACHEPREFIX=$out/python-pycache   # keep the source tree clean
rundir=$out/python-run
rm -rf "$rundir" && mkdir -p "$rundir" && cd "$rundir"
# shellcheck disable=SC2086
"$runner" -m pytest -p no:cacheprovider -q ${PYTEST_ARGS:-} "$here/tests"
if [ "$bench" = 1 ]; then
  "$runner" "$here/bench/bench_stn.py"
fi
