#!/usr/bin/env bash
# run.sh: the push-flood figures. For each library, starts a fresh marsd on
# loopback, runs pushflood.c and pushflood.py (the Python binding, poll
# mode) through a flood of FLOOD_SECONDS while on_push sleeps 10 ms, and
# prints one table: peak RSS, pushes sent/delivered, destroy (close) time,
# and whether every started task ended exactly once.
#
#   bench/pushflood/run.sh                      # the library in $OUT (make lib)
#   bench/pushflood/run.sh before=/tmp/old-out,/old/checkout/bindings/python after=out
#
# Each argument is LABEL=LIBOUT[,PYTHON_BINDING_DIR]: LIBOUT holds
# lib/libmars.so.0 and include/mars.h (a `make lib` output); the binding
# defaults to this checkout's. Environment: OUT (default <repo>/out; marsd
# and the C program are built there), FLOOD_SECONDS (10), RSS_CAP_MB (3072:
# a run past it stops flooding early, "capped"), DESTROY_WAIT_S (30: a
# destroy still running then is reported as not returned), PYTHON (python3).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-$root/out}
seconds=${FLOOD_SECONDS:-10}
cap=${RSS_CAP_MB:-3072}
wait_s=${DESTROY_WAIT_S:-30}
python=${PYTHON:-python3}
[ $# -gt 0 ] || set -- "this=$out"

mkdir -p "$out/bin" "$out/pushflood"
(cd "$root" && go build -trimpath -o "$out/bin/marsd" ./cmd/marsd)

# run_one LOG CMD...: a fresh marsd, CMD LONG_HOST LONG_PORT SHORT_HOST
# SHORT_PORT SECONDS CAP WAIT; appends CMD's figures and marsd's push count.
run_one() {
  local log=$1 line long short rc=0
  shift
  coproc MARSD { exec "$out/bin/marsd" --long 127.0.0.1:0 --short 127.0.0.1:0 --client-version 200 2>/dev/null; }
  local pid=$MARSD_PID
  read -r line <&"${MARSD[0]}"
  long=$(sed -n 's/^marsd long=\([^ ]*\) short=\([^ ]*\).*/\1/p' <<<"$line")
  short=$(sed -n 's/^marsd long=\([^ ]*\) short=\([^ ]*\).*/\2/p' <<<"$line")
  [ -n "$long" ] || { echo "run.sh: marsd said: $line" >&2; kill "$pid"; return 1; }
  timeout $((seconds + wait_s + 60)) "$@" "${long%:*}" "${long##*:}" "${short%:*}" "${short##*:}" \
    "$seconds" "$cap" "$wait_s" >"$log.out" || rc=$?
  local pushed
  pushed=$(curl -s "http://$short/_marsd/stats" | sed -n 's/.*"pushes":\([0-9]*\).*/\1/p')
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "$(tail -n 1 "$log.out") marsd_pushes=${pushed:-?} rc=$rc" >>"$log"
}

results=$(mktemp)
trap 'rm -f "$results" "$results.out"' EXIT
for spec in "$@"; do
  label=${spec%%=*}
  rest=${spec#*=}
  lib=${rest%%,*}
  binding=$root/bindings/python
  [ "$rest" = "$lib" ] || binding=${rest#*,}
  lib=$(cd "$lib" && pwd)
  exe=$out/pushflood/pushflood-$label
  cc -O2 -Wall -o "$exe" "$root/bench/pushflood/pushflood.c" -I"$lib/include" -I"$root/bench/cinclude" -L"$lib/lib" -l:libmars.so.0 \
    -Wl,-rpath,"$lib/lib" -lpthread
  echo "run.sh: $label: C host, ${seconds} s flood" >&2
  printf 'run=%s ' "$label" >>"$results"
  run_one "$results" "$exe"
  echo "run.sh: $label: Python host (poll mode), ${seconds} s flood" >&2
  printf 'run=%s ' "$label" >>"$results"
  MARS_LIBRARY=$lib/lib/libmars.so.0 PYTHONPATH=$binding run_one "$results" "$python" \
    "$root/bench/pushflood/pushflood.py"
done

# One row per run, from the key=value lines.
awk -v secs="$seconds" -v waits="$wait_s" '
function v(k) { return (k in f) ? f[k] : "?" }
{
  delete f
  for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
  destroy = v("destroy_returned") == 1 ? v("destroy_ms") " ms" : "did not return within " waits " s"
  if (v("lang") == "?") destroy = "failed (rc=" v("rc") ")"
  rss = v("rss_peak_mb") (v("capped") == 1 ? " (capped)" : "")
  sent = v("marsd_pushes"); got = v("delivered")
  lost = (sent ~ /^[0-9]+$/ && got ~ /^[0-9]+$/) ? sent - got : "?"
  printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s/%s (%s reset) |\n", v("run"), v("lang"), v("rss_start_mb"), rss,
    sent, v("delivered_in_flood"), got, lost, destroy == "" ? "?" : destroy, v("ended_once"), v("tasks"), v("ended_reset")
}
BEGIN {
  print "push flood of " secs " s, on_push 10 ms"
  print "| run | host | RSS at start MB | peak RSS MB | pushes sent | delivered in flood | delivered in all | dropped or unread | destroy/close | tasks ended once |"
  print "|---|---|---|---|---|---|---|---|---|---|"
}' "$results"
