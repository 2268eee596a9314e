#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, only when missing.
# Safe to run repeatedly; used by `make deps` (and so by `make test` and CI).
set -euo pipefail

pkgs=(
  # name of the package          # what needs it
  cmake                          # C ABI build and CTest
  pkg-config                     # the C ABI's pkg-config test
  gcc-aarch64-linux-gnu          # linux/arm64 cross-build (make test-c-arm64)
  g++-aarch64-linux-gnu          #   and its C++ test of mars.hpp
  libc6-dev-arm64-cross          #   its C library headers and sysroot
  qemu-user                      #   runs the arm64 C tests (qemu-aarch64)
)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
