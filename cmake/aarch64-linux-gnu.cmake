# Cross-build for linux/arm64 with Debian's gcc-aarch64-linux-gnu, tests run
# under qemu-user (build/deps.sh installs both; `make test-c-arm64`):
#
#   cmake -S . -B out/cmake-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
#
# libmars is built by cgo with GOARCH=arm64 and CC=aarch64-linux-gnu-gcc; the
# C tests with the same compiler; CTest runs each test program through
# qemu-aarch64 with the cross sysroot (/usr/aarch64-linux-gnu). marsd and the
# mars tool stay native: the tests reach marsd on loopback as usual.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)

set(MARS_GOARCH arm64 CACHE STRING "GOARCH of libmars")
set(MARS_GO_CC aarch64-linux-gnu-gcc CACHE STRING "C compiler cgo uses for libmars")
# AddressSanitizer does not run under qemu-user; the native build covers it.
set(MARS_TEST_ASAN OFF CACHE BOOL "" FORCE)
