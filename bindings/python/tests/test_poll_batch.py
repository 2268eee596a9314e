"""Task ends as data (mars_stn_poll_task_ends): the "mars-poll" thread takes
them many per call and completes their Futures with no call from C per end;
tasks are tracked by a key in mars_task.user_context (the library assigns
the task id inside the start call); a task in flight holds one object
Python's cyclic GC tracks (its TaskFuture)."""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import dataclasses
import gc
import os
import pickle
import threading
import weakref
from collections import Counter

import pytest

import mars
from conftest import CMD_SILENCE, TIMEOUT, Marsd, echo_task, stn_config
from mars import _dispatch, _lib
from mars import _structs as S
from mars.task import TaskProfile


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

    def counting_take(self: _dispatch.Dispatch, ends: object, n: int, block: int) -> None:
        batches.append(n)
        take(self, ends, n, block)

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
    p = _dispatch.TaskFuture(mars.Task())
    key = d.track(p)
    ref = S.TaskRef(struct_size=ctypes.sizeof(S.TaskRef), taskid=77, cmdid=1, user_context=key, user_id=b"")
    d._on_task_end_resp(None, ctypes.pointer(ref), 0, 0, None, None, 0)
    d.started(key, 77)
    assert d.pending == {} and d.ids == {}
    assert p.result(0).taskid == 77 and d.future(77) is p
    d.forget(77)
    assert d.future(77) is None


def test_a_task_in_flight_holds_one_gc_tracked_object(marsd: Marsd) -> None:
    """Its TaskFuture is also the binding's record of it (no second object)."""
    silent = echo_task(b"x", CMD_SILENCE, limit_frequency=False, limit_flow=False)
    with mars.Stn(stn_config(marsd, poll_events=True)) as stn:
        futs = [stn.submit(silent) for _ in range(10)]
        gc.collect()
        before = Counter(type(o) for o in gc.get_objects())
        futs += [stn.submit(silent) for _ in range(500)]
        gc.collect()
        after = Counter(type(o) for o in gc.get_objects())
        grown = {t.__name__: after[t] - before[t] for t in after if after[t] - before[t] >= 250}
        assert grown == {"TaskFuture": 500}


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


def _profile(taskid: int) -> S.TaskProfile:
    """A mars_task_profile with every field set (strings not yet)."""
    c = S.TaskProfile(struct_size=ctypes.sizeof(S.TaskProfile))
    for i, (name, ctype) in enumerate(S.TaskProfile._fields_[1:]):
        if ctype is not ctypes.c_char_p:
            setattr(c, name, 1_765_000_000_000 + i if name.endswith("_ms") else i + 1)
    c.taskid = taskid
    return c


def _set_pointer(where: int, value: int) -> None:
    ctypes.c_void_p.from_address(where).value = value


def test_batched_ends_read_every_field_wherever_the_block_puts_it() -> None:
    """take_ends reads entries, bodies and profile strings out of one copy of
    the block, and a string past the copied part (after the last body) with
    the library's own call: every field must come out as the C struct says.
    Three ends: an empty body, no body (NULL), a body with NUL bytes."""
    strings = {  # per end: cgi, user_id, report_arg, connect_ip, the ref's user_id
        1: [b"/cgi-\xc3\xa9", b"", b"arg", b"127.0.0.1", b"bob"],
        2: [b"", b"u2", b"", b"::1", b""],
        3: [b"", b"", b"", b"10.0.0.3", b"carol"],
    }
    bodies = {1: b"", 2: None, 3: b"r\0s\0"}
    psize = ctypes.sizeof(S.TaskProfile)
    block = ctypes.create_string_buffer(4096)
    base = ctypes.addressof(block)
    at = 3 * psize

    def put(data: bytes, nul: bool) -> int:
        nonlocal at
        ctypes.memmove(base + at, data, len(data))
        where, at = base + at, at + len(data) + (1 if nul else 0)
        return where

    ends = (S.TaskEnd * 3)()
    want: dict[int, TaskProfile] = {}
    last: list[tuple[S.TaskProfile, str]] = []
    for i, taskid in enumerate((1, 2, 3)):
        c = S.TaskProfile.from_address(base + i * psize)
        ctypes.memmove(ctypes.byref(c), ctypes.byref(_profile(taskid)), psize)
        e = ends[i]
        e.struct_size, e.taskid, e.cmdid, e.user_context = ctypes.sizeof(S.TaskEnd), taskid, 100 + taskid, taskid
        e.client_sequence_id, e.err_type, e.err_code = 7, taskid - 1, -taskid
        names = ("cgi", "user_id", "report_arg", "connect_ip")
        if taskid == 3:  # its strings after every body: past what take_ends copies
            last = [(c, n) for n in names]
        else:
            for name, s in zip(names, strings[taskid][:4], strict=True):
                _set_pointer(ctypes.addressof(c) + getattr(S.TaskProfile, name).offset, put(s, True))
        _set_pointer(ctypes.addressof(e) + S.TaskEnd.user_id.offset, put(strings[taskid][4], True))
        body = bodies[taskid]
        if body is not None:
            e.body, e.body_len = put(body, False), len(body)
        _set_pointer(ctypes.addressof(e) + S.TaskEnd.profile.offset, base + i * psize)
    for (c, name), s in zip(last, strings[3][:4], strict=True):
        _set_pointer(ctypes.addressof(c) + getattr(S.TaskProfile, name).offset, put(s, True))
    for i, taskid in enumerate((1, 2, 3)):
        want[taskid] = TaskProfile.from_c(S.TaskProfile.from_address(base + i * psize))
    assert want[1].cgi == "/cgi-é" and want[3].connect_ip == "10.0.0.3"

    class Refs(mars.Callbacks):
        def __init__(self) -> None:
            self.refs: list[tuple[int, int, str, int]] = []

        def on_task_end(self, task: mars.TaskRef, result: mars.TaskResult) -> int:
            self.refs.append((task.taskid, task.cmdid, task.user_id, task.client_sequence_id))
            return 0

    cb = Refs()
    d = _dispatch.Dispatch(_lib.lib(), cb, 10, 10)
    futs = {}
    for taskid in (1, 2, 3):
        futs[taskid] = f = _dispatch.TaskFuture(mars.Task())
        assert d.track(f) == taskid
    d.take_ends(ends, 3, base)
    for taskid in (1, 2, 3):
        r = futs[taskid].result(0)
        assert (r.taskid, r.err_type, r.err_code, r.body) == (taskid, taskid - 1, -taskid, bodies[taskid])
        assert r.profile == want[taskid]
    assert cb.refs == [(t, 100 + t, strings[t][4].decode(), 7) for t in (1, 2, 3)]


def test_a_polled_end_builds_its_profile_when_read(marsd: Marsd) -> None:
    """The profile of a batched end is kept as bytes until read; read, it is
    the task's, built once, and the result compares, hashes and prints as
    one constructed with it."""
    with mars.Stn(stn_config(marsd, poll_events=True)) as stn:
        r = stn.submit(echo_task(b"p", cgi="/p")).result(TIMEOUT).raise_for_error()
    assert "profile" not in vars(r)
    assert pickle.loads(pickle.dumps(r)) == r  # pickled unread, it is built on the other side
    p = r.profile
    assert (p.taskid, p.cgi, p.connect_ip, p.err_type) == (r.taskid, "/p", "127.0.0.1", 0)
    assert 0 < p.start_time_ms <= p.end_time_ms and p.send_bytes > 0
    assert r.profile is p
    same = mars.TaskResult(r.taskid, r.err_type, r.err_code, r.body, p)
    assert r == same and hash(r) == hash(same) and repr(r) == repr(same)
    assert dataclasses.replace(r, body=b"x").profile is p


def test_starting_a_task_does_not_ask_the_pid(marsd: Marsd, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fork guard is a flag set at fork (os.register_at_fork), not an
    os.getpid() per call: a start must not call it."""
    with mars.Stn(stn_config(marsd, poll_events=True)) as stn:

        def no_getpid() -> int:
            raise AssertionError("os.getpid() called")

        monkeypatch.setattr(os, "getpid", no_getpid)
        assert stn.submit(echo_task(b"x")).result(TIMEOUT).body == b"x"


def test_the_start_call_keeps_the_gil(marsd: Marsd) -> None:
    """mars_stn_start_task only queues the task, so it is called without
    giving the GIL away (a PYFUNCTYPE function): with mars-poll waiting for
    the GIL, each start gave it away and waited to get it back."""
    with mars.Stn(stn_config(marsd, poll_events=True)) as stn:
        assert stn._start_task._flags_ & ctypes._FUNCFLAG_PYTHONAPI  # type: ignore[attr-defined]
        futs = [stn.submit(echo_task(b"%d" % i)) for i in range(300)]
        assert [f.result(TIMEOUT).body for f in futs] == [b"%d" % i for i in range(300)]


def test_a_finished_future_does_not_keep_its_task(marsd: Marsd) -> None:
    """The TaskFuture is the task's record only while the task is in
    flight: ended or cancelled, it lets the Task (and its body) go."""
    with mars.Stn(stn_config(marsd, poll_events=True)) as stn:
        ended, stopped = echo_task(b"e" * 1000), echo_task(b"x", CMD_SILENCE)
        refs = [weakref.ref(ended), weakref.ref(stopped)]
        done = stn.submit(ended)
        stopped_id = stn.start_task(stopped)
        cancelled = stn.future(stopped_id)
        assert done.result(TIMEOUT).body == b"e" * 1000
        stn.stop_task(stopped_id)
        del ended, stopped
        gc.collect()
        assert cancelled.cancelled() and [r() for r in refs] == [None, None]
