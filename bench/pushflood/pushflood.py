"""pushflood.py — the push flood of pushflood.c, through the Python binding
in its default mode (notifications polled on the "mars-poll" thread).

Usage: python3 pushflood.py LONG_HOST LONG_PORT SHORT_HOST SHORT_PORT SECONDS [RSS_CAP_MB [DESTROY_WAIT_S]]

Needs the binding on PYTHONPATH and MARS_LIBRARY (bindings/python/README.md).
Prints one line of key=value figures, the same keys as pushflood.c, plus
queue_dropped (Stn.pushes_dropped) and close_dropped (pushes the binding
dropped because close() came first, where the binding counts them).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import urllib.request

import mars

TASKS = 3
CMD_ECHO = 100
CMD_SILENCE = 10004
ON_PUSH_S = 0.010


def vmrss_kb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


class Host(mars.Callbacks):
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pushes = 0
        self.ends: dict[int, list[mars.TaskResult]] = {}

    def on_push(self, push: mars.Push) -> None:
        time.sleep(ON_PUSH_S)
        with self.lock:
            self.pushes += 1

    def on_task_end(self, task: mars.TaskRef, result: mars.TaskResult) -> int:
        with self.lock:
            self.ends.setdefault(task.taskid, []).append(result)
        return 0


class Rss:
    """Samples VmRSS every 50 ms; sets capped once it passes cap_kb."""

    def __init__(self, cap_kb: float) -> None:
        self.now = self.peak = vmrss_kb()
        self.cap_kb = cap_kb
        self.capped = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            self.now = vmrss_kb()
            self.peak = max(self.peak, self.now)
            if self.now > self.cap_kb:
                self.capped.set()
            time.sleep(0.05)


def main() -> int:
    if len(sys.argv) < 6:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    long_host, long_port, short_host, short_port = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    seconds = int(sys.argv[5])
    cap_kb = float(sys.argv[6] if len(sys.argv) > 6 else 3072) * 1024
    destroy_wait = float(sys.argv[7] if len(sys.argv) > 7 else 30)

    host = Host()
    cfg = mars.StnConfig(client_version=200, longlink_host=long_host, longlink_ports=[long_port])
    stn = mars.Stn(cfg, host)
    rss = Rss(cap_kb)
    stn.call(mars.Task(cmdid=CMD_ECHO, body=b"hello", channel=mars.Channel.LONG), timeout=10)  # connects
    silent = [
        stn.start_task(
            mars.Task(cmdid=CMD_SILENCE, channel=mars.Channel.LONG, retry_count=0, server_process_cost_ms=120_000)
        )
        for _ in range(TASKS)
    ]
    rss_start = rss.now

    flood: dict[str, int] = {}
    done = threading.Event()

    def post() -> None:
        url = f"http://{short_host}:{short_port}/_marsd/flood?seconds={seconds}"
        req = urllib.request.Request(url, data=b"push-flood-body!", method="POST")
        try:
            with urllib.request.urlopen(req, timeout=seconds + 600) as r:
                flood.update(json.load(r))
        finally:
            done.set()

    t0 = time.monotonic()
    threading.Thread(target=post, daemon=True).start()
    while not done.wait(0.05) and not rss.capped.is_set():
        pass
    flood_s = time.monotonic() - t0
    delivered_in_flood = host.pushes

    t0 = time.monotonic()
    closer = threading.Thread(target=stn.close, daemon=True)
    closer.start()
    closer.join(destroy_wait)
    returned = not closer.is_alive()
    destroy_ms = (time.monotonic() - t0) * 1000 if returned else destroy_wait * 1000
    with host.lock:
        delivered = host.pushes
        ends = {i: list(host.ends.get(i, [])) for i in silent}
    if returned:
        time.sleep(0.2)  # nothing may run after close
    with host.lock:
        late = host.pushes != delivered or any(len(host.ends.get(i, [])) > 1 for i in silent)
    once = sum(len(e) == 1 for e in ends.values())
    reset = sum(
        len(e) == 1 and (e[0].err_type, e[0].err_code) == (mars.ErrType.LOCAL, mars.LocalCode.RESET)
        for e in ends.values()
    )
    print(
        f"lang=python flood_s={flood_s:.1f} rss_start_mb={rss_start / 1024:.1f} rss_peak_mb={rss.peak / 1024:.1f} "
        f"capped={int(rss.capped.is_set())} server_pushed={flood.get('pushed', -1)} "
        f"delivered_in_flood={delivered_in_flood} delivered={delivered} destroy_returned={int(returned)} "
        f"destroy_ms={destroy_ms:.0f} tasks={TASKS} ended_once={once} ended_reset={reset} after_destroy={int(late)} "
        f"queue_dropped={stn.pushes_dropped} close_dropped={getattr(stn, 'pushes_dropped_on_close', -1)}",
        flush=True,
    )
    os._exit(0 if returned and once == TASKS and not late else 3)  # a hung close must not hold the exit


if __name__ == "__main__":
    sys.exit(main())
