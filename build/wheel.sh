#!/usr/bin/env bash
# Builds the Python binding's wheel with libmars inside:
#   OUT/wheel/mars_go-<version>-py3-none-manylinux_2_<N>_<arch>.whl
# The distribution is "mars-go" (the import name stays `mars`). The library
# is OUT/lib/libmars.so.<major> (build/linux.sh; built first when missing),
# copied into the package, where the binding looks before the system loader.
# The platform tag names the newest glibc symbol version the library needs,
# so pip installs the wheel only where it loads. The package's version must
# equal the header's. The repository's LICENSE goes in the wheel's
# .dist-info/licenses/ (pyproject.toml: license-files).
#
# Usage: build/wheel.sh            (OUT defaults to ./out; PYTHON to python3)
# Needs: python3 with venv and ensurepip (Debian: python3-venv), PyPI for
#        the build backend (setuptools, in pip's isolated build env), objdump.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/out}
python=${PYTHON:-python3}
die() { echo "wheel.sh: $*" >&2; exit 1; }

ver() { sed -n "s/^#define MARS_VERSION_$1[[:space:]]*\([0-9]*\).*/\1/p" "$root/include/mars.h"; }
major=$(ver MAJOR)
version=$major.$(ver MINOR).$(ver PATCH)
pyversion=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/bindings/python/pyproject.toml")
[ "$pyversion" = "$version" ] || die "bindings/python/pyproject.toml says $pyversion, include/mars.h says $version"

lib=$out/lib/libmars.so.$major
[ -f "$lib" ] || OUT="$out" bash "$root/build/linux.sh"

case "$(uname -m)" in
  x86_64) arch=x86_64 ;;
  aarch64) arch=aarch64 ;;
  *) die "no wheel tag known for $(uname -m)" ;;
esac
glibc=$(objdump -T "$lib" | grep -o 'GLIBC_2\.[0-9]*' | sort -uV | tail -1)
[ -n "$glibc" ] || die "no glibc symbol versions in $lib"
platform=manylinux_2_${glibc#GLIBC_2.}_$arch

# Build from a copy, so the source tree never holds a library or build files.
stage=$out/wheel-src
rm -rf "$stage" "$out/wheel"
mkdir -p "$stage" "$out/wheel"
(cd "$root/bindings/python" && tar --exclude=__pycache__ --exclude='*.egg-info' -cf - \
  pyproject.toml setup.py README.md mars) | tar -xf - -C "$stage"
cp -L "$root/LICENSE" "$stage/LICENSE" # license-files: .dist-info/licenses/LICENSE
cp -L "$lib" "$stage/mars/libmars.so.$major"
# pip from a venv of our own: the system Python may have none.
[ -x "$out/wheel-venv/bin/python" ] || "$python" -m venv "$out/wheel-venv"
MARS_WHEEL_PLATFORM=$platform "$out/wheel-venv/bin/python" -m pip wheel -q --no-deps --disable-pip-version-check \
  -w "$out/wheel" "$stage" >&2
whl=$(ls "$out"/wheel/mars_go-"$version"-py3-none-"$platform".whl) || die "no wheel tagged $platform was built"
echo "$whl"
