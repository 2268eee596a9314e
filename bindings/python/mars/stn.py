"""Stn: one Mars engine (mars_stn) with Pythonic calls, futures and a push
queue for tests and harnesses."""

from __future__ import annotations

import ctypes
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent import futures
from concurrent.futures import Future
from typing import Any

from . import _dispatch, _lib
from . import _structs as S
from .callbacks import Callbacks
from .config import StnConfig, ports_array
from .constants import Net, Result
from .defaults import DEFAULT_MAX_FINISHED, DEFAULT_MAX_PUSHES
from .errors import _check, error_for, errstr, read_errmsg
from .longlink import LongLinkConfig
from .task import NetworkQuality, Push, Task, TaskResult, check_int, encode, to_c_task

# Engines destroyed from inside their own callback: the library may still
# call their trampolines on its thread, so those are kept for good.
_graveyard: list[Any] = []
# Open engines, held strongly: an Stn dropped without close() must not free
# the trampolines a running engine still calls. close() releases it.
_open: dict[int, Stn] = {}
_open_lock = threading.Lock()


#: Task ends taken per mars_stn_poll_task_ends call.
_END_BATCH = 512


def _poller(lib: Any, handle: int, dispatch: _dispatch.Dispatch) -> Callable[[], int]:
    """One wait-and-deliver step of the poll thread: mars_stn_poll_task_ends
    where the library has it (task ends come back as data, many per call,
    handed to dispatch.take_ends; the other notifications still run their
    callbacks inside the call), else mars_stn_poll."""
    if not _lib.has(lib, "mars_stn_poll_task_ends"):
        ran = ctypes.c_int()
        return lambda: int(lib.mars_stn_poll(handle, -1, ctypes.byref(ran)))
    ends = (S.TaskEnd * _END_BATCH)()
    n, block = ctypes.c_size_t(), ctypes.c_void_p()
    args = (handle, -1, ends, _END_BATCH, ctypes.sizeof(S.TaskEnd), ctypes.byref(n), ctypes.byref(block))
    poll, free = lib.mars_stn_poll_task_ends, lib.mars_free

    def step() -> int:
        rc = int(poll(*args))
        if rc == Result.OK and n.value:
            try:
                dispatch.take_ends(ends, n.value, block.value or 0)
            except BaseException:  # the thread must go on polling
                _dispatch.log.exception("mars: handling task ends failed")
            finally:
                free(block)
        return rc

    return step


def _poll_loop(lib: Any, handle: int, dispatch: _dispatch.Dispatch) -> None:
    """The "mars-poll" thread: runs queued notifications until the engine is
    gone. The poll call releases the GIL while it waits (CDLL), so an idle
    engine costs nothing. If the engine was closed from inside a callback,
    no polled on_task_end can come once the handle is gone (the library
    drops task ends queued after that), so Futures still pending are
    cancelled rather than left to hang."""
    step = _poller(lib, handle, dispatch)
    while True:
        rc = step()
        if rc != Result.OK:
            if rc != Result.EBADHANDLE:  # EBADHANDLE: destroyed, the normal end
                _dispatch.log.error("mars: mars_stn_poll returned %d (%s); polling stops", rc, errstr(rc))
            if dispatch.closed_in_callback:
                dispatch.cancel(None)
            return


def _result(future: Future[TaskResult], timeout: float | None) -> TaskResult:
    # Python 3.10's concurrent.futures.TimeoutError is not the builtin one.
    try:
        return future.result(timeout)
    except futures.TimeoutError as e:
        raise TimeoutError(f"the task did not end within {timeout} s") from e


def _refuse_in_callback(what: str) -> None:
    # Callbacks of one engine are serialised: waiting inside one for a task's
    # end would wait for a callback that cannot run.
    if _dispatch.in_callback():
        raise RuntimeError(f"Stn.{what} inside a callback would deadlock; use start_task and on_task_end")


class Stn:
    """One engine. Use as a context manager, or call close().

    Tasks started here are tracked: wait_task(taskid, timeout) returns their
    TaskResult, call(task) starts one and returns its response body. Pushes
    are queued on stn.pushes (a queue.Queue of Push) besides Callbacks.on_push.

    max_pushes bounds stn.pushes, max_finished the ended tasks kept for
    wait_task. response_bodies=False leaves TaskResult.body None (with a
    library older than on_task_end_resp it also saves the binding's buf2resp,
    one call into Python per task, unless Callbacks override it).

    Raises (creating one): InvalidArgument for a bad config value or a
    string with a NUL (detail says which), BadHandle if config.log is a
    closed Xlog, LimitReached with 4096 live engines, Unsupported from an
    xlog-only libmars, ForkedChild in a forked child; LibraryVersionError
    (an ImportError) on first use if libmars's major version differs.

    Common to every method that calls the library: BadHandle after close(),
    Closed (MARS_ECLOSED) when the call races a close() on another thread,
    ForkedChild in a process forked from the one that loaded libmars, and
    InternalError if the library recovered from a panic. Each method's
    "Raises:" adds what else it can raise.
    """

    def __init__(
        self,
        config: StnConfig | None = None,
        callbacks: Callbacks | None = None,
        *,
        max_pushes: int = DEFAULT_MAX_PUSHES,
        max_finished: int = DEFAULT_MAX_FINISHED,
        response_bodies: bool = True,
    ) -> None:
        self._lib = _lib.lib()
        self._closed = True
        self._dispatch = _dispatch.Dispatch(
            self._lib, callbacks or Callbacks(), max_pushes, max_finished, response_bodies
        )
        keep: list[Any] = []
        cfg = (config or StnConfig()).to_c(self._lib, keep)
        out = ctypes.c_void_p()
        rc = self._lib.mars_stn_create(ctypes.byref(cfg), ctypes.byref(self._dispatch.table), ctypes.byref(out))
        _check(rc, "mars_stn_create", lambda: read_errmsg(self._lib.mars_stn_errmsg, None))
        self._h = out
        # It only queues the task: called keeping the GIL (see keeping_the_gil).
        self._start_task = _lib.keeping_the_gil(self._lib, "mars_stn_start_task")
        self._closed = False
        with _open_lock:
            _open[id(self)] = self
        self._poller: threading.Thread | None = None
        if cfg.poll_events:
            self._poller = threading.Thread(
                target=_poll_loop, args=(self._lib, out.value, self._dispatch), name="mars-poll", daemon=True
            )
            self._poller.start()

    # ---- lifecycle -------------------------------------------------------

    def close(self) -> None:
        """mars_stn_destroy: every pending task ends with (LOCAL, RESET) and
        no callback runs afterwards. Pushes not yet handed to on_push are
        dropped, so close is prompt however many a flood left waiting.
        Idempotent. Inside a callback of this engine it only starts the
        shutdown (mars.h).

        Raises:
            ForkedChild never: in a forked child it only lets the engine go.
            BadHandle if the engine was destroyed underneath (not by this object).
        """
        if self._closed:
            return
        self._closed = True
        with _open_lock:
            _open.pop(id(self), None)
        if _lib.forked():
            return  # the parent's engine: nothing here may touch it
        in_callback = _dispatch.in_callback()
        if in_callback:
            _graveyard.append(self._dispatch)
            self._dispatch.closed_in_callback = True
        self._call("mars_stn_destroy")
        if in_callback:
            # Only the shutdown has started (mars.h): the rest, and the
            # poller's exit, follow once this callback returns.
            return
        if self._poller is not None:
            self._poller.join()  # it delivers what was queued, then sees the handle gone
        self._dispatch.cancel(None)  # every on_task_end has run by now

    def __enter__(self) -> Stn:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        """Whether close() has run."""
        return self._closed

    @property
    def polling(self) -> bool:
        """Whether notifications run on this Stn's "mars-poll" thread."""
        return self._poller is not None

    @property
    def pushes(self) -> queue.Queue[Push]:
        """Server pushes in arrival order (bounded; see pushes_dropped)."""
        return self._dispatch.pushes

    @property
    def pushes_dropped(self) -> int:
        """Pushes dropped because Stn.pushes was full (max_pushes)."""
        return self._dispatch.pushes_dropped

    @property
    def callback_errors(self) -> int:
        """Exceptions raised by Python callbacks (each logged and fenced)."""
        return self._dispatch.errors

    @property
    def last_callback_error(self) -> BaseException | None:
        """The latest exception a Python callback raised, or None."""
        return self._dispatch.last_error

    def errmsg(self) -> str:
        """mars_stn_errmsg: the last error detail of this engine (a hint).

        Raises:
            BadHandle after close().
        """
        return read_errmsg(self._lib.mars_stn_errmsg, self._h)

    def _call(self, name: str, *args: Any) -> None:
        _lib.check_not_forked()
        if not _lib.has(self._lib, name):  # an optional function an older library lacks
            raise error_for(Result.EUNSUPPORTED, name, "not in this libmars")
        fn = getattr(self._lib, name)
        rc = fn(self._h, *args)
        _check(rc, name, lambda: read_errmsg(self._lib.mars_stn_errmsg, self._h))

    # ---- tasks -----------------------------------------------------------

    def start_task(self, task: Task) -> int:
        """mars_stn_start_task; returns the task id. The outcome arrives
        through Callbacks.on_task_end and wait_task/future.

        Raises:
            InvalidArgument: a list over 64 entries, a string with a NUL, a number out of
                range, a body over 64 MiB (invalid task values otherwise end the task
                through on_task_end).
            TypeError: a field of the wrong type (body not bytes, a str for a list).
            And the common ones (see Stn).
        """
        return self._start(task)[0]

    def submit(self, task: Task) -> Future[TaskResult]:
        """Starts task and returns the Future of its TaskResult.

        Raises:
            As start_task.
        """
        return self._start(task)[1]

    def _start(self, task: Task) -> tuple[int, Future[TaskResult]]:
        # Task.taskid 0: the library assigns the id inside the start call.
        keep: list[Any] = []
        d = self._dispatch
        t = to_c_task(self._lib, task, task.taskid, keep, d.task_bodies)
        future = _dispatch.TaskFuture(task)
        t.user_context = key = d.track(future)
        out = ctypes.c_uint32()
        try:
            # _call without its lookups: this runs once per task.
            _lib.check_not_forked()
            rc = self._start_task(self._h, t, out)  # ctypes passes both by reference
            if rc:
                _check(rc, "mars_stn_start_task", lambda: read_errmsg(self._lib.mars_stn_errmsg, self._h))
        except BaseException:
            d.untrack(key)
            raise
        d.started(key, out.value)
        return out.value, future

    def future(self, taskid: int) -> Future[TaskResult]:
        """The Future of a task started here: pending, or among the last
        max_finished that ended and were not yet waited for.

        Raises:
            KeyError: taskid is not tracked by this Stn.
        """
        f = self._dispatch.future(taskid)
        if f is None:
            raise KeyError(f"task {taskid} is not tracked by this Stn")
        return f

    def wait_task(self, taskid: int, timeout: float | None = None) -> TaskResult:
        """Waits for the task's end and forgets it; raises TimeoutError after
        timeout seconds, CancelledError if it was stopped or cleared.

        Raises:
            KeyError: taskid is not tracked. TimeoutError: not ended within timeout.
            concurrent.futures.CancelledError: stopped, cleared, or the engine closed.
            RuntimeError: called inside a callback (it would deadlock).
        """
        _refuse_in_callback("wait_task")
        result = _result(self.future(taskid), timeout)
        self._dispatch.forget(taskid)
        return result

    def call(self, task: Task, timeout: float | None = 30.0) -> bytes:
        """Starts task, waits, and returns the response body; raises
        TaskError if the task failed and TimeoutError after timeout s.

        Raises:
            TaskError: the task ended with an error. TimeoutError, CancelledError,
            RuntimeError as wait_task; what start_task raises.
        """
        _refuse_in_callback("call")
        result = _result(self.submit(task), timeout).raise_for_error()
        return result.body or b""

    def stop_task(self, taskid: int) -> None:
        """mars_stn_stop_task: removes a task without on_task_end; its Future
        is cancelled.

        Raises:
            only the common ones (see Stn).
        """
        self._call("mars_stn_stop_task", taskid)
        self._dispatch.cancel([taskid])

    def has_task(self, taskid: int) -> bool:
        """mars_stn_has_task: whether the engine still holds taskid.

        Raises:
            only the common ones (see Stn).
        """
        out = ctypes.c_int()
        self._call("mars_stn_has_task", taskid, ctypes.byref(out))
        return bool(out.value)

    def gen_task_id(self) -> int:
        """mars_stn_gen_task_id: a fresh task id (start_task takes one when Task.taskid is 0).

        Raises:
            only the common ones (see Stn).
        """
        out = ctypes.c_uint32()
        self._call("mars_stn_gen_task_id", ctypes.byref(out))
        return out.value

    def set_client_version(self, version: int) -> None:
        """mars_stn_set_client_version (Mars's SetClientVersion): the long
        link stays connected; packets encoded from now on carry version and
        packets received from now on must carry it (an answer with the old
        version drops the link, as in Mars).

        Raises:
            InvalidArgument: version outside 0..2**32-1. Unsupported: a libmars
            without "client_version_live". Otherwise only the common ones (see Stn).
        """
        self._call("mars_stn_set_client_version", check_int("version", version, (0, 2**32 - 1)))

    def reset_and_init_encoder_version(self, version: int) -> None:
        """mars_stn_reset_and_init_encoder_version (Mars's
        ResetAndInitEncoderVersion): reset, then the client version becomes
        version before anything is sent again.

        Raises:
            as set_client_version.
        """
        self._call("mars_stn_reset_and_init_encoder_version", check_int("version", version, (0, 2**32 - 1)))

    def redo_tasks(self) -> None:
        """mars_stn_redo_tasks: reconnects the long link and sends every pending task again.

        Raises:
            only the common ones (see Stn).
        """
        self._call("mars_stn_redo_tasks")

    def touch_tasks(self) -> None:
        """mars_stn_touch_tasks: runs the task queues now (after logging in, so need_authed tasks go).

        Raises:
            only the common ones (see Stn).
        """
        self._call("mars_stn_touch_tasks")

    def clear_tasks(self) -> None:
        """mars_stn_clear_tasks: drops every task without callbacks; their
        Futures are cancelled.

        Raises:
            only the common ones (see Stn).
        """
        self._call("mars_stn_clear_tasks")
        self._dispatch.cancel(None)

    def reset(self) -> None:
        """mars_stn_reset: every pending task ends with (LOCAL, RESET);
        address settings survive, and a kept long link reconnects as after
        any drop.

        Raises:
            only the common ones (see Stn).
        """
        self._call("mars_stn_reset")

    # ---- links and addresses ----------------------------------------------

    def makesure_longlink_connected(self, name: str | None = None) -> None:
        """Connects the main long link, or the one named name, unless it is
        up or connecting (mars_stn_makesure_longlink_connected /
        mars_stn_makesure_named_longlink_connected; an unknown name does
        nothing). A keep_alive link is kept connected from then on.

        Raises:
            Unsupported: a name with a libmars without several long links.
            InvalidArgument: a NUL in name. And the common ones (see Stn).
        """
        if name is None:
            self._call("mars_stn_makesure_longlink_connected")
        else:
            self._call("mars_stn_makesure_named_longlink_connected", encode("name", name))

    def disable_longlink(self) -> None:
        """mars_stn_disable_longlink (Mars's DisableLongLink): every long link
        closes and never connects again for this engine's life. Tasks whose
        channel allows the short link go short; a long-only task ends with
        (ErrType.LOCAL, LocalCode.LONGLINK_UNAVAILABLE).

        Raises:
            Unsupported: a libmars without it. And the common ones (see Stn).
        """
        self._call("mars_stn_disable_longlink")

    def longlink_is_connected(self, name: str | None = None) -> bool:
        """Whether the main long link, or the one named name, is up now
        (mars_stn_longlink_is_connected / mars_stn_named_longlink_is_connected;
        False for an unknown name).

        Raises:
            Unsupported: a name with a libmars without several long links.
            InvalidArgument: a NUL in name. And the common ones (see Stn).
        """
        out = ctypes.c_int()
        if name is None:
            self._call("mars_stn_longlink_is_connected", ctypes.byref(out))
        else:
            self._call("mars_stn_named_longlink_is_connected", encode("name", name), ctypes.byref(out))
        return bool(out.value)

    def longlink_connection_id(self, name: str | None = None) -> int:
        """The id of the main long link's current connection, or the one
        named name's, for Task.channel_id (mars_stn_longlink_connection_id):
        new for every connection; 0 while the link is down or for an unknown
        name.

        Raises:
            Unsupported: a libmars without "channel_id".
            InvalidArgument: a NUL in name. And the common ones (see Stn).
        """
        out = ctypes.c_uint64()
        self._call("mars_stn_longlink_connection_id", None if name is None else encode("name", name), ctypes.byref(out))
        return out.value

    # ---- several long links ------------------------------------------------

    def create_longlink(self, config: LongLinkConfig) -> None:
        """mars_stn_create_longlink: adds the named long link config
        describes; Task.channel_name picks it. Nothing connects yet.

        Raises:
            InvalidArgument: no name, a field out of range (detail says which).
            WrongState: a link of that name exists.
            Unsupported: a libmars without several long links. And the common ones (see Stn).
        """
        if not _lib.has(self._lib, "mars_longlink_config_init"):
            raise error_for(Result.EUNSUPPORTED, "mars_stn_create_longlink", "not in this libmars")
        keep: list[Any] = []
        c = config.to_c(self._lib, keep)
        self._call("mars_stn_create_longlink", ctypes.byref(c))

    def destroy_longlink(self, name: str) -> None:
        """mars_stn_destroy_longlink: removes the named link; each of its
        tasks ends with (LOCAL, LONGLINK_RELEASED) = (9, -15).

        Raises:
            InvalidArgument: no link has that name. WrongState: it is the main
            link (mark another main first). Unsupported: a libmars without
            several long links. And the common ones (see Stn).
        """
        self._call("mars_stn_destroy_longlink", encode("name", name))

    def longlinks(self) -> list[str]:
        """mars_stn_longlinks: the names of the engine's long links, sorted.

        Raises:
            Unsupported: a libmars without several long links. And the common ones (see Stn).
        """
        out, n = ctypes.c_void_p(), ctypes.c_size_t()
        self._call("mars_stn_longlinks", ctypes.byref(out), ctypes.byref(n))
        try:
            block = ctypes.string_at(out, n.value) if out.value else b""
        finally:
            self._lib.mars_free(out)
        return [name.decode(errors="replace") for name in block.split(b"\0")[:-1]]

    def main_longlink(self) -> str:
        """mars_stn_main_longlink: the main link's name.

        Raises:
            Unsupported: a libmars without several long links. And the common ones (see Stn).
        """
        _lib.check_not_forked()
        if not _lib.has(self._lib, "mars_stn_main_longlink"):
            raise error_for(Result.EUNSUPPORTED, "mars_stn_main_longlink", "not in this libmars")
        return read_errmsg(self._lib.mars_stn_main_longlink, self._h)

    def mark_main_longlink(self, name: str) -> None:
        """mars_stn_mark_main_longlink: makes the named link the main one
        (tasks without a channel_name, the unnamed link callbacks and calls).

        Raises:
            InvalidArgument: no link has that name. Unsupported: a libmars
            without several long links. And the common ones (see Stn).
        """
        self._call("mars_stn_mark_main_longlink", encode("name", name))

    def set_longlink_svr_addr(self, host: str, ports: Sequence[int], debug_ip: str | None = None) -> None:
        """mars_stn_set_longlink_svr_addr: the long link's host and ports (debug_ip: connect there instead).

        Raises:
            InvalidArgument: a port out of range, over 64 ports, a NUL in a string.
            And the common ones (see Stn).
        """
        arr = ports_array(ports) if ports else None
        self._call(
            "mars_stn_set_longlink_svr_addr", encode("host", host), arr, len(ports), encode("debug_ip", debug_ip)
        )

    def set_shortlink_svr_addr(self, port: int, debug_ip: str | None = None) -> None:
        """mars_stn_set_shortlink_svr_addr: the short links' port (debug_ip: connect there instead).

        Raises:
            InvalidArgument: port out of 0..65535, a NUL in debug_ip.
            And the common ones (see Stn).
        """
        self._call("mars_stn_set_shortlink_svr_addr", check_int("port", port, (0, 65535)), encode("debug_ip", debug_ip))

    def set_debug_ip(self, host: str, ip: str | None) -> None:
        """mars_stn_set_debug_ip: host resolves to ip for both link kinds (None or "" removes it).

        Raises:
            InvalidArgument: host None, a NUL in host or ip. And the common ones (see Stn).
        """
        self._call("mars_stn_set_debug_ip", encode("host", host), encode("ip", ip))

    def set_backup_ips(self, host: str, ips: Sequence[str]) -> None:
        """mars_stn_set_backup_ips: addresses tried for host when DNS fails.

        Raises:
            InvalidArgument: over 64 addresses, a NUL in host or an address.
            And the common ones (see Stn).
        """
        arr = (ctypes.c_char_p * len(ips))(*[encode("ip", ip) for ip in ips]) if ips else None
        self._call("mars_stn_set_backup_ips", encode("host", host), arr, len(ips))

    # ---- app state ------------------------------------------------------

    def on_foreground(self, foreground: bool) -> None:
        """mars_stn_on_foreground: the app came to the foreground (True) or went to the background.

        Raises:
            only the common ones (see Stn).
        """
        self._call("mars_stn_on_foreground", 1 if foreground else 0)

    def set_account(self, user_name: str | None) -> None:
        """mars_stn_set_account: the signed-in user's name (Mars's
        GetAccountInfo); None or "" means nobody is signed in, which
        stretches the kept link's automatic reconnect intervals as Mars does
        (540 s after 10 min in the foreground, 7 days when inactive).

        Raises:
            InvalidArgument: a NUL in user_name.
            Unsupported: a libmars without the "account" feature.
            And the common ones (see Stn).
        """
        self._call("mars_stn_set_account", encode("user_name", user_name))

    def on_network_change(self, network_type: int = Net.WIFI, label: str | None = None) -> None:
        """mars_stn_on_network_change: the network changed (a Net value and an optional label such as the SSID).

        Raises:
            InvalidArgument: an unknown network type, a NUL in label.
            And the common ones (see Stn).
        """
        self._call("mars_stn_on_network_change", int(network_type), encode("label", label))

    def set_signalling_strategy(self, period_ms: int, keep_time_ms: int) -> None:
        """mars_stn_set_signalling_strategy: the keeper's period and how long
        it keeps going after the last keep_signalling.

        Raises:
            InvalidArgument: a zero, negative or absurd period or keep time. And the common ones (see Stn).
        """
        self._call("mars_stn_set_signalling_strategy", period_ms, keep_time_ms)

    def set_heartbeat_mode(self, mode: int) -> None:
        """mars_stn_set_heartbeat_mode: Heartbeat.FIXED, SMART or PASSIVE.

        Raises:
            InvalidArgument: an unknown mode. And the common ones (see Stn).
        """
        self._call("mars_stn_set_heartbeat_mode", int(mode))

    def trig_noop(self) -> None:
        """mars_stn_trig_noop: one heartbeat now, if connected and none is
        outstanding (drives Heartbeat.PASSIVE).

        Raises:
            only the common ones (see Stn).
        """
        self._call("mars_stn_trig_noop")

    def heartbeat_interval(self) -> int:
        """mars_stn_heartbeat_interval: the periodic heartbeat interval in
        force now, in ms (0: no periodic heartbeat).

        Raises:
            only the common ones (see Stn).
        """
        out = ctypes.c_int64()
        self._call("mars_stn_heartbeat_interval", ctypes.byref(out))
        return out.value

    def network_quality(self) -> NetworkQuality:
        """mars_stn_network_quality: the engine's current network estimate.

        Raises:
            only the common ones (see Stn).
        """
        q = S.NetworkQuality()
        q.struct_size = ctypes.sizeof(S.NetworkQuality)
        self._call("mars_stn_network_quality", ctypes.byref(q))
        return NetworkQuality.from_c(q)

    def keep_signalling(self) -> None:
        """mars_stn_keep_signalling: starts (or extends) the signalling keeper:
        UDP datagrams that keep the radio and NAT mapping awake.

        Raises:
            only the common ones (see Stn).
        """
        self._call("mars_stn_keep_signalling")

    def stop_signalling(self) -> None:
        """mars_stn_stop_signalling: stops the signalling keeper.

        Raises:
            only the common ones (see Stn).
        """
        self._call("mars_stn_stop_signalling")


def gen_sequence_id() -> int:
    """mars_stn_gen_sequence_id (Mars's GenSequenceId): a random client
    sequence id in 0..65535, as each task's client_sequence_id is drawn.

    Raises:
        Unsupported: a libmars without "gen_sequence_id". ForkedChild: in a forked child.
    """
    _lib.check_not_forked()
    lib = _lib.lib()
    if not _lib.has(lib, "mars_stn_gen_sequence_id"):
        raise error_for(Result.EUNSUPPORTED, "mars_stn_gen_sequence_id", "not in this libmars")
    out = ctypes.c_uint32()
    _check(lib.mars_stn_gen_sequence_id(ctypes.byref(out)), "mars_stn_gen_sequence_id")
    return out.value


def close_all() -> None:
    """Destroys every engine still open (registered with atexit): the
    library's threads must stop calling Python before the interpreter goes."""
    with _open_lock:
        engines = list(_open.values())
    for s in engines:
        s.close()
