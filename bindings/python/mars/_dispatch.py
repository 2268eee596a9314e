"""The ctypes trampolines of one engine: the only code the library calls.

Each trampoline runs on a library thread under the GIL (ctypes takes it).
One wrapper, _guard, is the fence: it catches every exception from Python
code, logs and counts it, and returns the slot's defined value, so no
exception ever reaches C (ctypes would return garbage).
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import json
import logging
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from concurrent.futures._base import FINISHED, PENDING
from typing import Any

from . import _lib
from . import _structs as S
from .callbacks import Callbacks, overridden
from .constants import Identify, Resp
from .proxy import DnsProfile
from .task import _PROFILE_STRINGS, NetworkQuality, Push, Task, TaskProfile, TaskRef, TaskResult

log = logging.getLogger("mars")

#: What the library gets when a slot's Python code raised.
FAILURE_VALUES: dict[str, Any] = {
    "req2buf": 0,
    "buf2resp": int(Resp.TASK_END),
    "req2buf_ext": 0,  # never set by the binding (see _structs.CALLBACK_TYPES)
    "buf2resp_ext": int(Resp.TASK_END),
    "on_task_end": 0,
    "on_task_end_resp": 0,
    "makesure_authed": 0,
    "get_identify_check_buffer": int(Identify.NEVER),
    "on_identify_response": 1,
    "is_logoned": 0,
    "get_proxy_info": 0,
}

_tls = threading.local()

#: _end's body when the response is the one _buf2resp kept.
_FROM_BUF2RESP = object()


def in_callback() -> bool:
    """Whether the current thread is inside one of this binding's callbacks."""
    return getattr(_tls, "depth", 0) > 0


# Guards the moment a TaskFuture's Condition is made against finish().
_lazy = threading.Lock()


class TaskFuture(Future):  # type: ignore[type-arg]
    """A started task's Future, and the binding's record of the task until it
    ends (the Task, the response buf2resp kept). Its Condition and lists are
    made on first use: concurrent.futures.Future makes ten objects Python's
    cyclic GC tracks (the Condition, five bound methods of its lock, a deque,
    two lists); with thousands of tasks in flight they made the GC run often
    and long (a quarter of the CPU of a pipelined task). A task in flight
    holds one: this Future. Relies on Future's private attributes, as they
    are in every Python since 3.2; the tests run Future's API on it."""

    def __init__(self, task: Task | None = None) -> None:  # Future.__init__ less what __getattr__ makes later
        self._state = PENDING
        self._result: Any = None
        self._exception: BaseException | None = None
        self._task = task
        self._resp: bytes | None = None  # what buf2resp was given

    def __getattr__(self, name: str) -> Any:  # called only while name is missing
        if name == "_condition":
            with _lazy:
                return self.__dict__.setdefault(name, threading.Condition())
        if name in ("_waiters", "_done_callbacks"):
            return self.__dict__.setdefault(name, [])
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def result(self, timeout: float | None = None) -> Any:
        if self._state == FINISHED and self._exception is None:  # final: no lock needed to read it
            return self._result
        return super().result(timeout)

    def done(self) -> bool:
        return self._state == FINISHED or super().done()

    def finish(self, result: Any) -> None:
        """set_result, ignoring a Future cancelled meanwhile (stop_task,
        clear_tasks). While nobody has used the Future yet (no Condition:
        nobody waits, no callback, not cancelled) it only sets the result.
        The task's record goes: a Future kept does not keep its Task."""
        self._task = self._resp = None
        with _lazy:
            if "_condition" not in self.__dict__:
                self._result = result
                self._state = FINISHED
                return
        try:
            self.set_result(result)
        except InvalidStateError:
            pass


#: A mars_task_end read in one call, and where each field is in the row.
_END_ROW = S.unpacker(S.TaskEnd)
_TASKID, _CMDID, _CONTEXT, _USER_ID, _SEQ, _ERR_TYPE, _ERR_CODE, _BODY, _BODY_LEN, _PROFILE = range(1, 11)
#: The string pointers of a mars_task_profile, in TaskProfile._from_raw's order.
_PROFILE_STRING_PTRS = S.unpacker(S.TaskProfile, _PROFILE_STRINGS)
_PROFILE_SIZE = ctypes.sizeof(S.TaskProfile)


def _text(b: bytes | None) -> str:
    return b.decode(errors="replace") if b else ""


class Dispatch:
    """Holds the per-engine Python state the trampolines use, and the ctypes
    function objects, which must live as long as the library may call them."""

    def __init__(
        self, lib: Any, callbacks: Callbacks, max_pushes: int, max_finished: int, response_bodies: bool = True
    ) -> None:
        self.lib = lib
        self.cb = callbacks
        self.lock = threading.Lock()
        # A task is known by its key, which goes in mars_task.user_context and
        # comes back with every callback and end: the library assigns the
        # task id at start, and the end may arrive before start returns it.
        self.keys = itertools.count(1)
        self.pending: dict[int, TaskFuture] = {}  # by key
        self.ids: dict[int, int] = {}  # task id -> key, once start returned it
        self.finished: OrderedDict[int, Future[TaskResult]] = OrderedDict()  # by task id
        self.max_finished = max_finished
        self.pushes: queue.Queue[Push] = queue.Queue(max_pushes)
        self.pushes_dropped = 0
        self.closed_in_callback = False
        self.errors = 0
        self.last_error: BaseException | None = None
        self.user_req2buf = overridden(callbacks, "req2buf")
        self.user_on_task_end = overridden(callbacks, "on_task_end")
        # A task end handed over as data (take_ends) calls on_task_end
        # through the same fence as a trampoline.
        self._report_fenced = self._guard("on_task_end", self._report, FAILURE_VALUES["on_task_end"])
        self.response_bodies = response_bodies
        # Each of these saves a call into Python on a library thread per task:
        # the task carries its body (no req2buf), its end carries the response
        # (no buf2resp). A library without them gets the callbacks instead.
        self.task_bodies = not self.user_req2buf and _lib.has_feature(lib, "task_body")
        end_resp = _lib.has_feature(lib, "task_end_resp")
        wanted = {"on_push", "on_task_end_resp" if end_resp else "on_task_end"}
        if not self.task_bodies:
            wanted.add("req2buf")
        if response_bodies and not end_resp:
            wanted.add("buf2resp")
        replaced = {"on_task_end"} if end_resp else set()
        self.table, _ = S.init_struct(lib.mars_stn_callbacks_init, S.StnCallbacks)
        self.cfuncs: dict[str, Any] = {}
        for name, ctype in S.CALLBACK_TYPES.items():
            if name in wanted or (name not in replaced and overridden(callbacks, name)):
                fn = self._guard(name, getattr(self, "_" + name), FAILURE_VALUES.get(name))
                self.cfuncs[name] = ctype(fn)
                setattr(self.table, name, self.cfuncs[name])

    def track(self, p: TaskFuture) -> int:
        """Tracks a task about to start; returns its key (its user_context)."""
        key = next(self.keys)
        with self.lock:
            self.pending[key] = p
        return key

    def started(self, key: int, taskid: int) -> None:
        """The task of key started as taskid (unless it already ended)."""
        with self.lock:
            if key in self.pending:
                self.ids[taskid] = key

    def untrack(self, key: int) -> None:
        """A task that could not start."""
        with self.lock:
            self.pending.pop(key, None)

    def forget(self, taskid: int) -> None:
        with self.lock:
            key = self.ids.pop(taskid, None)
            if key is not None:
                self.pending.pop(key, None)
            self.finished.pop(taskid, None)

    def future(self, taskid: int) -> Future[TaskResult] | None:
        with self.lock:
            p = self.pending.get(self.ids.get(taskid, 0))
            return p if p is not None else self.finished.get(taskid)

    def cancel(self, taskids: list[int] | None) -> None:
        """Cancels the Futures of taskids (None: every pending task)."""
        with self.lock:
            if taskids is None:
                dropped = list(self.pending.values())
                self.pending.clear()
                self.ids.clear()
            else:
                keys = [self.ids.pop(i, 0) for i in taskids]
                dropped = [p for p in (self.pending.pop(k, None) for k in keys) if p is not None]
        for p in dropped:
            p._task = p._resp = None
            p.cancel()

    def _ended(self, taskid: int, key: int | None) -> TaskFuture | None:
        with self.lock:
            return self._ended_locked(taskid, key)

    def _ended_locked(self, taskid: int, key: int | None) -> TaskFuture | None:
        p = self.pending.pop(key, None) if key is not None else None
        if p is not None:
            if self.ids.get(taskid) == key:
                del self.ids[taskid]
            self.finished[taskid] = p
            while len(self.finished) > self.max_finished:
                self.finished.popitem(last=False)
        return p

    def _guard(self, name: str, fn: Callable[..., Any], failed: Any) -> Callable[..., Any]:
        def trampoline(*args: Any) -> Any:
            _tls.depth = getattr(_tls, "depth", 0) + 1
            try:
                return fn(*args)
            except BaseException as e:  # nothing may cross into C
                with self.lock:
                    self.errors += 1
                    self.last_error = e
                # Even a failing log handler must not cross into C; the
                # error is counted above either way.
                with contextlib.suppress(BaseException):
                    log.exception("mars: callback %s raised; returning %r to the library", name, failed)
                return failed
            finally:
                _tls.depth -= 1

        return trampoline

    def _ref(self, r: S.TaskRef) -> TaskRef:
        p = self.pending.get(r.user_context)
        return TaskRef(r.taskid, r.cmdid, _text(r.user_id), r.client_sequence_id, p._task if p else None)

    def _req2buf(self, _ud: Any, ref: Any, channel: int, host: bytes, out: Any, err_code: Any) -> int:
        r = ref.contents
        p = self.pending.get(r.user_context)
        body = None
        if self.user_req2buf:
            body = self.cb.req2buf(self._ref(r), channel, _text(host))
        if body is None:
            body = p._task.body if p and p._task else b""
        if body:
            rc = self.lib.mars_buf_append(out, bytes(body), len(body))
            if rc != 0:
                err_code[0] = rc
                return 0
        return 1

    def _buf2resp(self, _ud: Any, ref: Any, channel: int, data: int | None, n: int, err_code: Any) -> int:
        r = ref.contents
        body = ctypes.string_at(data, n) if data and n else b""
        p = self.pending.get(r.user_context)
        if p is not None:
            p._resp = body
        rv = self.cb.buf2resp(self._ref(r), channel, body)
        rc, code = rv if isinstance(rv, tuple) else (rv, 0)
        err_code[0] = int(code)
        return int(rc)

    def _on_task_end(self, _ud: Any, ref: Any, err_type: int, err_code: int, prof: Any) -> int:
        return self._end(ref.contents, err_type, err_code, prof, _FROM_BUF2RESP)

    def _on_task_end_resp(
        self, _ud: Any, ref: Any, err_type: int, err_code: int, prof: Any, data: int | None, n: int
    ) -> int:
        body = ctypes.string_at(data, n) if data and self.response_bodies else None
        return self._end(ref.contents, err_type, err_code, prof, body)

    def _end(self, r: S.TaskRef, err_type: int, err_code: int, prof: Any, body: Any) -> int:
        profile = TaskProfile.from_c(prof.contents) if prof else TaskProfile()
        p = self._ended(r.taskid, r.user_context)
        if body is _FROM_BUF2RESP:
            body = p._resp if p else None
        result = TaskResult.of(r.taskid, err_type, err_code, body, profile)
        return self._report(p, r.cmdid, r.user_id, r.client_sequence_id, result)

    def _report(self, p: TaskFuture | None, cmdid: int, user_id: bytes | None, seq: int, result: TaskResult) -> int:
        """on_task_end (when overridden: the default answers 0), then the
        task's Future, even if on_task_end raised."""
        try:
            if not self.user_on_task_end:
                return 0
            tref = TaskRef(result.taskid, cmdid, _text(user_id), seq, p._task if p else None)
            return int(self.cb.on_task_end(tref, result) or 0)
        finally:
            if p is not None:
                p.finish(result)

    def take_ends(self, ends: Any, n: int, block: int) -> None:
        """The first n task ends mars_stn_poll_task_ends wrote into ends,
        pointing into block: each as on_task_end_resp would have had it,
        without a call from C per end. Runs on the polling thread, counted
        as a callback (so the calls that would deadlock there refuse, and
        close() there is a close inside a callback).

        The entries are read with one struct call each, and the block is
        copied once (up to the last body and profile): bodies and profile
        strings are slices of that copy, not a ctypes call each. The profile
        is kept as its bytes and built when TaskResult.profile is read."""
        _tls.depth = getattr(_tls, "depth", 0) + 1
        try:
            rows = list(_END_ROW.iter_unpack(ctypes.string_at(ends, n * _END_ROW.size)))
            end = block
            for r in rows:
                end = max(end, r[_BODY] + r[_BODY_LEN], r[_PROFILE] + _PROFILE_SIZE)
            buf = ctypes.string_at(block, end - block)
            size = len(buf)

            def text(at: int) -> bytes:  # the C string at block + at
                if 0 <= at < size:
                    if not buf[at]:  # most are empty: no find, no slice
                        return b""
                    stop = buf.find(0, at)
                    if stop >= 0:
                        return buf[at:stop]
                return ctypes.string_at(block + at) if block + at else b""

            bodies, lazy, strings_of = self.response_bodies, TaskResult._lazy, _PROFILE_STRING_PTRS.unpack_from
            got = []
            for r in rows:
                data = r[_BODY]
                body = buf[data - block : data - block + r[_BODY_LEN]] if data and bodies else None
                if not r[_PROFILE]:  # the library always gives one; NULL reads as none, as in _end
                    got.append((r, TaskResult.of(r[_TASKID], r[_ERR_TYPE], r[_ERR_CODE], body, TaskProfile())))
                    continue
                at = r[_PROFILE] - block
                c, u, a, ip = strings_of(buf, at)
                # One tuple (one object for the cyclic GC to count), as _from_raw takes it.
                raw = (
                    buf[at : at + _PROFILE_SIZE],
                    text(c - block),
                    text(u - block),
                    text(a - block),
                    text(ip - block),
                )
                got.append((r, lazy(r[_TASKID], r[_ERR_TYPE], r[_ERR_CODE], body, raw)))
            with self.lock:
                ended = [self._ended_locked(r[_TASKID], r[_CONTEXT]) for r, _ in got]
            if self.user_on_task_end:
                for p, (r, result) in zip(ended, got, strict=True):
                    self._report_fenced(p, r[_CMDID], text(r[_USER_ID] - block), r[_SEQ], result)
            else:  # no Python code of the user's to fence
                for p, (_, result) in zip(ended, got, strict=True):
                    if p is not None:
                        p.finish(result)
        finally:
            _tls.depth -= 1

    def _on_push(self, _ud: Any, channel: bytes, cmdid: int, taskid: int, data: int | None, n: int) -> None:
        push = Push(_text(channel), cmdid, taskid, ctypes.string_at(data, n) if data and n else b"")
        try:
            self.pushes.put_nowait(push)
        except queue.Full:
            self.pushes_dropped += 1
        self.cb.on_push(push)

    def _on_new_dns(self, _ud: Any, host: bytes, longlink: int, out: Any) -> None:
        for ip in self.cb.on_new_dns(_text(host), bool(longlink)):
            if self.lib.mars_str_list_add(out, ip.encode()) != 0:
                break

    def _makesure_authed(self, _ud: Any, host: bytes, user_id: bytes) -> int:
        return 1 if self.cb.makesure_authed(_text(host), _text(user_id)) else 0

    def _report_connect_status(self, _ud: Any, status: int, longlink_status: int) -> None:
        self.cb.report_connect_status(status, longlink_status)

    def _on_longlink_status_change(self, _ud: Any, status: int) -> None:
        self.cb.on_longlink_status_change(status)

    def _on_longlink_network_error(self, _ud: Any, et: int, ec: int, ip: bytes, port: int) -> None:
        self.cb.on_longlink_network_error(et, ec, _text(ip), port)

    def _on_longlink_status_change_of(self, _ud: Any, name: bytes, status: int) -> None:
        self.cb.on_longlink_status_change_of(_text(name), status)

    def _on_longlink_network_error_of(self, _ud: Any, name: bytes, et: int, ec: int, ip: bytes, port: int) -> None:
        self.cb.on_longlink_network_error_of(_text(name), et, ec, _text(ip), port)

    def _on_longlink_new_dns(self, _ud: Any, name: bytes, host: bytes, out: Any) -> None:
        for ip in self.cb.on_longlink_new_dns(_text(name), _text(host)):
            if self.lib.mars_str_list_add(out, ip.encode()) != 0:
                break

    def _on_shortlink_network_error(self, _ud: Any, et: int, ec: int, ip: bytes, port: int) -> None:
        self.cb.on_shortlink_network_error(et, ec, _text(ip), port)

    def _get_identify_check_buffer(self, _ud: Any, channel: bytes, buf: Any, hsh: Any, cmdid: Any) -> int:
        rv = self.cb.get_identify_check_buffer(_text(channel))
        if not isinstance(rv, tuple):
            return int(rv)
        cmd, body, digest = rv
        for out, data in ((buf, body), (hsh, digest)):
            if data and self.lib.mars_buf_append(out, bytes(data), len(data)) != 0:
                return int(Identify.NEVER)
        cmdid[0] = int(cmd)
        return int(Identify.NOW)

    def _on_identify_response(self, _ud: Any, ch: bytes, resp: int | None, n: int, hsh: int | None, hn: int) -> int:
        r = ctypes.string_at(resp, n) if resp and n else b""
        h = ctypes.string_at(hsh, hn) if hsh and hn else b""
        return 1 if self.cb.on_identify_response(_text(ch), r, h) else 0

    def _traffic_data(self, _ud: Any, send: int, recv: int) -> None:
        self.cb.traffic_data(send, recv)

    def _report_task_profile(self, _ud: Any, prof: Any) -> None:
        self.cb.report_task_profile(TaskProfile.from_c(prof.contents))

    def _report_task_limited(self, _ud: Any, check_type: int, ref: Any, param: int) -> None:
        self.cb.report_task_limited(check_type, self._ref(ref.contents), param)

    def _request_sync(self, _ud: Any) -> None:
        self.cb.request_sync()

    def _on_network_quality_change(self, _ud: Any, q: Any) -> None:
        self.cb.on_network_quality_change(NetworkQuality.from_c(q.contents))

    def _is_logoned(self, _ud: Any) -> int:
        return 1 if self.cb.is_logoned() else 0

    def _request_netcheck_hosts(self, _ud: Any, out: Any) -> None:
        for host in self.cb.request_netcheck_hosts():
            if self.lib.mars_str_list_add(out, host.encode()) != 0:
                break

    def _get_proxy_info(self, _ud: Any, host: bytes, longlink: int, out: Any) -> int:
        proxy = self.cb.get_proxy_info(_text(host), bool(longlink))
        if proxy is None:
            return 0
        proxy.fill(out.contents)
        return 1

    def _report_dns_profile(self, _ud: Any, p: Any) -> None:
        self.cb.report_dns_profile(DnsProfile.from_c(p.contents))

    def _on_netcheck_result(self, _ud: Any, data: int | None, n: int) -> None:
        report = json.loads(ctypes.string_at(data, n)) if data and n else {}
        self.cb.on_netcheck_result(report)
