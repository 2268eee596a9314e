"""The callback fence and the lifetime of what C may call."""

from __future__ import annotations

import gc
import os
import queue
import subprocess
import sys
import threading
import weakref
from concurrent import futures
from pathlib import Path

import pytest

import mars
from conftest import CMD_PUSH_ECHO, CMD_SILENCE, TIMEOUT, Marsd, echo_task, stn_config
from mars.callbacks import overridden
from mars.xlog import level_for

PACKAGE_DIR = Path(mars.__file__).resolve().parent.parent


def test_callbacks_run_on_a_library_thread(marsd: Marsd) -> None:
    threads: list[int] = []

    class CB(mars.Callbacks):
        def on_task_end(self, task: mars.TaskRef, result: mars.TaskResult) -> int:
            threads.append(threading.get_ident())
            return 0

    with mars.Stn(stn_config(marsd), CB()) as stn:
        stn.call(echo_task(b"t"), TIMEOUT)
    assert threads and threading.get_ident() not in threads


def test_callbacks_survive_garbage_collection(marsd: Marsd) -> None:
    class CB(mars.Callbacks):
        def on_push(self, push: mars.Push) -> None:
            pass

    cb = CB()
    ref = weakref.ref(cb)
    stn = mars.Stn(stn_config(marsd), cb)
    del cb
    gc.collect()
    assert ref() is not None, "the Stn must keep its callbacks alive"
    try:
        assert stn.call(echo_task(b"after gc", CMD_PUSH_ECHO), TIMEOUT) == b"after gc"
        assert stn.pushes.get(timeout=TIMEOUT).body == b"after gc"
    finally:
        stn.close()


def test_exception_in_on_push_still_queues_push(marsd: Marsd) -> None:
    class Broken(mars.Callbacks):
        def on_push(self, push: mars.Push) -> None:
            raise RuntimeError("boom in on_push")

    with mars.Stn(stn_config(marsd), Broken()) as stn:
        stn.call(echo_task(b"p", CMD_PUSH_ECHO), TIMEOUT)
        assert stn.pushes.get(timeout=TIMEOUT).body == b"p"
        assert stn.callback_errors == 1


def test_need_authed_task_waits_for_makesure_authed(marsd: Marsd) -> None:
    asked = threading.Event()

    class Auth(mars.Callbacks):
        authed = False

        def makesure_authed(self, host: str, user_id: str) -> bool:
            asked.set()
            return self.authed

    cb = Auth()
    with mars.Stn(stn_config(marsd), cb) as stn:
        fut = stn.submit(echo_task(b"authed", need_authed=True, user_id="alice"))
        assert asked.wait(TIMEOUT)
        with pytest.raises(futures.TimeoutError):
            fut.result(0.3)  # must not go while not authed
        cb.authed = True
        stn.touch_tasks()
        assert fut.result(TIMEOUT).raise_for_error().body == b"authed"


def test_bounded_push_queue_counts_drops(marsd: Marsd) -> None:
    with mars.Stn(stn_config(marsd), max_pushes=1) as stn:
        stn.call(echo_task(b"1", CMD_PUSH_ECHO), TIMEOUT)
        assert stn.pushes.get(timeout=TIMEOUT).body == b"1"
        stn.call(echo_task(b"2", CMD_PUSH_ECHO), TIMEOUT)
        stn.call(echo_task(b"3", CMD_PUSH_ECHO), TIMEOUT)
        stn.call(echo_task(b"4"), TIMEOUT)  # pushes precede this answer on the link
        assert stn.pushes.get(timeout=TIMEOUT).body == b"2"
        assert stn.pushes_dropped == 1


def test_only_overridden_callbacks_are_registered(marsd: Marsd) -> None:
    class CB(mars.Callbacks):
        def traffic_data(self, send: int, recv: int) -> None:
            pass

    assert overridden(CB(), "traffic_data") and not overridden(CB(), "request_sync")
    with mars.Stn(stn_config(marsd), CB()) as stn:
        table = stn._dispatch.table
        assert table.traffic_data and not table.request_sync and not table.on_new_dns
        # Bodies travel with the task and its end (test_bodies.py).
        assert table.on_task_end_resp and table.on_push
        assert not table.req2buf and not table.buf2resp and not table.on_task_end


def test_exit_with_open_engine_and_pending_task_is_clean(marsd: Marsd) -> None:
    script = (
        "import mars\n"
        f"s = mars.Stn(mars.StnConfig(client_version=200, longlink_host={marsd.long_host!r}, "
        f"longlink_ports=[{marsd.long_port}]))\n"
        f"s.start_task(mars.Task(cmdid={CMD_SILENCE}, channel=mars.Channel.LONG))\n"
        "s.longlink_is_connected()\n"
        "print('exiting')\n"
    )
    env = dict(os.environ, PYTHONPATH=str(PACKAGE_DIR))
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=TIMEOUT * 3)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "exiting"
    assert "Exception ignored" not in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "levelno, level",
    [
        (5, mars.Level.VERBOSE),
        (10, mars.Level.DEBUG),
        (20, mars.Level.INFO),
        (30, mars.Level.WARN),
        (40, mars.Level.ERROR),
        (50, mars.Level.FATAL),
    ],
)
def test_logging_levels_map_to_mars_levels(levelno: int, level: mars.Level) -> None:
    assert level_for(levelno) == level


def test_pushes_queue_is_a_queue(stn: mars.Stn) -> None:
    assert isinstance(stn.pushes, queue.Queue) and stn.pushes.empty()


def test_waiting_inside_a_callback_is_refused(marsd: Marsd) -> None:
    class Waits(mars.Callbacks):
        stn: mars.Stn

        def on_task_end(self, task: mars.TaskRef, result: mars.TaskResult) -> int:
            if task.context == "outer":
                self.stn.call(echo_task(b"inner"), TIMEOUT)
            return 0

    cb = Waits()
    with mars.Stn(stn_config(marsd), cb) as stn:
        cb.stn = stn
        assert stn.call(echo_task(b"outer", context="outer"), TIMEOUT) == b"outer"
        assert stn.callback_errors == 1
        assert isinstance(stn.last_callback_error, RuntimeError)
        assert "deadlock" in str(stn.last_callback_error)


def test_identify_check_round_trip(marsd: Marsd) -> None:
    answers: queue.Queue[tuple[str, bytes, bytes]] = queue.Queue()

    class Identify(mars.Callbacks):
        def get_identify_check_buffer(self, channel: str) -> int | tuple[int, bytes, bytes]:
            return 777, b"who am i", b"hash-1"

        def on_identify_response(self, channel: str, resp: bytes, hash: bytes) -> bool:
            answers.put((channel, resp, hash))
            return True

    with mars.Stn(stn_config(marsd), Identify()) as stn:
        stn.makesure_longlink_connected()
        channel, resp, digest = answers.get(timeout=TIMEOUT)
        assert (channel, resp, digest) == ("default-longlink", b"who am i", b"hash-1")
        assert stn.call(echo_task(b"after identify"), TIMEOUT) == b"after identify"
        assert stn.callback_errors == 0


def test_statistics_callbacks(marsd: Marsd) -> None:
    profiles: queue.Queue[mars.TaskProfile] = queue.Queue()
    traffic = [0, 0]
    net_errors: list[tuple[int, int, str, int]] = []
    statuses: list[tuple[int, int]] = []

    class Stats(mars.Callbacks):
        def report_task_profile(self, profile: mars.TaskProfile) -> None:
            profiles.put(profile)

        def traffic_data(self, send: int, recv: int) -> None:
            traffic[0] += send
            traffic[1] += recv

        def on_longlink_network_error(self, err_type: int, err_code: int, ip: str, port: int) -> None:
            net_errors.append((err_type, err_code, ip, port))

        def report_connect_status(self, status: int, longlink_status: int) -> None:
            statuses.append((status, longlink_status))

    with mars.Stn(stn_config(marsd), Stats()) as stn:
        taskid = stn.start_task(echo_task(b"counted"))
        assert stn.wait_task(taskid, TIMEOUT).ok
        profile = profiles.get(timeout=TIMEOUT)
        assert profile.taskid == taskid and profile.recv_bytes == len(b"counted")
    # close() returned: no callback runs any more, so the lists are final.
    assert traffic[0] >= 20 + len(b"counted") and traffic[1] >= 20 + len(b"counted")
    assert (mars.ErrType.OK, 0, marsd.long_host, marsd.long_port) in net_errors
    assert statuses


# Side callbacks: one raising must not stop a task; it is only counted.
SIDE_CALLBACKS = {
    "on_longlink_status_change": lambda self, status: None,
    "on_longlink_network_error": lambda self, et, ec, ip, port: None,
    "report_connect_status": lambda self, s, ls: None,
    "traffic_data": lambda self, send, recv: None,
    "report_task_profile": lambda self, profile: None,
    "get_identify_check_buffer": lambda self, channel: mars.Identify.NEVER,
    "on_new_dns": lambda self, host, longlink: [],
    "get_proxy_info": lambda self, host, longlink: None,
    "report_dns_profile": lambda self, profile: None,
}


@pytest.mark.parametrize("slot", sorted(SIDE_CALLBACKS))
def test_exception_in_side_callback_is_fenced(marsd: Marsd, slot: str) -> None:
    def boom(self: object, *args: object) -> None:
        raise RuntimeError(f"boom in {slot}")

    cls = type("Broken", (mars.Callbacks,), {slot: boom})
    with mars.Stn(stn_config(marsd), cls()) as stn:
        assert stn.call(echo_task(b"survives"), TIMEOUT) == b"survives"
        if slot == "report_task_profile":  # runs after on_task_end: wait for it
            stn.call(echo_task(b"again"), TIMEOUT)
    assert stn.callback_errors >= 1
    assert str(stn.last_callback_error) == f"boom in {slot}"


def test_dropped_engine_stays_alive_until_closed(marsd: Marsd) -> None:
    from mars import stn as stn_module

    class CB(mars.Callbacks):
        def traffic_data(self, send: int, recv: int) -> None:
            pass

    s = mars.Stn(stn_config(marsd), CB())
    ref = weakref.ref(s)
    fut = s.submit(echo_task(b"orphan"))
    del s
    gc.collect()
    engine = ref()
    assert engine is not None, "an open engine must not be collected while C may call it"
    assert fut.result(TIMEOUT).body == b"orphan"
    engine.close()
    assert id(engine) not in stn_module._open
    del engine
    gc.collect()
    assert ref() is None, "a closed engine is released"


def test_dropped_xlog_is_closed_by_gc(tmp_path: Path) -> None:
    x = mars.Xlog(tmp_path, mode=mars.XlogMode.SYNC)
    x.info("before drop")
    files = x.log_files()
    del x
    gc.collect()
    text = mars.decode(files[0])
    assert "before drop" in text and "$$$$$$$$$$" in text  # the closing banner was written


def test_without_response_bodies_the_body_is_none(marsd: Marsd) -> None:
    with mars.Stn(stn_config(marsd), response_bodies=False) as stn:
        assert not stn._dispatch.table.buf2resp
        result = stn.wait_task(stn.start_task(echo_task(b"no body kept")), TIMEOUT)
        assert result.ok and result.body is None and result.profile.recv_bytes == len(b"no body kept")


def test_automatic_network_check_reports(marsd: Marsd) -> None:
    import socket

    asked = threading.Event()
    reports: queue.Queue[dict[str, object]] = queue.Queue()

    class NetCheck(mars.Callbacks):
        def request_netcheck_hosts(self) -> list[str]:
            asked.set()
            return [marsd.short_host]

        def on_netcheck_result(self, report: dict[str, object]) -> None:
            reports.put(report)

    cfg = stn_config(
        marsd, retry_interval_ms=20, netcheck_cgi="/netcheck", netcheck_window=2,
        netcheck_bad_below=1, netcheck_good_above=1,
    )  # fmt: skip
    refusing = socket.socket()  # bound, never listening: every connect is refused
    refusing.bind(("127.0.0.1", 0))
    with refusing, mars.Stn(cfg, NetCheck()) as stn:

        def short(retries: int) -> mars.TaskResult:
            task = mars.Task(channel=mars.Channel.SHORT, cgi="/cgi", shortlink_hosts=[marsd.short_host],
                             retry_count=retries, limit_frequency=False)  # fmt: skip
            return stn.submit(task).result(TIMEOUT)

        assert short(0).ok and short(0).ok
        stn.set_shortlink_svr_addr(refusing.getsockname()[1])
        assert not short(1).ok
        assert asked.wait(TIMEOUT)
        report = reports.get(timeout=40)
    kinds = {r["kind"] for r in report["results"]}  # type: ignore[union-attr]
    assert {"longlink", "http"} <= kinds
    assert stn.callback_errors == 0


def test_every_slot_that_answers_has_a_failure_value() -> None:
    from mars import _dispatch
    from mars import _structs as S

    answering = {name for name, ctype in S.CALLBACK_TYPES.items() if ctype._restype_ is not None}
    assert answering and answering == set(_dispatch.FAILURE_VALUES)
