"""close() under a push flood: marsd pushes back to back while on_push is
slow. close() must not wait for the pushes the library or the "mars-poll"
thread still hold (mars.h, mars_stn_destroy and mars_stn_poll), and every
started task still ends exactly once."""

from __future__ import annotations

import threading
import time
import urllib.request

import pytest

import mars
from conftest import CMD_SILENCE, TIMEOUT, Marsd, echo_task, stn_config
from mars import _lib

MODES = [pytest.param(True, id="polled"), pytest.param(False, id="threaded")]

#: on_push's cost: the host is far slower than a loopback flood.
ON_PUSH_S = 0.010
#: Pushes delivered before close: by then the library (and in poll mode the
#: poller's batch) holds far more than one push.
DELIVERED_BEFORE_CLOSE = 3


class SlowHost(mars.Callbacks):
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.closing = False
        self.pushes = 0
        self.started_after_close = 0
        self.enough = threading.Event()
        self.ends: dict[int, list[mars.TaskResult]] = {}

    def on_push(self, push: mars.Push) -> None:
        with self.lock:
            self.started_after_close += self.closing
        time.sleep(ON_PUSH_S)
        with self.lock:
            self.pushes += 1
            if self.pushes >= DELIVERED_BEFORE_CLOSE:
                self.enough.set()

    def on_task_end(self, task: mars.TaskRef, result: mars.TaskResult) -> int:
        with self.lock:
            self.ends.setdefault(task.taskid, []).append(result)
        return 0


def flood(srv: Marsd, seconds: int) -> threading.Thread:
    """POST /_marsd/flood in the background; it answers once the flood is
    over, which is when our connection closes."""

    def post() -> None:
        url = f"http://{srv.short_host}:{srv.short_port}/_marsd/flood?seconds={seconds}"
        req = urllib.request.Request(url, data=b"flood", method="POST")
        with urllib.request.urlopen(req, timeout=seconds + TIMEOUT) as resp:
            resp.read()

    t = threading.Thread(target=post, daemon=True)
    t.start()
    return t


@pytest.mark.parametrize("poll", MODES)
def test_close_under_a_push_flood_drops_queued_pushes_and_ends_every_task_once(marsd: Marsd, poll: bool) -> None:
    if poll and not _lib.has(_lib.lib(), "mars_stn_poll"):
        pytest.skip("this libmars has no mars_stn_poll")
    host = SlowHost()
    stn = mars.Stn(stn_config(marsd, poll_events=poll), host)
    try:
        stn.call(echo_task(b"connect"), TIMEOUT)
        silent = [
            stn.submit(echo_task(b"", CMD_SILENCE, retry_count=0, server_process_cost_ms=120_000)) for _ in range(3)
        ]
        flooding = flood(marsd, 20)
        assert host.enough.wait(TIMEOUT), "the flood did not reach on_push"
    finally:
        with host.lock:
            host.closing = True
        stn.close()
    flooding.join(TIMEOUT)
    # At most the push the library was already handing over when close began.
    assert host.started_after_close <= 1
    for fut in silent:
        result = fut.result(0)
        assert (result.err_type, result.err_code) == (mars.ErrType.LOCAL, mars.LocalCode.RESET)
        assert len(host.ends[result.taskid]) == 1
    assert stn.callback_errors == 0


def test_receive_backlog_bytes_reaches_the_library(marsd: Marsd) -> None:
    with pytest.raises(mars.InvalidArgument) as e:
        mars.Stn(stn_config(marsd, receive_backlog_bytes=2**41))  # over the library's 1 TiB limit
    assert "receive_backlog_bytes" in e.value.detail
    with mars.Stn(stn_config(marsd, receive_backlog_bytes=-1)) as stn:  # no bound
        assert stn.call(echo_task(b"unbounded"), TIMEOUT) == b"unbounded"
