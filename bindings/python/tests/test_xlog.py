"""xlog through the binding: write, flush, close, decode; levels, stats,
the logging handler, encryption and bad input."""

from __future__ import annotations

import logging
import random
import secrets
from pathlib import Path

import pytest

import mars
from conftest import TIMEOUT, Marsd, echo_task, stn_config


def _decode_all(x: mars.Xlog) -> str:
    files = x.log_files()
    assert files, f"no .xlog file in {x.config.log_dir}"
    return "".join(mars.decode(f) for f in files)


@pytest.mark.parametrize("mode", [mars.XlogMode.ASYNC, mars.XlogMode.SYNC])
@pytest.mark.parametrize("compress", [mars.Compress.ZLIB, mars.Compress.ZSTD, mars.Compress.LZ4])
def test_write_then_decode(tmp_path: Path, mode: int, compress: int) -> None:
    with mars.Xlog(tmp_path, mode=mode, compress=compress, name_prefix="py") as x:
        x.info("hello from python", "tagA")
        x.error("something failed", "tagB")
        x.write(mars.Level.WARN, "with place", "tagC", file="/src/app/main.py", func="run", line=42)
        x.flush()
    text = _decode_all(x)
    assert "[I][" in text and "[tagA]" in text and "hello from python" in text
    assert "[E][" in text and "something failed" in text
    assert "[W][" in text and "[main.py:42, run]" in text


@pytest.mark.parametrize(("compress", "magic"), [(mars.Compress.ZSTD, 0x0D), (mars.Compress.LZ4, 0x20)])
def test_compress_numbers_are_mars(tmp_path: Path, compress: int, magic: int) -> None:
    # Mars's Xlog.ZSTD_MODE is 1; a port that passes it must get zstd blocks.
    assert (mars.Compress.ZLIB, mars.Compress.ZSTD) == (0, 1)
    with mars.Xlog(tmp_path, compress=compress, name_prefix="num") as x:
        x.info("numbered")
    data = x.log_files()[0].read_bytes()
    assert data[0] == magic
    assert "numbered" in _decode_all(x)


def test_compress_level(tmp_path: Path) -> None:
    sizes = []
    for level in (1, 9):
        with mars.Xlog(tmp_path / str(level), compress_level=level) as x:
            for i in range(3000):
                x.info(f"level line {i} {i * 2654435761 % 4294967296:08x}")
        assert _decode_all(x).count("level line ") == 3000
        sizes.append(x.log_files()[0].stat().st_size)
    assert sizes[1] < sizes[0]
    for compress, level in ((mars.Compress.ZLIB, 10), (mars.Compress.ZSTD, 23), (mars.Compress.LZ4, 1)):
        with pytest.raises(mars.InvalidArgument):
            mars.Xlog(tmp_path / "bad", compress=compress, compress_level=level)


def test_decode_file_writes_text(tmp_path: Path) -> None:
    with mars.Xlog(tmp_path / "logs") as x:
        x.info("to a file")
    out = tmp_path / "out.txt"
    mars.decode_file(x.log_files()[0], out)
    assert "to a file" in out.read_text()


def test_level_filters_lines(tmp_path: Path) -> None:
    with mars.Xlog(tmp_path, mode=mars.XlogMode.SYNC) as x:
        x.level = mars.Level.WARN
        assert x.level == mars.Level.WARN
        x.info("filtered out")
        x.warn("kept")
    text = _decode_all(x)
    assert "kept" in text and "filtered out" not in text


def test_stats_count_lines(tmp_path: Path) -> None:
    with mars.Xlog(tmp_path) as x:
        before = x.stats().lines_written
        for i in range(10):
            x.debug(f"line {i}")
        x.flush()
        s = x.stats()
    assert s.lines_written - before == 10
    assert s.lines_dropped == 0 and s.lines_lost == 0 and s.write_errors == 0
    assert s.mapped and s.blocks >= 1 and s.bytes_written > 0


def test_logging_handler(tmp_path: Path) -> None:
    log = logging.getLogger("mars.test.handler")
    log.setLevel(logging.DEBUG)
    with mars.Xlog(tmp_path) as x:
        handler = mars.XlogHandler(x)
        log.addHandler(handler)
        try:
            log.warning("from logging %d", 7)
            log.debug("debug line")
        finally:
            log.removeHandler(handler)
    text = _decode_all(x)
    assert "[W][" in text and "[mars.test.handler]" in text and "from logging 7" in text
    assert "[D][" in text and "test_xlog.py:" in text


# secp256k1 (SEC 2): enough arithmetic to make a key pair for Mars's crypt mode.
_P = 2**256 - 2**32 - 977
_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
_G = (
    0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
    0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8,
)


def _add(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    if a is None or b is None:
        return a or b
    if a[0] == b[0] and (a[1] + b[1]) % _P == 0:
        return None
    if a == b:
        m = 3 * a[0] * a[0] * pow(2 * a[1], -1, _P)
    else:
        m = (b[1] - a[1]) * pow(b[0] - a[0], -1, _P)
    x = (m * m - a[0] - b[0]) % _P
    return x, (m * (a[0] - x) - a[1]) % _P


def _mul(k: int) -> tuple[int, int]:
    r, q = None, _G
    while k:
        if k & 1:
            r = _add(r, q)
        q = _add(q, q)
        k >>= 1
    assert r is not None
    return r


def test_encrypted_log_needs_the_private_key(tmp_path: Path) -> None:
    priv = secrets.randbelow(_N - 1) + 1
    x_, y_ = _mul(priv)
    pub_hex = f"{x_:064x}{y_:064x}"
    with mars.Xlog(tmp_path, pub_key=pub_hex) as x:
        x.info("secret line")
    path = x.log_files()[0]
    assert "secret line" in mars.decode(path, f"{priv:064x}")
    with pytest.raises(mars.PartialResult) as e:
        mars.decode(path)
    assert e.value.text is not None and "secret line" not in e.value.text
    assert "not opened" in e.value.detail


def test_decode_of_a_damaged_file_raises_with_the_text(tmp_path: Path) -> None:
    with mars.Xlog(tmp_path) as x:
        for i in range(3000):
            x.info(f"kept line {i}")
    path = x.log_files()[0]
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 99 // 100])
    with pytest.raises(mars.PartialResult) as e:
        mars.decode(path)
    assert e.value.text is not None and e.value.text.count("kept line ") >= 2970
    assert "cut short" in e.value.detail
    junk = tmp_path / "junk.xlog"
    junk.write_bytes(random.Random(7).randbytes(1 << 20))
    with pytest.raises(mars.PartialResult) as e:
        mars.decode(junk)
    assert "skipped" in e.value.detail
    empty = tmp_path / "empty.xlog"
    empty.write_bytes(b"")
    assert mars.decode(empty) == ""


def test_write_rejects_bad_level(tmp_path: Path) -> None:
    with mars.Xlog(tmp_path) as x:
        with pytest.raises(mars.InvalidArgument):
            x.write(mars.Level.NONE, "no")
        with pytest.raises(mars.InvalidArgument):
            x.write(42, "no")
        with pytest.raises(mars.InvalidArgument):
            x.level = 99


def test_open_rejects_malformed_key_with_detail(tmp_path: Path) -> None:
    with pytest.raises(mars.InvalidArgument) as e:
        mars.Xlog(tmp_path, pub_key="not a key")
    assert e.value.detail


def test_decode_missing_file_is_an_io_error(tmp_path: Path) -> None:
    with pytest.raises(mars.MarsIOError) as e:
        mars.decode(tmp_path / "missing.xlog")
    assert isinstance(e.value, OSError)


def test_decode_rejects_malformed_private_key(tmp_path: Path) -> None:
    with mars.Xlog(tmp_path) as x:
        x.info("x")
    with pytest.raises(mars.InvalidArgument):
        mars.decode(x.log_files()[0], "zz")


def test_write_after_close_is_bad_handle(tmp_path: Path) -> None:
    x = mars.Xlog(tmp_path)
    x.close()
    with pytest.raises(mars.BadHandle):
        x.info("late")
    x.close()  # idempotent


def test_config_and_fields_are_exclusive(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        mars.Xlog(mars.XlogConfig(log_dir=tmp_path), mode=mars.XlogMode.SYNC)


def test_engine_logs_into_an_xlog(tmp_path: Path, marsd: Marsd) -> None:
    with mars.Xlog(tmp_path, mode=mars.XlogMode.SYNC) as x:
        with mars.Stn(stn_config(marsd, log=x)) as stn:
            assert stn.call(echo_task(b"logged"), TIMEOUT) == b"logged"
        x.flush()
    assert "[mars.stn]" in _decode_all(x)


def test_engine_rejects_a_closed_xlog(tmp_path: Path, marsd: Marsd) -> None:
    x = mars.Xlog(tmp_path)
    x.close()
    with pytest.raises(mars.BadHandle):
        mars.Stn(stn_config(marsd, log=x))


def test_command_line_decode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mars.__main__ import main

    with mars.Xlog(tmp_path) as x:
        x.info("via the command line")
    path = str(x.log_files()[0])
    assert main(["decode", path]) == 0
    assert "via the command line" in capsys.readouterr().out
    out = tmp_path / "out.txt"
    assert main(["decode", path, "-o", str(out)]) == 0
    assert "via the command line" in out.read_text()
    assert main(["decode", str(tmp_path / "missing.xlog")]) == 1
    assert "mars:" in capsys.readouterr().err
    assert main(["version"]) == 0
    assert mars.version() in capsys.readouterr().out


def test_runtime_settings(tmp_path: Path) -> None:
    with mars.Xlog(tmp_path, mode=mars.XlogMode.SYNC) as x:
        x.info("sync line")
        x.set_mode(mars.XlogMode.ASYNC)
        x.info("async line")
        x.set_mode(mars.XlogMode.SYNC)  # flushes the buffer first
        x.set_max_file_size(0)
        x.set_max_alive_time(10 * 24 * 3600 * 1000)
        with pytest.raises(mars.InvalidArgument):
            x.set_mode(7)
        with pytest.raises(mars.InvalidArgument):
            x.set_max_file_size(-1)
        with pytest.raises(mars.InvalidArgument):
            x.set_max_alive_time(-1)
    text = _decode_all(x)
    assert "sync line" in text and "async line" in text


def test_second_appender_on_the_same_buffer_file_is_refused(tmp_path: Path) -> None:
    with mars.Xlog(tmp_path, name_prefix="shared"):
        with pytest.raises(mars.InvalidArgument) as e:
            mars.Xlog(tmp_path, name_prefix="shared")
        assert e.value.detail
    with mars.Xlog(tmp_path, name_prefix="shared") as again:  # free once closed
        again.info("reopened")


def test_long_line_is_cut_marked_and_counted(tmp_path: Path) -> None:
    with mars.Xlog(tmp_path) as x:
        x.info("m" * (1 << 20))
        assert x.stats().lines_truncated == 1
    text = _decode_all(x)
    assert "…[truncated " in text and max(len(line.encode()) for line in text.splitlines()) < 16384
