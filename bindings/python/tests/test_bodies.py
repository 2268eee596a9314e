"""Task.body travels in mars_task.body and the response comes with the
task's end (on_task_end_resp): no req2buf or buf2resp call into Python, so
with poll_events a task's one call into Python runs on the "mars-poll"
thread. Callbacks overriding req2buf/buf2resp, and libraries without the
features, keep the callbacks."""

from __future__ import annotations

import threading

import pytest

import mars
from conftest import CMD_SILENCE, TIMEOUT, Marsd, echo_task, stn_config
from mars import _lib


class Ends(mars.Callbacks):
    """Records the thread every on_task_end ran on."""

    def __init__(self) -> None:
        self.threads: list[str] = []

    def on_task_end(self, task: mars.TaskRef, result: mars.TaskResult) -> int:
        self.threads.append(threading.current_thread().name)
        return 0


@pytest.mark.parametrize("poll", [True, False], ids=["polled", "threaded"])
def test_bodies_travel_with_the_task_and_its_end(marsd: Marsd, poll: bool) -> None:
    cb = Ends()
    with mars.Stn(stn_config(marsd, poll_events=poll), cb) as stn:
        table = stn._dispatch.table
        assert not table.req2buf and not table.buf2resp and not table.on_task_end
        assert table.on_task_end_resp
        futs = [stn.submit(echo_task(body)) for body in (b"first", bytearray(b"second"), b"", b"\0" * 70000)]
        results = [f.result(TIMEOUT).raise_for_error() for f in futs]
        assert [r.body for r in results] == [b"first", b"second", b"", b"\0" * 70000]
        assert [r.profile.send_bytes for r in results] == [5, 6, 0, 70000]
    assert len(cb.threads) == 4
    if poll:
        assert set(cb.threads) == {"mars-poll"}


def test_a_task_without_response_has_no_body(marsd: Marsd) -> None:
    stn = mars.Stn(stn_config(marsd, poll_events=True))
    fut = stn.submit(echo_task(b"unanswered", CMD_SILENCE))
    assert stn.has_task(stn.gen_task_id()) is False  # the start has reached the engine
    stn.close()
    result = fut.result(0)
    assert (result.err_type, result.err_code, result.body) == (mars.ErrType.LOCAL, mars.LocalCode.RESET, None)


def test_overridden_req2buf_and_buf2resp_still_run(marsd: Marsd) -> None:
    class Codec(mars.Callbacks):
        def req2buf(self, task: mars.TaskRef, channel: int, host: str) -> bytes:
            return b"built:" + bytes(task.task.body if task.task else b"")

        def buf2resp(self, task: mars.TaskRef, channel: int, body: bytes) -> int:
            return mars.Resp.OK if body.startswith(b"built:") else mars.Resp.TASK_END

    with mars.Stn(stn_config(marsd, poll_events=True), Codec()) as stn:
        table = stn._dispatch.table
        assert table.req2buf and table.buf2resp and table.on_task_end_resp
        assert stn.call(echo_task(b"x"), TIMEOUT) == b"built:x"


def test_a_library_without_the_features_gets_the_callbacks(marsd: Marsd, monkeypatch: pytest.MonkeyPatch) -> None:
    real = _lib.has_feature
    monkeypatch.setattr(_lib, "has_feature", lambda lib, f: f not in ("task_body", "task_end_resp") and real(lib, f))
    with mars.Stn(stn_config(marsd, poll_events=True)) as stn:
        table = stn._dispatch.table
        assert table.req2buf and table.buf2resp and table.on_task_end and not table.on_task_end_resp
        assert stn.call(echo_task(b"old way"), TIMEOUT) == b"old way"


def test_a_body_over_64_mib_is_refused(stn: mars.Stn) -> None:
    with pytest.raises(mars.InvalidArgument):
        stn.start_task(echo_task(bytes((64 << 20) + 1)))
