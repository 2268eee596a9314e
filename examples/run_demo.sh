#!/usr/bin/env bash
# run_demo.sh: builds libmars, marsd and examples/demo.c with CMake (into
# out/cmake, or $BUILD), starts marsd on loopback, runs the demo against it
# with a fresh log directory, and stops marsd. Exit status is the demo's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/out/cmake}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target mars_demo marsd_bin >/dev/null

logdir=$(mktemp -d /tmp/mars-demo-XXXXXX)
# --long-extra: a second long-link listener, the server of the demo's second link "im"
coproc MARSD { exec "$build/marsd" --long 127.0.0.1:0 --short 127.0.0.1:0 --long-extra im=127.0.0.1:0 \
  --client-version 200 2>/dev/null; }
marsd_pid=$MARSD_PID
trap 'kill "$marsd_pid" 2>/dev/null; wait "$marsd_pid" 2>/dev/null; rm -rf "$logdir"' EXIT
read -r line <&"${MARSD[0]}"
long=$(sed -n 's/^marsd long=\([^ ]*\) .*/\1/p' <<<"$line")
im=$(sed -n 's/.* long\.im=\([^ ]*\).*/\1/p' <<<"$line")
[ -n "$long" ] && [ -n "$im" ] || { echo "run_demo: marsd said: $line" >&2; exit 1; }
echo "run_demo: marsd listening on $long, and on $im for the long link \"im\""
"$build/examples/mars_demo" "$long" "$logdir" "$im"
