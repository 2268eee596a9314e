"""The string table every binding is tested with (NUL, emoji, unpaired
surrogate, 1 MiB, empty, None) through log text, config strings and task
cgi/hosts/headers, and the fork guard. The rule: UTF-8; an unpaired surrogate
becomes U+FFFD; a NUL becomes U+2400 in log text and is refused
(InvalidArgument) anywhere else."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest

import mars
from test_header import header_defines

NUL = "a\0b"
EMOJI = "t\U0001f600g"
SURROGATE = "x\ud800y"
MIB = "m" * (1 << 20)


def _decoded(x: mars.Xlog) -> str:
    return "".join(mars.decode(f) for f in x.log_files())


def test_log_text_keeps_every_character(tmp_path: Path) -> None:
    with mars.Xlog(tmp_path, mode=mars.XlogMode.SYNC) as x:
        x.info("msg-" + NUL, "tag-" + NUL)
        x.info("msg-" + EMOJI, "tag-" + EMOJI)
        x.info("msg-" + SURROGATE, "tag-" + SURROGATE)
        x.write(mars.Level.INFO, "where", "file-tag", file="F" + EMOJI + ".py", func="fn" + NUL, line=7)
        x.info("", "")
        x.write(mars.Level.INFO, "no tag", None)  # type: ignore[arg-type]
        with pytest.raises(mars.InvalidArgument):
            x.info(None)  # type: ignore[arg-type]
        x.info(MIB, "big")
        stats = x.stats()
    text = _decoded(x)
    assert "[tag-a\u2400b]" in text and "msg-a\u2400b" in text, "NUL shows as U+2400, nothing lost"
    assert f"[tag-{EMOJI}]" in text and f"msg-{EMOJI}" in text
    assert "[tag-x\ufffdy]" in text and "msg-x\ufffdy" in text, "unpaired surrogate as U+FFFD"
    assert f"[F{EMOJI}.py:7, fna\u2400b]" in text
    assert "no tag" in text
    assert stats.lines_truncated == 1
    m = re.search(r"(m+)…\[truncated (\d+) bytes\]\n", text)
    assert m, "the cut line is marked"
    assert len(m.group(1)) + int(m.group(2)) == len(MIB), "N counts what was left out"
    assert all(len(line.encode()) < mars.MAX_LINE for line in text.split("\n"))


def test_max_line_matches_the_header(header_path: Path) -> None:
    assert header_defines(header_path)["MARS_XLOG_MAX_LINE"] == mars.MAX_LINE


def test_config_strings(tmp_path: Path) -> None:
    with pytest.raises(mars.InvalidArgument, match="name_prefix"):
        mars.Xlog(tmp_path, name_prefix=NUL)
    for prefix in (EMOJI, SURROGATE):
        mars.Xlog(tmp_path, name_prefix=prefix).close()
    names = [p.name for p in tmp_path.iterdir()]
    assert any(n.startswith(EMOJI + "_") for n in names), names
    assert any(n.startswith("x\ufffdy_") for n in names), names
    for host in (EMOJI, SURROGATE, MIB, "", None):
        mars.Stn(mars.StnConfig(longlink_host=host, network_label=host)).close()
    with pytest.raises(mars.InvalidArgument, match="longlink_host"):
        mars.Stn(mars.StnConfig(longlink_host=NUL))


def _task(cgi: str, host: str, name: str, value: str) -> mars.Task:
    return mars.Task(channel=mars.Channel.SHORT, cgi=cgi, shortlink_hosts=[host], headers={name: value})


def test_task_strings() -> None:
    with mars.Stn(mars.StnConfig(longlink_host="127.0.0.1")) as s:
        for v in (EMOJI, SURROGATE, MIB, ""):
            s.stop_task(s.start_task(_task("/" + v, "h" + v, "X-" + str(len(v)), v)))
        for bad, field in (
            (_task(NUL, "h", "X", "v"), "cgi"),
            (_task("/c", NUL, "X", "v"), "shortlink_hosts"),
            (_task("/c", "h", NUL, "v"), "header_names"),
            (_task("/c", "h", "X", NUL), "header_values"),
        ):
            with pytest.raises(mars.InvalidArgument, match=field):
                s.start_task(bad)


def test_forked_child_fails_fast(tmp_path: Path) -> None:
    parent_log = mars.Xlog(tmp_path / "parent", mode=mars.XlogMode.SYNC)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what each use raised, never hang
        signal.alarm(10)
        out = []
        for use in (
            lambda: mars.Stn(),
            lambda: mars.Xlog(tmp_path / "child"),
            lambda: parent_log.info("from the child"),
            mars.version_number,
        ):
            try:
                use()
                out.append("ok")
            except mars.ForkedChild as e:
                out.append("ForkedChild" if "fork" in str(e) else "bad message")
            except BaseException as e:  # noqa: BLE001 - reported to the parent
                out.append(type(e).__name__)
        parent_log.close()  # the parent's appender is let go, not touched
        os.write(w, ",".join(out).encode())
        os._exit(0)
    os.close(w)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(r) as f:
        got = f.read()
    assert os.WIFEXITED(status), f"the child did not exit by itself (status {status})"
    assert got == "ForkedChild,ForkedChild,ForkedChild,ForkedChild"
    parent_log.info("the parent still logs")
    parent_log.close()
    assert "the parent still logs" in _decoded(parent_log)
    assert "from the child" not in _decoded(parent_log)
