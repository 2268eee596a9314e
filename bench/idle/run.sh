#!/usr/bin/env bash
# run.sh: wake-ups of an idle engine (link up, nothing to do) through the C
# ABI. Starts marsd on loopback, runs idle.c: after SETTLE_SECONDS (5) it
# counts the process's context switches over WINDOW_SECONDS (60), then, if
# strace is installed, lists the system calls of a second window of the
# same length by thread. Environment: OUT (default <repo>/out; needs
# `make lib`), SETTLE_SECONDS, WINDOW_SECONDS.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-$root/out}
settle=${SETTLE_SECONDS:-5}
window=${WINDOW_SECONDS:-60}

mkdir -p "$out/bin"
(cd "$root" && go build -trimpath -o "$out/bin/marsd" ./cmd/marsd)
cc -O2 -Wall -o "$out/bin/idle" "$root/bench/idle/idle.c" -I"$out/include" -I"$root/bench/cinclude" \
  -L"$out/lib" -l:libmars.so.0 -Wl,-rpath,"$out/lib"

exec {marsd_out}< <(exec "$out/bin/marsd" --long 127.0.0.1:0 --short "" --client-version 200 2>/dev/null)
marsd=$!
trap 'kill $marsd 2>/dev/null || true' EXIT
read -r line <&"$marsd_out"
long=$(sed -n 's/^marsd long=\([^ ]*\) .*/\1/p' <<<"$line")
[ -n "$long" ] || { echo "run.sh: marsd said: $line" >&2; exit 1; }

coproc IDLE { exec "$out/bin/idle" "${long%:*}" "${long##*:}" "$settle" "$window"; }
read -r ready pid <&"${IDLE[0]}"
[ "$ready" = ready ] || { echo "run.sh: idle said: $ready $pid" >&2; exit 1; }
echo "idle engine, link up, pid $pid: counting context switches for ${window}s (after ${settle}s to settle)"
read -r result <&"${IDLE[0]}"
echo "$result"
if command -v strace >/dev/null; then
  echo "system calls over the next ${window}s (strace -f -c):"
  timeout "$window" strace -f -c -p "$pid" 2>&1 | grep -v '^strace:' || true
fi
wait "$IDLE_PID" 2>/dev/null || true
