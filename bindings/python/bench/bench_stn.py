"""Benchmarks: task round trip through the binding vs through C, and
callback throughput into Python. Run by run-tests.sh --bench, or:

    MARS_LIBRARY=... MARSD=... MARS_INCLUDE=... python bench/bench_stn.py

Prints one line per figure. Short on purpose (shared 2-core machines). The
"body" lines add the process's CPU per pipelined task (getrusage: every
thread, the library's included) and the cyclic GC's collections per
generation during those tasks.
"""

from __future__ import annotations

import ctypes
import gc
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import mars

SEQ_N = int(os.environ.get("BENCH_SEQ_N", "2000"))
PIPE_N = int(os.environ.get("BENCH_PIPE_N", "5000"))
HERE = Path(__file__).resolve().parent
# Identical requests by design: keep the anti-avalanche limits out of it.
NO_LIMITS = {"limit_frequency": False, "limit_flow": False}


def die_with_parent() -> None:
    # Linux prctl(PR_SET_PDEATHSIG, SIGTERM): no marsd outlives a crashed run.
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)


def start_marsd() -> tuple[subprocess.Popen[str], str, int]:
    proc = subprocess.Popen(
        [os.environ["MARSD"], "--long", "127.0.0.1:0", "--short", "127.0.0.1:0", "--client-version", "200"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=die_with_parent,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    host, port = line.split()[1].split("=", 1)[1].rsplit(":", 1)
    return proc, host, int(port)


class Counting(mars.Callbacks):
    """Counts every callback into Python (the three per task, plus pushes)."""

    def __init__(self) -> None:
        self.calls = 0
        self.ends = 0
        self.cond = threading.Condition()

    def wait_ends(self, n: int) -> None:
        with self.cond:
            if not self.cond.wait_for(lambda: self.ends >= n, timeout=60):
                raise TimeoutError(f"{self.ends} of {n} tasks ended")

    def req2buf(self, task: mars.TaskRef, channel: int, host: str) -> bytes:
        self.calls += 1
        return b"bench"

    def buf2resp(self, task: mars.TaskRef, channel: int, body: bytes) -> int:
        self.calls += 1
        return mars.Resp.OK

    def on_task_end(self, task: mars.TaskRef, result: mars.TaskResult) -> int:
        self.calls += 1
        with self.cond:
            self.ends += 1
            self.cond.notify_all()
        return 0

    def on_push(self, push: mars.Push) -> None:
        self.calls += 1


def bench_lean(host: str, port: int, poll: bool) -> None:
    """Default callbacks, response_bodies=False: 2 crossings per task."""
    cfg = mars.StnConfig(client_version=200, longlink_host=host, longlink_ports=[port], poll_events=poll)
    task = mars.Task(cmdid=100, channel=mars.Channel.LONG, **NO_LIMITS)
    with mars.Stn(cfg, response_bodies=False, max_finished=10) as stn:
        stn.call(task, 10)
        t0 = time.perf_counter()
        for _ in range(SEQ_N):
            stn.wait_task(stn.start_task(task), 10).raise_for_error()
        seq = time.perf_counter() - t0
        t0 = time.perf_counter()
        futs = [stn.submit(task) for _ in range(PIPE_N)]
        for f in futs:
            f.result(60).raise_for_error()
        pipe = time.perf_counter() - t0
    print(f"python-lean{_mode(poll)} sequential_us={seq / SEQ_N * 1e6:.1f} pipelined_tasks_per_s={PIPE_N / pipe:.0f}")


def bench_python(host: str, port: int, poll: bool) -> None:
    cb = Counting()
    cfg = mars.StnConfig(client_version=200, longlink_host=host, longlink_ports=[port], poll_events=poll)
    task = mars.Task(cmdid=100, channel=mars.Channel.LONG, **NO_LIMITS)
    with mars.Stn(cfg, cb, max_finished=10) as stn:
        stn.call(task, 10)
        t0 = time.perf_counter()
        for _ in range(SEQ_N):
            stn.wait_task(stn.start_task(task), 10).raise_for_error()
        seq = time.perf_counter() - t0
        cb.calls, cb.ends = 0, 0
        t0 = time.perf_counter()
        for _ in range(PIPE_N):
            stn.start_task(task)
        cb.wait_ends(PIPE_N)
        pipe = time.perf_counter() - t0
        calls = cb.calls
        push_task = mars.Task(cmdid=10002, channel=mars.Channel.LONG, **NO_LIMITS)
        cb.calls, cb.ends = 0, 0
        n_push = PIPE_N // 2
        t0 = time.perf_counter()
        for _ in range(n_push):
            stn.start_task(push_task)
        cb.wait_ends(n_push)
        for _ in range(n_push):
            stn.pushes.get(timeout=30)
        push_dt = time.perf_counter() - t0
        push_calls = cb.calls
    print(
        f"python{_mode(poll)} sequential_us={seq / SEQ_N * 1e6:.1f} pipelined_tasks_per_s={PIPE_N / pipe:.0f} "
        f"callbacks_per_s={calls / pipe:.0f} (3 per task)"
    )
    print(f"python{_mode(poll)} push_echo callbacks_per_s={push_calls / push_dt:.0f} (4 per task incl. on_push)")


def bench_body(host: str, port: int, poll: bool) -> None:
    """Task.body and TaskResult.body with default callbacks, as c_roundtrip.c
    sends and checks "bench": with a library that has task_body and
    task_end_resp, one crossing per task (its end)."""
    cfg = mars.StnConfig(client_version=200, longlink_host=host, longlink_ports=[port], poll_events=poll)
    task = mars.Task(cmdid=100, channel=mars.Channel.LONG, body=b"bench", **NO_LIMITS)
    with mars.Stn(cfg, max_finished=10) as stn:
        stn.call(task, 10)
        gc0, cpu0 = _gc_runs(), _cpu_s()
        t0 = time.perf_counter()
        futs = [stn.submit(task) for _ in range(PIPE_N)]
        for f in futs:
            if f.result(60).raise_for_error().body != b"bench":
                raise AssertionError("the response is not the echoed body")
        pipe = time.perf_counter() - t0
        cpu, gcs = _cpu_s() - cpu0, [b - a for a, b in zip(gc0, _gc_runs())]
    print(
        f"python-body{_mode(poll)} pipelined_tasks_per_s={PIPE_N / pipe:.0f} "
        f"cpu_us_per_task={cpu / PIPE_N * 1e6:.1f} gc_runs={gcs[0]}/{gcs[1]}/{gcs[2]}"
    )


def _cpu_s() -> float:
    """CPU seconds of the whole process, library threads included."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _gc_runs() -> tuple[int, ...]:
    """Collections of Python's cyclic GC so far, per generation."""
    return tuple(g["collections"] for g in gc.get_stats())


def _mode(poll: bool) -> str:
    return "[polled]" if poll else "[threaded]"


def bench_c(host: str, port: int) -> None:
    cc = shutil.which("cc") or shutil.which("gcc")
    include, libdir = os.environ.get("MARS_INCLUDE"), Path(os.environ["MARS_LIBRARY"]).parent
    if cc is None or include is None:
        print("c baseline skipped: needs cc and MARS_INCLUDE")
        return
    with tempfile.TemporaryDirectory() as tmp:
        exe = Path(tmp) / "c_roundtrip"
        subprocess.run(
            [
                cc,
                "-O2",
                "-Wall",
                "-o",
                str(exe),
                str(HERE / "c_roundtrip.c"),
                f"-I{include}",
                f"-L{libdir}",
                "-l:libmars.so.0",
                f"-Wl,-rpath,{libdir}",
                "-lpthread",
            ],
            check=True,
        )
        out = subprocess.run(
            [str(exe), host, str(port), str(SEQ_N), str(PIPE_N)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        print(out.stdout.strip())


def main() -> int:
    proc, host, port = start_marsd()
    try:
        print(f"libmars {mars.version()}, python {sys.version.split()[0]}, seq={SEQ_N} pipelined={PIPE_N}")
        bench_c(host, port)
        for poll in (True, False):
            bench_body(host, port, poll)
            bench_python(host, port, poll)
            bench_lean(host, port, poll)
    finally:
        proc.terminate()
        proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
