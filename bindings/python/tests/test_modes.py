"""Both ways notifications reach Python: polled on the Stn's "mars-poll"
thread (the default when the library has mars_stn_poll) and called from
library threads (poll_events=False)."""

from __future__ import annotations

import queue
import threading
from concurrent.futures import CancelledError

import pytest

import mars
from conftest import CMD_PUSH_ECHO, TIMEOUT, Marsd, echo_task, stn_config
from mars import _lib

MODES = [pytest.param(True, id="polled"), pytest.param(False, id="threaded")]


@pytest.fixture(autouse=True)
def _needs_poll_for_polled(request: pytest.FixtureRequest) -> None:
    params = getattr(request.node, "callspec", None)
    if params and params.params.get("poll") and not _lib.has_feature(_lib.lib(), "poll"):
        pytest.skip("this libmars has no mars_stn_poll")


class Recorder(mars.Callbacks):
    """Records which thread each callback ran on."""

    def __init__(self) -> None:
        self.threads: dict[str, set[str]] = {}
        self.ends: queue.Queue[mars.TaskResult] = queue.Queue()
        self.stn: mars.Stn | None = None
        self.chain = False

    def _seen(self, slot: str) -> None:
        self.threads.setdefault(slot, set()).add(threading.current_thread().name)

    def req2buf(self, task: mars.TaskRef, channel: int, host: str) -> bytes | None:
        self._seen("req2buf")
        return None

    def on_task_end(self, task: mars.TaskRef, result: mars.TaskResult) -> int:
        self._seen("on_task_end")
        if self.chain and self.stn is not None:
            self.chain = False
            self.stn.start_task(echo_task(b"chained"))
        self.ends.put(result)
        return 0

    def on_push(self, push: mars.Push) -> None:
        self._seen("on_push")


@pytest.mark.parametrize("poll", MODES)
def test_round_trip_push_and_reentrancy(marsd: Marsd, poll: bool) -> None:
    cb = Recorder()
    with mars.Stn(stn_config(marsd, poll_events=poll), cb) as stn:
        cb.stn = stn
        assert stn.polling == poll
        cb.chain = True
        assert stn.call(echo_task(b"first", CMD_PUSH_ECHO), TIMEOUT) == b"first"
        assert stn.pushes.get(timeout=TIMEOUT).body == b"first"
        bodies = {cb.ends.get(timeout=TIMEOUT).body, cb.ends.get(timeout=TIMEOUT).body}
        assert bodies == {b"first", b"chained"}
    assert stn.callback_errors == 0
    main = threading.current_thread().name
    assert main not in cb.threads["on_task_end"] | cb.threads["req2buf"] | cb.threads["on_push"]
    if poll:
        assert cb.threads["on_task_end"] == {"mars-poll"} and cb.threads["on_push"] == {"mars-poll"}
        assert "mars-poll" not in cb.threads["req2buf"]  # answers still come from library threads
    else:
        assert "mars-poll" not in cb.threads["on_task_end"]


@pytest.mark.parametrize("poll", MODES)
def test_fence_in_both_modes(marsd: Marsd, poll: bool) -> None:
    class Broken(mars.Callbacks):
        def on_task_end(self, task: mars.TaskRef, result: mars.TaskResult) -> int:
            raise RuntimeError("boom")

    with mars.Stn(stn_config(marsd, poll_events=poll), Broken()) as stn:
        assert stn.call(echo_task(b"fenced"), TIMEOUT) == b"fenced"
        assert stn.callback_errors == 1


@pytest.mark.parametrize("poll", MODES)
def test_close_delivers_reset_in_both_modes(marsd: Marsd, poll: bool) -> None:
    from conftest import CMD_SILENCE

    stn = mars.Stn(stn_config(marsd, poll_events=poll))
    fut = stn.submit(echo_task(b"", CMD_SILENCE))
    stn.longlink_is_connected()
    stn.close()
    result = fut.result(0)
    assert (result.err_type, result.err_code) == (mars.ErrType.LOCAL, mars.LocalCode.RESET)
    if poll:
        assert stn._poller is not None and not stn._poller.is_alive()


def test_poll_thread_ends_with_the_engine(marsd: Marsd) -> None:
    if not _lib.has_feature(_lib.lib(), "poll"):
        pytest.skip("this libmars has no mars_stn_poll")
    before = {t for t in threading.enumerate() if t.name == "mars-poll"}
    with mars.Stn(stn_config(marsd)) as stn:
        assert stn.polling
    after = {t for t in threading.enumerate() if t.name == "mars-poll"}
    assert after <= before


def test_poll_on_an_engine_without_poll_events_is_wrong_state(marsd: Marsd) -> None:
    lib = _lib.lib()
    if not _lib.has_feature(lib, "poll"):
        pytest.skip("this libmars has no mars_stn_poll")
    with mars.Stn(stn_config(marsd, poll_events=False)) as stn:
        assert lib.mars_stn_poll(stn._h, 0, None) == mars.Result.ESTATE


@pytest.mark.parametrize("poll", MODES)
def test_close_inside_req2buf(marsd: Marsd, poll: bool) -> None:
    closed = threading.Event()

    class Closer(mars.Callbacks):
        stn: mars.Stn

        def req2buf(self, task: mars.TaskRef, channel: int, host: str) -> bytes | None:
            self.stn.close()
            closed.set()
            return None

    cb = Closer()
    stn = mars.Stn(stn_config(marsd, poll_events=poll), cb)
    cb.stn = stn
    fut = stn.submit(echo_task(b"closing"))
    assert closed.wait(TIMEOUT)
    try:
        result = fut.result(TIMEOUT)  # threaded: the engine reports the task's end
        assert not result.ok
    except CancelledError:
        # polled: the library drops task ends queued after a destroy from a
        # library-thread callback; the binding cancels instead of hanging.
        assert poll
    if stn._poller is not None:
        stn._poller.join(TIMEOUT)
        assert not stn._poller.is_alive()
    with pytest.raises(mars.BadHandle):
        stn.has_task(1)
    assert stn.callback_errors == 0
