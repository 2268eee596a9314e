"""Bad input becomes exceptions; result codes map to one hierarchy."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import mars
from conftest import TIMEOUT, Marsd, echo_task, stn_config
from mars import _lib
from mars.errors import _check, error_for

PACKAGE_DIR = Path(mars.__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "code, cls, also",
    [
        (mars.Result.EINVAL, mars.InvalidArgument, ValueError),
        (mars.Result.EBADHANDLE, mars.BadHandle, mars.MarsCallError),
        (mars.Result.ERANGE, mars.BufferTooSmall, mars.MarsCallError),
        (mars.Result.ESTATE, mars.WrongState, mars.MarsCallError),
        (mars.Result.ECLOSED, mars.Closed, mars.MarsCallError),
        (mars.Result.EINTERNAL, mars.InternalError, mars.MarsCallError),
        (mars.Result.EIO, mars.MarsIOError, OSError),
        (mars.Result.ELIMIT, mars.LimitReached, mars.MarsCallError),
        (mars.Result.EUNSUPPORTED, mars.Unsupported, NotImplementedError),
        (mars.Result.EFORMAT, mars.FormatError, ValueError),
        (mars.Result.EPARTIAL, mars.PartialResult, mars.MarsCallError),
    ],
)
def test_check_maps_each_code_to_its_exception(code: int, cls: type, also: type) -> None:
    with pytest.raises(cls) as e:
        _check(code, "mars_fake", lambda: "the detail")
    assert isinstance(e.value, also) and isinstance(e.value, mars.MarsError)
    assert e.value.code == code and e.value.detail == "the detail"
    assert mars.errstr(code) in str(e.value) and "mars_fake" in str(e.value)


def test_check_ok_raises_nothing() -> None:
    _check(mars.Result.OK, "mars_fake")


def test_unknown_code_is_a_plain_call_error() -> None:
    err = error_for(9999)
    assert type(err) is mars.MarsCallError and "unknown error" in str(err)


def test_every_result_code_has_its_own_text() -> None:
    texts = {mars.errstr(c) for c in mars.Result}
    assert len(texts) == len(mars.Result)
    assert "unknown error" not in texts


def test_version_check_refuses_another_major() -> None:
    _lib.check_version(mars.version_number())
    with pytest.raises(mars.LibraryVersionError):
        _lib.check_version((_lib.EXPECTED_MAJOR + 1) * 1_000_000)
    with pytest.raises(ImportError):
        _lib.check_version(-1)


def test_library_major_matches_binding() -> None:
    assert mars.version_number() // 1_000_000 == mars.EXPECTED_MAJOR
    assert mars.version().split(".")[0] == str(mars.EXPECTED_MAJOR)


def test_bad_mars_library_path_fails_import() -> None:
    env = dict(os.environ, MARS_LIBRARY="/nonexistent/libmars.so.0", PYTHONPATH=str(PACKAGE_DIR))
    proc = subprocess.run(
        [sys.executable, "-c", "import mars"], env=env, capture_output=True, text=True, timeout=TIMEOUT * 3
    )
    assert proc.returncode != 0
    assert "MARS_LIBRARY" in proc.stderr and "ImportError" in proc.stderr


def test_calls_after_close_raise_bad_handle(marsd: Marsd) -> None:
    stn = mars.Stn(stn_config(marsd))
    stn.close()
    with pytest.raises(mars.BadHandle):
        stn.start_task(echo_task(b"late"))
    with pytest.raises(mars.BadHandle):
        stn.longlink_is_connected()
    stn.close()


# Every Stn method that calls the library, as the README's table lists them.
_STN_CALLS = {
    "start_task": lambda s: s.start_task(echo_task(b"late")),
    "stop_task": lambda s: s.stop_task(1),
    "has_task": lambda s: s.has_task(1),
    "gen_task_id": lambda s: s.gen_task_id(),
    "redo_tasks": lambda s: s.redo_tasks(),
    "touch_tasks": lambda s: s.touch_tasks(),
    "clear_tasks": lambda s: s.clear_tasks(),
    "reset": lambda s: s.reset(),
    "makesure_longlink_connected": lambda s: s.makesure_longlink_connected(),
    "longlink_is_connected": lambda s: s.longlink_is_connected(),
    "set_longlink_svr_addr": lambda s: s.set_longlink_svr_addr("127.0.0.1", [1]),
    "set_shortlink_svr_addr": lambda s: s.set_shortlink_svr_addr(1),
    "set_debug_ip": lambda s: s.set_debug_ip("h", "127.0.0.1"),
    "set_backup_ips": lambda s: s.set_backup_ips("h", ["127.0.0.1"]),
    "on_foreground": lambda s: s.on_foreground(True),
    "set_account": lambda s: s.set_account("alice"),
    "on_network_change": lambda s: s.on_network_change(mars.Net.WIFI),
    "set_heartbeat_mode": lambda s: s.set_heartbeat_mode(mars.Heartbeat.FIXED),
    "trig_noop": lambda s: s.trig_noop(),
    "heartbeat_interval": lambda s: s.heartbeat_interval(),
    "network_quality": lambda s: s.network_quality(),
    "keep_signalling": lambda s: s.keep_signalling(),
    "stop_signalling": lambda s: s.stop_signalling(),
    "errmsg": lambda s: s.errmsg(),
}


def test_every_stn_method_after_close_raises_bad_handle(marsd: Marsd) -> None:
    stn = mars.Stn(stn_config(marsd))
    stn.close()
    for name, call in _STN_CALLS.items():
        with pytest.raises(mars.BadHandle):
            call(stn)
            pytest.fail(f"Stn.{name} after close did not raise")


_XLOG_CALLS = {
    "write": lambda x: x.write(mars.Level.INFO, "late"),
    "flush": lambda x: x.flush(),
    "level": lambda x: x.level,
    "set_level": lambda x: setattr(x, "level", mars.Level.INFO),
    "set_console": lambda x: x.set_console(False),
    "set_mode": lambda x: x.set_mode(mars.XlogMode.SYNC),
    "set_max_file_size": lambda x: x.set_max_file_size(0),
    "set_max_alive_time": lambda x: x.set_max_alive_time(0),
    "stats": lambda x: x.stats(),
    "errmsg": lambda x: x.errmsg(),
}


def test_every_xlog_method_after_close_raises_bad_handle(tmp_path: Path) -> None:
    x = mars.Xlog(tmp_path)
    x.close()
    for name, call in _XLOG_CALLS.items():
        with pytest.raises(mars.BadHandle):
            call(x)
            pytest.fail(f"Xlog.{name} after close did not raise")
    x.close()  # idempotent: raises nothing


def test_decode_errors_are_documented_ones(tmp_path: Path) -> None:
    with pytest.raises(mars.MarsIOError):
        mars.decode(tmp_path / "missing.xlog")
    with pytest.raises(mars.InvalidArgument):
        mars.decode(tmp_path / "a\0b.xlog")
    with pytest.raises(mars.MarsIOError):
        mars.decode_file(tmp_path / "missing.xlog", tmp_path / "out.txt")


def test_invalid_config_is_rejected_with_detail(marsd: Marsd) -> None:
    with pytest.raises(mars.InvalidArgument) as e:
        mars.Stn(stn_config(marsd, base_first_packet_timeout_ms=-5))
    assert e.value.detail  # mars_stn_errmsg(NULL) explained it


def test_config_values_ctypes_would_truncate_are_rejected(marsd: Marsd) -> None:
    with pytest.raises(mars.InvalidArgument):
        mars.Stn(stn_config(marsd, min_rate=2**31))
    with pytest.raises(mars.InvalidArgument):
        mars.Stn(stn_config(marsd, longlink_ports=[70000]))
    with pytest.raises(TypeError):
        mars.Stn(stn_config(marsd, connect_timeout_ms=1.5))


def test_too_many_hosts_are_rejected(stn: mars.Stn) -> None:
    with pytest.raises(mars.InvalidArgument):
        stn.start_task(echo_task(b"", longlink_hosts=["h"] * 65))
    with pytest.raises(mars.InvalidArgument):
        stn.set_longlink_svr_addr("127.0.0.1", [1] * 65)


def test_out_of_range_task_fields(stn: mars.Stn) -> None:
    with pytest.raises(mars.InvalidArgument):
        stn.start_task(echo_task(b"", cmdid=-1))
    with pytest.raises(mars.InvalidArgument):
        stn.start_task(echo_task(b"", priority=2**40))
    with pytest.raises(TypeError):
        stn.start_task(echo_task(b"", priority="high"))
    with pytest.raises(TypeError):
        stn.start_task(echo_task("not bytes"))  # type: ignore[arg-type]
    with pytest.raises(mars.InvalidArgument):
        stn.start_task(echo_task(b"", user_id="a\0b"))
    with pytest.raises(mars.InvalidArgument):
        stn.set_shortlink_svr_addr(70000)


def test_task_the_library_rejects_fails_with_task_param(stn: mars.Stn) -> None:
    with pytest.raises(mars.TaskError) as e:
        stn.call(echo_task(b"", retry_count=31), TIMEOUT)
    assert (e.value.err_type, e.value.err_code) == (mars.ErrType.LOCAL, mars.LocalCode.TASK_PARAM)
    assert isinstance(e.value, mars.MarsError)


def test_bad_network_type_is_rejected(stn: mars.Stn) -> None:
    with pytest.raises(mars.InvalidArgument):
        stn.on_network_change(42, "nowhere")


def test_signalling_calls(stn: mars.Stn) -> None:
    with contextlib.suppress(mars.Unsupported):  # this version has no keeper (mars.h)
        stn.set_signalling_strategy(5000, 20000)
    stn.keep_signalling()
    stn.stop_signalling()


def test_zero_signalling_period_is_rejected(stn: mars.Stn) -> None:
    try:
        stn.set_signalling_strategy(0, 0)
    except mars.Unsupported:
        pytest.skip("this libmars has no signalling keeper")
    except mars.InvalidArgument:
        return
    pytest.fail("set_signalling_strategy(0, 0) was accepted")


def test_sdt_check_reports_on_marsd(marsd: Marsd) -> None:
    try:
        report = mars.sdt.check(
            {
                "servers": [f"{marsd.long_host}:{marsd.long_port}"],
                "checks": mars.SdtCheck.TCP | mars.SdtCheck.LONGLINK,
                "timeout_ms": int(TIMEOUT * 1000),
            },
            client_version=200,
        )
    except mars.Unsupported:
        pytest.skip("this libmars has no mars_sdt_check")
    assert report["ok"] is True
    kinds = {r["kind"] for r in report["results"]}
    assert {"tcp", "longlink"} <= kinds


def test_sdt_check_rejects_a_malformed_request() -> None:
    try:
        with pytest.raises(mars.InvalidArgument):
            mars.sdt.check('{"unknown_field": 1}')
    except mars.Unsupported:
        pytest.skip("this libmars has no mars_sdt_check")


def test_tls_pins_must_be_sha256(marsd: Marsd) -> None:
    with pytest.raises(mars.InvalidArgument):
        mars.Stn(stn_config(marsd, tls=True, tls_pinned_spki_sha256=[b"short"]))


def test_proxy_needs_an_address(marsd: Marsd) -> None:
    with pytest.raises(mars.InvalidArgument) as e:
        mars.Stn(stn_config(marsd, proxy_kind=mars.Proxy.HTTP))
    assert e.value.detail
