"""Test harness: starts marsd on loopback port 0 and reads its address line.

Needs MARSD (path of the marsd binary; run-tests.sh builds it) and a
loadable libmars (MARS_LIBRARY). MARS_HEADER points at mars.h (default: the
repository's include/mars.h).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import mars

REPO_ROOT = Path(__file__).resolve().parents[3]

#: marsd's client_version (its default) and special cmdids (go doc ./marsd).
CLIENT_VERSION = 200
CMD_ECHO = 100
CMD_PUSH = 10001
CMD_PUSH_ECHO = 10002
CMD_SILENCE = 10004

#: prctl option: signal sent to this process when its parent dies.
PR_SET_PDEATHSIG = 1

#: How long a test waits for something that must happen.
TIMEOUT = 10.0


@dataclass(frozen=True)
class Marsd:
    long_host: str
    long_port: int
    short_host: str
    short_port: int
    proc: subprocess.Popen[str]
    #: (host, port) of the extra long-link listener (marsd_two), else None.
    extra: tuple[str, int] | None = None


def die_with_parent() -> None:
    """preexec_fn: on Linux, SIGTERM the child when this process dies, so a
    crashed test run leaves no marsd behind."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _split(addr: str) -> tuple[str, int]:
    host, port = addr.rsplit(":", 1)
    return host.strip("[]"), int(port)


def _read_address_line(proc: subprocess.Popen[str], timeout: float) -> str:
    """marsd's first stdout line, waited for in a thread (readline blocks)."""
    box: list[str] = []
    reader = threading.Thread(target=lambda: box.append(proc.stdout.readline() if proc.stdout else ""))
    reader.start()
    reader.join(timeout)
    if not box or not box[0].startswith("marsd "):
        proc.kill()
        proc.wait()
        raise RuntimeError(f"marsd printed no address line within {timeout}s: {box!r}")
    return box[0]


@pytest.fixture(scope="session")
def marsd_path() -> str:
    path = os.environ.get("MARSD") or str(REPO_ROOT / "out" / "bin" / "marsd")
    if not os.access(path, os.X_OK):
        pytest.skip(f"marsd not found at {path}; set MARSD (run-tests.sh builds it)")
    return path


@pytest.fixture(scope="session")
def marsd(marsd_path: str) -> Iterator[Marsd]:
    yield from _run_marsd(marsd_path)


#: The extra long-link listener of marsd_two (the server of a second named link).
EXTRA_LISTENER = "b"


@pytest.fixture(scope="session")
def marsd_two(marsd_path: str) -> Iterator[Marsd]:
    """marsd with a second long-link listener, EXTRA_LISTENER (--long-extra);
    its address is Marsd.extra."""
    yield from _run_marsd(marsd_path, EXTRA_LISTENER)


def _run_marsd(path: str, extra: str | None = None) -> Iterator[Marsd]:
    args = [path, "--long", "127.0.0.1:0", "--short", "127.0.0.1:0", "--client-version", str(CLIENT_VERSION)]
    if extra:
        args += ["--long-extra", f"{extra}=127.0.0.1:0"]
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, preexec_fn=die_with_parent
    )
    line = _read_address_line(proc, TIMEOUT)
    fields = dict(part.split("=", 1) for part in line.split()[1:])
    long_host, long_port = _split(fields["long"])
    short_host, short_port = _split(fields["short"])
    more = _split(fields[f"long.{extra}"]) if extra else None
    yield Marsd(long_host, long_port, short_host, short_port, proc, more)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise


def stn_config(srv: Marsd, **overrides: object) -> mars.StnConfig:
    fields: dict[str, object] = dict(
        client_version=CLIENT_VERSION,
        longlink_host=srv.long_host,
        longlink_ports=[srv.long_port],
        shortlink_port=srv.short_port,
    )
    fields.update(overrides)
    return mars.StnConfig(**fields)  # type: ignore[arg-type]


@pytest.fixture
def stn(marsd: Marsd) -> Iterator[mars.Stn]:
    with mars.Stn(stn_config(marsd)) as s:
        yield s
        assert s.callback_errors == 0, f"a callback raised: {s.last_callback_error!r}"


@pytest.fixture(scope="session")
def header_path() -> Path:
    path = Path(os.environ.get("MARS_HEADER") or REPO_ROOT / "include" / "mars.h")
    if not path.exists():
        pytest.skip(f"mars.h not found at {path}; set MARS_HEADER")
    return path


def echo_task(body: bytes = b"", cmdid: int = CMD_ECHO, **kw: object) -> mars.Task:
    return mars.Task(cmdid=cmdid, body=body, channel=mars.Channel.LONG, **kw)  # type: ignore[arg-type]
