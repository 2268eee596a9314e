#!/usr/bin/env bash
# run_chat.sh: Mars's sample chat flow (examples/chat.cpp) against marsd on
# loopback. Builds with CMake into out/cmake (or $BUILD) unless MARS_CHAT_BIN
# and MARSD name ready binaries, starts marsd with a long and a short link on
# free ports, runs the example with a fresh log directory, decodes the log
# and stops marsd. Exit status is the example's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/out/cmake}
if [ -z "${MARS_CHAT_BIN:-}" ] || [ -z "${MARSD:-}" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j2 --target mars_chat marsd_bin >/dev/null
  MARS_CHAT_BIN=$build/examples/mars_chat
  MARSD=$build/marsd
fi

logdir=$(mktemp -d /tmp/mars-chat-XXXXXX)
# The sample's server listens on 8081 (long) and 8080 (short); port 0 here
# keeps parallel runs apart. --client-version 200 is the sample's too.
coproc MARSD_PROC { exec "$MARSD" --long 127.0.0.1:0 --short 127.0.0.1:0 --client-version 200 2>/dev/null; }
marsd_pid=$MARSD_PROC_PID
trap 'kill "$marsd_pid" 2>/dev/null; wait "$marsd_pid" 2>/dev/null; rm -rf "$logdir"' EXIT
read -r line <&"${MARSD_PROC[0]}"
long=$(sed -n 's/^marsd long=\([^ ]*\) .*/\1/p' <<<"$line")
short=$(sed -n 's/^marsd long=[^ ]* short=\([^ ]*\).*/\1/p' <<<"$line")
[ -n "$long" ] && [ -n "$short" ] || { echo "run_chat: marsd said: $line" >&2; exit 1; }
echo "run_chat: marsd long link $long, short link $short"
"$MARS_CHAT_BIN" "$long" "$short" "$logdir"
