"""Many engines, many threads, and close racing with calls."""

from __future__ import annotations

import threading
from concurrent.futures import CancelledError, Future

import mars
from conftest import TIMEOUT, Marsd, echo_task, stn_config


def test_engines_side_by_side(marsd: Marsd) -> None:
    engines = [mars.Stn(stn_config(marsd)) for _ in range(5)]
    try:
        futs = [(i, s.submit(echo_task(f"engine {i}".encode()))) for i, s in enumerate(engines)]
        for i, f in futs:
            assert f.result(TIMEOUT).raise_for_error().body == f"engine {i}".encode()
    finally:
        for s in engines:
            s.close()


def test_close_while_threads_start_tasks(marsd: Marsd) -> None:
    stn = mars.Stn(stn_config(marsd))
    started = threading.Barrier(5)
    futures: list[Future[mars.TaskResult]] = []
    unexpected: list[BaseException] = []
    lock = threading.Lock()
    first = threading.Event()  # a starter has a task in: close races real starts

    def starter() -> None:
        started.wait(TIMEOUT)
        while True:
            try:
                f = stn.submit(echo_task(b"race", limit_frequency=False, limit_flow=False))
            except (mars.BadHandle, mars.Closed):
                return  # the engine went away: the defined outcome
            except BaseException as e:
                with lock:
                    unexpected.append(e)
                return
            with lock:
                futures.append(f)
            first.set()

    threads = [threading.Thread(target=starter) for _ in range(4)]
    for t in threads:
        t.start()
    started.wait(TIMEOUT)
    stn.call(echo_task(b"one full round trip first"), TIMEOUT)
    assert first.wait(TIMEOUT), "no starter got a task in"
    stn.close()
    for t in threads:
        t.join(TIMEOUT)
        assert not t.is_alive()
    assert unexpected == []
    assert futures, "no task was started before close"
    ended = 0
    for f in futures:
        try:
            result = f.result(TIMEOUT)
        except CancelledError:
            continue
        ended += 1
        assert result.ok or (result.err_type, result.err_code) == (mars.ErrType.LOCAL, mars.LocalCode.RESET)
    assert ended > 0
    assert stn.callback_errors == 0
