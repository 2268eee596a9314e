#!/usr/bin/env bash
# Prints where the bytes of libmars.so go, so size work starts from figures
# instead of guesses (issue "The C ABI": ≤ 4 MB stripped is the target).
#
# Builds ./capi twice as c-shared into a scratch folder: once with
# build/linux.sh's release flags (stripped, the size users get) and once
# unstripped (for symbol sizes). Then prints
#   1. the stripped size and its ELF sections,
#   2. symbol bytes per feature (groups below, first match wins),
#   3. the TOP biggest packages by symbol bytes.
# Symbol bytes are code + data the linker kept; the stripped file is about
# twice that, because .gopclntab (function tables) and .rela.dyn (c-shared
# relocations) grow with the code. So a feature's share of the symbol bytes
# is roughly its share of the file.
#
# Usage: build/size.sh [--xlog-only] [--top N] [--keep DIR] [--max BYTES]
#   --xlog-only  measures the mars_xlog_only build (as make lib-xlog)
#   --top N      packages to list (default 40)
#   --keep DIR   builds into DIR and leaves the libraries there
#   --max BYTES  only builds the stripped library, prints its size and fails
#                if it is larger than BYTES (make size-check)
# Environment: TAGS adds build tags; LDEXT adds external-linker flags (to
# try one, e.g. LDEXT=-Wl,-z,pack-relative-relocs); GO picks the toolchain.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
go=${GO:-go}
tags=${TAGS:-}
top=40
dir=""
max=""
while [ $# -gt 0 ]; do
  case "$1" in
    --xlog-only) tags="$tags mars_xlog_only" ;;
    --top) top=$2; shift ;;
    --keep) dir=$2; shift ;;
    --max) max=$2; shift ;;
    *) echo "usage: build/size.sh [--xlog-only] [--top N] [--keep DIR] [--max BYTES]" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$dir" ]; then
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
fi
mkdir -p "$dir"

# The same flags as build/linux.sh, so the stripped figure is the shipped one.
ext="-Wl,--version-script=$root/build/mars.map -Wl,-soname,libmars.so.0 -Wl,-z,relro -Wl,-z,now ${LDEXT:-}"
cd "$root"
CGO_ENABLED=1 "$go" build -buildmode=c-shared -trimpath -tags "$tags" \
  -ldflags="-s -w -extldflags '$ext'" -o "$dir/libmars-stripped.so" ./capi
if [ -n "$max" ]; then
  stripped=$(stat -c %s "$dir/libmars-stripped.so")
  if [ "$stripped" -gt "$max" ]; then
    echo "size: libmars.so (tags:${tags:- none}) is $stripped bytes stripped, over the limit of $max; build/size.sh shows where the bytes go" >&2
    exit 1
  fi
  echo "size: libmars.so (tags:${tags:- none}) $stripped bytes stripped, limit $max"
  exit 0
fi
CGO_ENABLED=1 "$go" build -buildmode=c-shared -trimpath -tags "$tags" \
  -ldflags="-extldflags '$ext'" -o "$dir/libmars-full.so" ./capi
rm -f "$dir"/*.h

stripped=$(stat -c %s "$dir/libmars-stripped.so")
printf '== libmars.so stripped (tags:%s): %d bytes (%.2f MB)\n' "${tags:- none}" "$stripped" "$(echo "$stripped / 1048576" | bc -l)"
echo "-- biggest ELF sections (bytes in the file; .bss/.noptrbss take none)"
size -A "$dir/libmars-stripped.so" | awk 'NR > 2 && $1 ~ /^\./ && $1 !~ /bss$/ && $2 > 4096 { printf "   %-16s %9d\n", $1, $2 }' | sort -k2 -rn

# Symbols at or past .bss are not stored in the file.
bss=$(readelf -SW "$dir/libmars-full.so" | awk '$2 == ".bss" { print $4 }')
"$go" tool nm -size "$dir/libmars-full.so" | BSS=$bss TOP=$top STRIPPED=$stripped perl -e '
my $bss = hex($ENV{BSS});
# Features, first match wins; every Go package path lands in one.
my @groups = (
  ["HPKE: X25519 (ours + edwards25519/field), x/crypto chacha20poly1305", qr{^(crypto/hpke|golang\.org/x/crypto/(chacha20|hkdf|internal)|filippo\.io/edwards25519|github\.com/mars-go/mars/xlog/internal/x25519)}],
  ["zstd: klauspost zstd, huff0, fse",     qr{^github\.com/klauspost/compress(/zstd|/huff0|/fse|/internal|$)}],
  ["zlib writer: klauspost flate",         qr{^github\.com/klauspost/compress/flate}],
  ["lz4: pierrec/lz4",                     qr{^github\.com/pierrec/}],
  ["Mars crypt: secp256k1, TEA",           qr{^(github\.com/decred/|golang\.org/x/crypto/tea)}],
  ["xlog + decoder (ours)",                qr{^github\.com/mars-go/mars/xlog}],
  ["SDT (ours) + x/net icmp, ipv4/6, bpf", qr{^(github\.com/mars-go/mars/sdt|golang\.org/x/net/(icmp|ipv4|ipv6|bpf|internal/(iana|socket)))}],
  ["STN engine (ours) + x/net proxy, DNS", qr{^(github\.com/mars-go/mars/engine|golang\.org/x/net/(proxy|internal/socks|dns))}],
  ["C ABI (capi, package main)",           qr{^main$}],
  ["net/http client + url, mime, idna",    qr{^(net/http|net/textproto|net/url|mime|vendor/golang\.org/x/(net/http|net/idna|text)|compress/|hash/crc32|log)}],
  ["crypto/tls + x509 + std crypto",       qr{^(crypto/|vendor/golang\.org/x/crypto|encoding/(asn1|pem|hex|base64)|math/big)}],
  ["net: sockets, resolver",               qr{^(net$|net/netip|vendor/golang\.org/x/net/dns|internal/(poll|nettrace|singleflight))}],
  ["encoding/json",                        qr{^encoding/json}],
  ["golang.org/x/sys",                     qr{^golang\.org/x/sys}],
  ["Go runtime + core std (fmt, reflect, time...)", qr{.}],
);
my (%pkg, %grp, $tot);
# pkgof("a/b/c.F.func1") is "a/b/c": the path up to the first dot after the
# last slash.
sub pkgof {
  my $s = shift;
  my $slash = rindex($s, "/");
  my $dot = index($s, ".", $slash + 1);
  return $dot < 0 ? $s : substr($s, 0, $dot);
}
while (<STDIN>) {
  my ($addr, $size, $type, $name) = split " ", $_, 4;
  next if $type eq "U" || hex($addr) >= $bss;
  chomp $name;
  my $n = $name;
  $n =~ s/^(type:|go:itab\.|go:string\.|go:info\.)//;
  $n =~ s/^[*\[\]0-9]+//;
  my $p;
  if ($n =~ /^(go:|runtime\.|type:|_cgo|x_cgo|crosscall|_rt0|__)/ || $n !~ /\./) { $p = "runtime (+ linker tables)" }
  else {
    # An instantiation of a generic helper (slices.pdqsortCmpFunc[go.shape.
    # struct { encoding/json.field ...}]) is charged to the first package
    # its type arguments name: that package is why the code exists.
    my $args = $n =~ /\[(.*)\]/ ? $1 : "";
    $n =~ s/[\[(].*//;
    $p = pkgof($n);
    $args = "" unless $p =~ m{^(slices|maps|iter|sync/atomic|unique|internal/sync)$};
    for my $tok (split /[\s;{}\[\],*()]+/, $args) {
      next if $tok =~ /^go\.shape/ || $tok !~ /\.[A-Za-z_]/;
      my $q = pkgof($tok);
      if ($q =~ m{^[a-z][\w.\-/]*$} && $q ne "go") { $p = $q; last }
    }
  }
  $pkg{$p} += $size; $tot += $size;
  for my $g (@groups) { if ($p =~ $g->[1]) { $grp{$g->[0]} += $size; last } }
}
printf "-- symbol bytes by feature (total %d; the stripped file is %.2fx that)\n", $tot, $ENV{STRIPPED} / $tot;
for my $g (sort { $grp{$b} <=> $grp{$a} } keys %grp) {
  printf "   %9d %5.1f%%  %s\n", $grp{$g}, 100 * $grp{$g} / $tot, $g;
}
printf "-- top %d packages by symbol bytes\n", $ENV{TOP};
my $i = 0;
for my $p (sort { $pkg{$b} <=> $pkg{$a} } keys %pkg) {
  last if $i++ >= $ENV{TOP};
  printf "   %9d %5.1f%%  %s\n", $pkg{$p}, 100 * $pkg{$p} / $tot, $p;
}
'
