"""Several named long links through the binding, against marsd with a second
long-link listener: routing by Task.channel_name, pushes and callbacks named
by link, an unknown name, destroy, the main link and the named calls."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

import mars
from conftest import CMD_ECHO, CMD_PUSH_ECHO, CMD_SILENCE, TIMEOUT, Marsd, echo_task, stn_config

SECOND = "second"
SECOND_HOST = "second.test"


class LinkCallbacks(mars.Callbacks):
    """Records the named link callbacks; resolves SECOND_HOST to the extra listener."""

    def __init__(self, extra_host: str) -> None:
        self.extra_host = extra_host
        self.lock = threading.Lock()
        self.statuses: list[tuple[str, int]] = []
        self.net_events: list[tuple[str, int, int, str, int]] = []
        self.dns: list[tuple[str, str]] = []
        self.plain_dns = 0
        self.changed = threading.Condition(self.lock)

    def on_longlink_status_change_of(self, name: str, status: int) -> None:
        with self.lock:
            self.statuses.append((name, status))
            self.changed.notify_all()

    def on_longlink_network_error_of(self, name: str, err_type: int, err_code: int, ip: str, port: int) -> None:
        with self.lock:
            self.net_events.append((name, err_type, err_code, ip, port))

    def on_longlink_new_dns(self, name: str, host: str) -> list[str]:
        with self.lock:
            self.dns.append((name, host))
        return [self.extra_host]

    def on_new_dns(self, host: str, longlink: bool) -> list[str]:
        with self.lock:
            self.plain_dns += 1
        return []

    def wait_status(self, name: str, status: int) -> None:
        with self.lock:
            assert self.changed.wait_for(lambda: (name, status) in self.statuses, TIMEOUT), self.statuses


@pytest.fixture
def two(marsd_two: Marsd) -> Iterator[tuple[mars.Stn, LinkCallbacks, Marsd]]:
    if not mars.has_feature("longlinks"):
        pytest.skip("this libmars has no several long links")
    assert marsd_two.extra is not None
    cb = LinkCallbacks(marsd_two.extra[0])
    with mars.Stn(stn_config(marsd_two), cb) as stn:
        yield stn, cb, marsd_two
        assert stn.callback_errors == 0, f"a callback raised: {stn.last_callback_error!r}"


def second_link(srv: Marsd, **kw: object) -> mars.LongLinkConfig:
    assert srv.extra is not None
    return mars.LongLinkConfig(name=SECOND, host=SECOND_HOST, ports=[srv.extra[1]], **kw)  # type: ignore[arg-type]


def test_tasks_route_by_channel_name_and_pushes_name_the_link(two: tuple[mars.Stn, LinkCallbacks, Marsd]) -> None:
    stn, cb, srv = two
    stn.create_longlink(second_link(srv))
    assert stn.call(echo_task(b"to b", CMD_PUSH_ECHO, channel_name=SECOND), TIMEOUT) == b"to b"
    push = stn.pushes.get(timeout=TIMEOUT)
    assert (push.channel, push.body) == (SECOND, b"to b")
    assert stn.call(echo_task(b"to main", CMD_PUSH_ECHO), TIMEOUT) == b"to main"
    push = stn.pushes.get(timeout=TIMEOUT)
    assert (push.channel, push.body) == ("default-longlink", b"to main")
    cb.wait_status(SECOND, mars.LonglinkStatus.CONNECTED)
    assert srv.extra is not None
    with cb.lock:
        assert (SECOND, mars.ErrType.OK, 0, "127.0.0.1", srv.extra[1]) in cb.net_events
        assert (SECOND, SECOND_HOST) in cb.dns and cb.plain_dns == 0
    assert stn.longlink_is_connected(SECOND) and stn.longlink_is_connected()
    assert not stn.longlink_is_connected("nope")


def test_channel_id_binds_a_task_to_one_connection(two: tuple[mars.Stn, LinkCallbacks, Marsd]) -> None:
    stn, _, srv = two
    stn.create_longlink(second_link(srv))
    assert stn.longlink_connection_id(SECOND) == 0
    assert stn.call(echo_task(b"up", CMD_ECHO, channel_name=SECOND), TIMEOUT) == b"up"
    conn = stn.longlink_connection_id(SECOND)
    assert conn != 0 and stn.longlink_connection_id("nope") == 0
    bound = echo_task(b"bound", CMD_ECHO, channel_name=SECOND, channel_id=conn)
    assert stn.call(bound, TIMEOUT) == b"bound"
    with pytest.raises(mars.TaskError) as e:
        stn.call(echo_task(b"x", CMD_ECHO, channel_name=SECOND, channel_id=conn + 1), TIMEOUT)
    assert (e.value.err_type, e.value.err_code) == (mars.ErrType.LOCAL, mars.LocalCode.CHANNEL_ID)


def test_unknown_channel_name_ends_with_a_local_error(two: tuple[mars.Stn, LinkCallbacks, Marsd]) -> None:
    stn, _, _ = two
    with pytest.raises(mars.TaskError) as e:
        stn.call(echo_task(b"x", channel_name="nope"), TIMEOUT)
    assert (e.value.err_type, e.value.err_code) == (mars.ErrType.LOCAL, mars.LocalCode.LONGLINK_UNAVAILABLE)


def test_destroy_longlink_ends_its_tasks_with_released(two: tuple[mars.Stn, LinkCallbacks, Marsd]) -> None:
    stn, _, srv = two
    stn.create_longlink(second_link(srv))
    assert stn.longlinks() == ["default-longlink", SECOND]
    stn.call(echo_task(b"up", CMD_ECHO, channel_name=SECOND), TIMEOUT)
    silent = stn.submit(echo_task(b"never answered", CMD_SILENCE, channel_name=SECOND))
    stn.destroy_longlink(SECOND)
    result = silent.result(TIMEOUT)
    assert (result.err_type, result.err_code) == (mars.ErrType.LOCAL, mars.LocalCode.LONGLINK_RELEASED)
    assert stn.longlinks() == ["default-longlink"]
    with pytest.raises(mars.InvalidArgument):
        stn.destroy_longlink(SECOND)
    with pytest.raises(mars.WrongState):
        stn.destroy_longlink("default-longlink")  # the main link
    assert stn.call(echo_task(b"main goes on"), TIMEOUT) == b"main goes on"


def test_mark_main_and_named_makesure(two: tuple[mars.Stn, LinkCallbacks, Marsd]) -> None:
    stn, cb, srv = two
    stn.create_longlink(second_link(srv, keep_alive=False))
    with pytest.raises(mars.WrongState):
        stn.create_longlink(second_link(srv))  # the name exists
    assert stn.main_longlink() == "default-longlink"
    assert not stn.longlink_is_connected(SECOND)
    stn.makesure_longlink_connected(SECOND)
    cb.wait_status(SECOND, mars.LonglinkStatus.CONNECTED)
    assert stn.longlink_is_connected(SECOND)
    stn.mark_main_longlink(SECOND)
    assert stn.main_longlink() == SECOND
    stn.call(echo_task(b"main is b", CMD_PUSH_ECHO), TIMEOUT)
    assert stn.pushes.get(timeout=TIMEOUT).channel == SECOND
    stn.destroy_longlink("default-longlink")
    assert stn.longlinks() == [SECOND]
    with pytest.raises(mars.InvalidArgument):
        stn.mark_main_longlink("nope")


def test_longlink_config_is_checked(two: tuple[mars.Stn, LinkCallbacks, Marsd]) -> None:
    stn, _, _ = two
    with pytest.raises(mars.InvalidArgument):
        stn.create_longlink(mars.LongLinkConfig(name=""))
    with pytest.raises(mars.InvalidArgument):
        stn.create_longlink(mars.LongLinkConfig(name="b", heartbeat_mode=7))
    with pytest.raises(mars.InvalidArgument):
        stn.create_longlink(mars.LongLinkConfig(name="b", ports=[70000]))
    with pytest.raises(mars.InvalidArgument):
        stn.create_longlink(mars.LongLinkConfig(name="b", backup_ips=["1.2.3.4"] * 65))
    with pytest.raises(mars.InvalidArgument):
        stn.create_longlink(mars.LongLinkConfig(name="b\0c"))
    assert stn.longlinks() == ["default-longlink"]
