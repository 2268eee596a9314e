"""Task -> mars_task and mars_task_profile -> TaskProfile, the two
conversions every task pays for (their fast paths must convert exactly as
the field-by-field rules say)."""

from __future__ import annotations

import ctypes
import dataclasses
import gc

import pytest

import mars
from mars import _lib
from mars import _structs as S
from mars.task import TaskProfile, to_c_task


def _strings(arr: object, n: int) -> list[bytes]:
    return [arr[i] for i in range(n)]  # type: ignore[index]


def test_every_changed_field_reaches_the_c_task() -> None:
    task = mars.Task(
        cmdid=7, body=b"b", channel=mars.Channel.SHORT, strategy=mars.ChannelStrategy.FAST,
        channel_name="other", cgi="/cgi", send_only=True, need_authed=True, limit_flow=False,
        limit_frequency=False, network_status_sensitive=True, priority=5, retry_count=2,
        server_process_cost_ms=100, total_timeout_ms=9000, user_id="bob", report_arg="arg",
        shortlink_hosts=["s1", "s2"], longlink_hosts=["l1"], headers={"X-A": "1"},
        long_polling=True, long_polling_timeout_ms=3000, channel_id=2**64 - 1,
    )  # fmt: skip
    keep: list[object] = []
    t = to_c_task(_lib.lib(), task, 42, keep, with_body=True)
    assert (t.taskid, t.cmdid, t.channel_select, t.channel_strategy) == (42, 7, 1, 1)
    assert (t.channel_name, t.cgi, t.user_id, t.report_arg) == (b"other", b"/cgi", b"bob", b"arg")
    flags = (t.send_only, t.need_authed, t.limit_flow, t.limit_frequency, t.network_status_sensitive)
    assert flags == (1, 1, 0, 0, 1)
    assert (t.priority, t.retry_count, t.server_process_cost_ms, t.total_timeout_ms) == (5, 2, 100, 9000)
    assert _strings(t.shortlink_hosts, t.shortlink_hosts_len) == [b"s1", b"s2"]
    assert _strings(t.longlink_hosts, t.longlink_hosts_len) == [b"l1"]
    assert t.headers_len == 1 and t.header_names[0] == b"X-A" and t.header_values[0] == b"1"
    assert (t.long_polling, t.long_polling_timeout_ms, t.body, t.body_len) == (1, 3000, b"b", 1)
    assert t.channel_id == 2**64 - 1


def test_a_default_task_is_mars_task_init() -> None:
    lib = _lib.lib()
    want, _ = S.init_struct(lib.mars_task_init, S.Task)
    got = to_c_task(lib, mars.Task(), 9, [])
    for name, ctype in S.Task._fields_:
        if name in ("taskid", "user_id", "report_arg"):
            continue
        g, w = getattr(got, name), getattr(want, name)
        if issubclass(ctype, ctypes._Pointer):
            g, w = bool(g), bool(w)  # NULL or not (pointer objects compare by identity)
        assert g == w, name
    assert (got.taskid, got.user_id or b"", got.report_arg or b"", got.body) == (9, b"", b"", None)


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("priority", 2**40, mars.InvalidArgument),
        ("priority", "3", TypeError),
        ("retry_count", True, TypeError),
        ("cmdid", -1, mars.InvalidArgument),
        ("channel_id", -1, mars.InvalidArgument),
        ("channel_id", 2**64, mars.InvalidArgument),
        ("user_id", "a\0b", mars.InvalidArgument),
        ("shortlink_hosts", "host", TypeError),
        ("body", "text", TypeError),
    ],
)
def test_bad_values_are_still_refused(field: str, value: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        to_c_task(_lib.lib(), dataclasses.replace(mars.Task(), **{field: value}), 1, [], with_body=True)


def test_profile_conversion_keeps_every_field_and_stays_frozen() -> None:
    c = S.TaskProfile()
    want: dict[str, object] = {}
    for i, (name, ctype) in enumerate(S.TaskProfile._fields_[1:]):
        if ctype is ctypes.c_char_p:
            setattr(c, name, f"{name}-é".encode())
            want[name] = f"{name}-é"
        else:
            setattr(c, name, i + 1)
            want[name] = i + 1
    c.user_id = None  # NULL reads as ""
    want["user_id"] = ""
    c.struct_size = ctypes.sizeof(c)
    got = TaskProfile.from_c(c)
    assert got == TaskProfile(**want) and hash(got) == hash(TaskProfile(**want))  # type: ignore[arg-type]
    # An older library's shorter struct: the fields past its end read as 0.
    c.struct_size = S.TaskProfile.resp_flags.offset
    old = TaskProfile.from_c(c)
    assert old.resp_flags == 0 and old.server_sequence_id == 0 and old.weak_network == want["weak_network"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        got.taskid = 1  # type: ignore[misc]


def test_task_result_of_equals_the_constructed_one() -> None:
    profile = mars.TaskProfile(taskid=3)
    fast = mars.TaskResult.of(3, 0, 0, b"r", profile)
    assert fast == mars.TaskResult(3, 0, 0, b"r", profile) and hash(fast) == hash(mars.TaskResult(3, 0, 0, b"r", profile))
    assert fast.ok and fast.raise_for_error() is fast
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.body = b"x"  # type: ignore[misc]


def test_tasks_alike_are_converted_once_and_keep_their_strings() -> None:
    """A task alike but for body, taskid and context reuses the first one's
    conversion, whose strings stay alive after the first task's are gone;
    a bool where an int belongs is still refused, unhashable values still
    convert."""
    from mars import task as task_module

    lib = _lib.lib()
    task_module._converted.clear()
    keep: list[object] = []
    first = mars.Task(cmdid=9, cgi="/a" + "b" * 50, channel_name="x", longlink_hosts=("h",), priority=1)
    to_c_task(lib, first, 5, keep)
    del keep
    gc.collect()
    noise = [("/z" + "y" * 50).encode() for _ in range(1000)]  # reuse what was freed, if it was
    keep2: list[object] = []
    alike = mars.Task(cmdid=9, cgi="/a" + "b" * 50, channel_name="x", longlink_hosts=("h",), priority=1, body=b"2")
    t = to_c_task(lib, alike, 6, keep2, with_body=True)
    assert len(task_module._converted) == 1 and noise
    assert (t.cgi, t.channel_name, t.longlink_hosts[0], t.taskid, t.priority) == (b"/a" + b"b" * 50, b"x", b"h", 6, 1)
    assert ctypes.string_at(t.body, t.body_len) == b"2"
    with pytest.raises(TypeError):
        to_c_task(lib, dataclasses.replace(alike, priority=True), 7, keep2)
    listed = to_c_task(lib, dataclasses.replace(alike, longlink_hosts=["l1", "l2"]), 8, keep2)
    assert _strings(listed.longlink_hosts, listed.longlink_hosts_len) == [b"l1", b"l2"]
    assert len(task_module._converted) == 1
