#!/bin/bash
# speedup.sh: four threads against one, in rounds that run both back to back,
# so that the machine's changing speed (shared cores) hits both alike.
#
#   bash bench/xlogload/speedup.sh OUT [ROUNDS] [LINES] [MODES]
#
# OUT holds a built library (make lib OUT=...); MODES are
# MARS_XLOG_COMPRESS_* values (0 zlib, 1 zstd, 3 lz4). For each mode it
# prints the median over the rounds of (1-thread wall time / 4-thread wall
# time), its range, and the median wall times. Above 1: four threads wrote
# the lines sooner.
set -euo pipefail
out=$1 rounds=${2:-5} lines=${3:-500000} modes=${4:-"0 1 3"}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/xlogload" "$here/xlogload.c" -I"$out/include" -I"$here/../cinclude" -I"$here" \
  -L"$out/lib" -l:libmars.so.0 -Wl,-rpath,"$out/lib" -lpthread
for r in $(seq "$rounds"); do
  for c in $modes; do
    for t in 1 4; do
      rm -rf "$tmp/d" && mkdir "$tmp/d"
      s=$(date +%s%N)
      "$tmp/xlogload" "$tmp/d" "$c" - "$t" "$lines" >/dev/null
      echo "$c $t $r $(( $(date +%s%N) - s ))"
    done
  done
done | python3 -c '
import sys, statistics as st, collections
w = collections.defaultdict(dict)
for line in sys.stdin:
    c, t, r, ns = line.split()
    w[c].setdefault(r, {})[t] = int(ns) / 1e9
names = {"0": "zlib", "1": "zstd", "3": "lz4"}
for c, rs in w.items():
    ratio = [v["1"] / v["4"] for v in rs.values()]
    one = st.median(v["1"] for v in rs.values())
    four = st.median(v["4"] for v in rs.values())
    print(f"{names.get(c, c):5s} 4 threads vs 1: {st.median(ratio):.2f}x (rounds {min(ratio):.2f}-{max(ratio):.2f}); "
          f"wall 1 thread {one:.2f} s, 4 threads {four:.2f} s")
'
