#!/usr/bin/env bash
# Builds libmars for Apple platforms (macOS only, needs Xcode): Go supports
# only -buildmode=c-archive on iOS, so every slice is a static archive, and
# the slices are packed into one XCFramework an Xcode or SwiftPM project
# links directly:
#
#   OUT/apple/slices/<slice>/libmars.a          one c-archive per OS+arch
#   OUT/apple/Mars.xcframework                   ios-arm64, ios-arm64_x86_64-simulator,
#                                                macos-arm64_x86_64
#     .../Headers/mars.h, module.modulemap       (import Mars from Swift)
#
# Usage: build/apple.sh          (IOS_MIN default 13.0, MACOS_MIN default 11.0)
# Link the app with -lresolv (Go's net package) and the Security and
# CoreFoundation frameworks when TLS is used. Archives are built with
# -trimpath and -ldflags=-w (App Store processing needs -w, golang/go#31022).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/out}/apple
go=${GO:-go}
ios_min=${IOS_MIN:-13.0}
macos_min=${MACOS_MIN:-11.0}

die() { echo "apple.sh: $*" >&2; exit 1; }
[ "$(uname -s)" = Darwin ] || die "Apple builds need macOS with Xcode (this is $(uname -s)); iOS needs the Apple SDK, which exists nowhere else"
command -v xcrun >/dev/null || die "xcrun not found; install Xcode and run xcode-select"
command -v xcodebuild >/dev/null || die "xcodebuild not found; install Xcode"

# slice name, GOOS, GOARCH, SDK, clang target
slices=(
  "ios-arm64           ios    arm64 iphoneos        arm64-apple-ios$ios_min"
  "iossim-arm64        ios    arm64 iphonesimulator arm64-apple-ios$ios_min-simulator"
  "iossim-x86_64       ios    amd64 iphonesimulator x86_64-apple-ios$ios_min-simulator"
  "macos-arm64         darwin arm64 macosx          arm64-apple-macos$macos_min"
  "macos-x86_64        darwin amd64 macosx          x86_64-apple-macos$macos_min"
)
rm -rf "$out"
mkdir -p "$out/headers"
cp "$root/include/mars.h" "$out/headers/mars.h"
cat >"$out/headers/module.modulemap" <<'MAP'
module Mars {
    header "mars.h"
    export *
}
MAP

for s in "${slices[@]}"; do
  read -r name goos goarch sdk target <<<"$s"
  sysroot=$(xcrun --sdk "$sdk" --show-sdk-path)
  cc="$(xcrun --sdk "$sdk" --find clang) -target $target -isysroot $sysroot"
  mkdir -p "$out/slices/$name"
  echo "apple.sh: $name"
  (cd "$root" && CGO_ENABLED=1 GOOS=$goos GOARCH=$goarch CC="$cc" \
    CGO_CFLAGS="-target $target -isysroot $sysroot" CGO_LDFLAGS="-target $target -isysroot $sysroot" \
    "$go" build -buildmode=c-archive -trimpath -ldflags=-w -o "$out/slices/$name/libmars.a" ./capi)
  rm -f "$out/slices/$name/libmars.h"
done

lipo -create "$out/slices/iossim-arm64/libmars.a" "$out/slices/iossim-x86_64/libmars.a" \
  -output "$out/slices/libmars-iossim.a"
lipo -create "$out/slices/macos-arm64/libmars.a" "$out/slices/macos-x86_64/libmars.a" \
  -output "$out/slices/libmars-macos.a"
xcodebuild -create-xcframework \
  -library "$out/slices/ios-arm64/libmars.a" -headers "$out/headers" \
  -library "$out/slices/libmars-iossim.a" -headers "$out/headers" \
  -library "$out/slices/libmars-macos.a" -headers "$out/headers" \
  -output "$out/Mars.xcframework"
echo "apple.sh: done: $out/Mars.xcframework"
