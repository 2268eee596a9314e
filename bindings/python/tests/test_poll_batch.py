"""Task ends as data (mars_stn_poll_task_ends): the "mars-poll" thread takes
them many per call and completes their Futures with no call from C per end;
tasks are tracked by a key in mars_task.user_context (the library assigns
the task id inside the start call); a task in flight holds one object
Python's cyclic GC tracks (its TaskFuture)."""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import gc
import threading
from collections import Counter

import pytest

import mars
from conftest import CMD_SILENCE, TIMEOUT, Marsd, echo_task, stn_config
from mars import _dispatch, _lib
from mars import _structs as S


class Ends(mars.Callbacks):
    def __init__(self) -> None:
        self.ends: list[tuple[int, str, object]] = []

    def on_task_end(self, task: mars.TaskRef, result: mars.TaskResult) -> int:
        self.ends.append((task.taskid, threading.current_thread().name, task.context))
        return 0


def test_polled_ends_come_as_data_in_batches(marsd: Marsd, monkeypatch: pytest.MonkeyPatch) -> None:
    batches: list[int] = []
    trampolined: list[int] = []
    take, end_resp = _dispatch.Dispatch.take_ends, _dispatch.Dispatch._on_task_end_resp

    def counting_take(self: _dispatch.Dispatch, ends: object, n: int) -> None:
        batches.append(n)
        take(self, ends, n)

    def counting_end_resp(self: _dispatch.Dispatch, *args: object) -> int:
        trampolined.append(1)
        return end_resp(self, *args)

    monkeypatch.setattr(_dispatch.Dispatch, "take_ends", counting_take)
    monkeypatch.setattr(_dispatch.Dispatch, "_on_task_end_resp", counting_end_resp)
    cb = Ends()
    with mars.Stn(stn_config(marsd, poll_events=True), cb) as stn:
        futs = [stn.submit(echo_task(b"%d" % i, context=i)) for i in range(200)]
        results = [f.result(TIMEOUT).raise_for_error() for f in futs]
        assert [r.body for r in results] == [b"%d" % i for i in range(200)]
        assert all(r.profile.taskid == r.taskid and r.profile.cmdid == 100 for r in results)
    assert sum(batches) == 200 and not trampolined
    assert {t for _, t, _ in cb.ends} == {"mars-poll"}
    assert sorted(c for _, _, c in cb.ends) == list(range(200))  # the Task each end belongs to
    assert sorted(i for i, _, _ in cb.ends) == sorted(r.taskid for r in results)


def test_a_library_without_batch_polling_gets_a_callback_per_end(
    marsd: Marsd, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = _lib.has_feature
    monkeypatch.setattr(_lib, "has_feature", lambda lib, f: f != "poll_task_ends" and real(lib, f))
    monkeypatch.setattr(_dispatch.Dispatch, "take_ends", None)  # must not be used
    with mars.Stn(stn_config(marsd, poll_events=True)) as stn:
        assert [stn.call(echo_task(b"%d" % i), TIMEOUT) for i in range(3)] == [b"0", b"1", b"2"]


def test_ends_queued_at_close_still_complete_the_futures(marsd: Marsd) -> None:
    stn = mars.Stn(stn_config(marsd, poll_events=True))
    futs = [stn.submit(echo_task(b"x", CMD_SILENCE)) for _ in range(5)]
    assert stn.has_task(0x7FFFFFFF) is False  # a query: the starts have reached the engine
    stn.close()
    assert {(f.result(0).err_type, f.result(0).err_code) for f in futs} == {(mars.ErrType.LOCAL, mars.LocalCode.RESET)}


def test_close_inside_a_batched_on_task_end(marsd: Marsd) -> None:
    class Closer(mars.Callbacks):
        stn: mars.Stn

        def on_task_end(self, task: mars.TaskRef, result: mars.TaskResult) -> int:
            if result.ok:
                with pytest.raises(RuntimeError):  # waiting here would deadlock
                    self.stn.wait_task(task.taskid, 1)
                self.stn.close()
            return 0

    cb = Closer()
    cb.stn = stn = mars.Stn(stn_config(marsd, poll_events=True), cb)
    silent = stn.submit(echo_task(b"s", CMD_SILENCE))
    assert stn.submit(echo_task(b"e")).result(TIMEOUT).ok
    result = silent.result(TIMEOUT)  # ended by the close, delivered by it
    assert (result.err_type, result.err_code) == (mars.ErrType.LOCAL, mars.LocalCode.RESET)
    assert stn.closed


def test_start_task_asks_no_task_id_of_its_own(stn: mars.Stn, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: mars.Stn) -> int:
        raise AssertionError("start_task called gen_task_id")

    monkeypatch.setattr(mars.Stn, "gen_task_id", refuse)
    ids = [stn.start_task(echo_task(b"x", CMD_SILENCE)) for _ in range(20)]
    assert len(set(ids)) == 20 and 0 not in ids
    given = max(ids) + 1000
    assert stn.start_task(echo_task(b"x", CMD_SILENCE, taskid=given)) == given
    assert stn.future(given).done() is False


def test_an_end_before_start_returns_leaves_nothing_behind() -> None:
    """In threaded mode a task can end before mars_stn_start_task returns
    its id: the end finds it by its key, and started() then adds nothing."""
    d = _dispatch.Dispatch(_lib.lib(), mars.Callbacks(), 10, 10)
    p = _dispatch.Pending(mars.Task())
    key = d.track(p)
    ref = S.TaskRef(struct_size=ctypes.sizeof(S.TaskRef), taskid=77, cmdid=1, user_context=key, user_id=b"")
    d._on_task_end_resp(None, ctypes.pointer(ref), 0, 0, None, None, 0)
    d.started(key, 77)
    assert d.pending == {} and d.ids == {}
    assert p.future.result(0).taskid == 77 and d.future(77) is p.future
    d.forget(77)
    assert d.future(77) is None


def test_a_task_in_flight_holds_one_gc_tracked_object_besides_its_record(marsd: Marsd) -> None:
    silent = echo_task(b"x", CMD_SILENCE, limit_frequency=False, limit_flow=False)
    with mars.Stn(stn_config(marsd, poll_events=True)) as stn:
        futs = [stn.submit(silent) for _ in range(10)]
        gc.collect()
        before = Counter(type(o) for o in gc.get_objects())
        futs += [stn.submit(silent) for _ in range(500)]
        gc.collect()
        after = Counter(type(o) for o in gc.get_objects())
        grown = {t.__name__: after[t] - before[t] for t in after if after[t] - before[t] >= 250}
        assert grown == {"TaskFuture": 500, "Pending": 500}


def test_task_future_keeps_the_future_api() -> None:
    done, waited, pending, cancelled = (_dispatch.TaskFuture() for _ in range(4))
    done.finish(1)
    assert done.done() and done.result() == 1 and done.exception() is None and not done.cancelled()
    calls: list[object] = []
    done.add_done_callback(lambda f: calls.append(f.result()))
    waited.add_done_callback(lambda f: calls.append(f.result()))
    with pytest.raises(cf.TimeoutError):
        waited.result(0.01)
    threading.Timer(0.01, waited.finish, (2,)).start()
    assert waited.result(TIMEOUT) == 2 and calls == [1, 2]
    assert cancelled.cancel() and cancelled.cancelled()
    cancelled.finish(3)  # a cancelled Future keeps its cancellation
    with pytest.raises(cf.CancelledError):
        cancelled.result(0)
    threading.Timer(0.01, pending.finish, (4,)).start()
    finished, _ = cf.wait([pending], TIMEOUT)
    assert finished == {pending} and pending.result() == 4
    assert [f.result() for f in cf.as_completed([done, waited], TIMEOUT)] in ([1, 2], [2, 1])
    assert "finished" in repr(done)
    with pytest.raises(AttributeError):
        _ = done.no_such_attribute
