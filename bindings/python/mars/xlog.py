"""Xlog: a Mars log appender (mars_xlog), a logging.Handler over it, and the
decoder (mars_xlog_decode)."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import weakref
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from . import _lib
from . import _structs as S
from .constants import Compress, Level, Result, XlogMode
from .errors import PartialResult, _check, error_for, read_errmsg
from .task import _INT32, _INT64, check_int, encode, encode_text

# The most bytes one line takes in a log file, prefix and newline included
# (MARS_XLOG_MAX_LINE). A longer message is not dropped: it is cut on a
# character boundary, ends in "…[truncated N bytes]" and counts in
# XlogStats.lines_truncated. Split long payloads into several lines.
MAX_LINE = 16384

_live: weakref.WeakSet[Xlog] = weakref.WeakSet()

PathLike = str | os.PathLike[str]


@dataclass
class XlogConfig:
    """Appender configuration (mars_xlog_config). 0/None/False means the
    library's default (see mars.h for each)."""

    log_dir: PathLike
    mode: int = XlogMode.ASYNC
    cache_dir: PathLike | None = None
    name_prefix: str | None = None
    pub_key: str | None = None
    compress: int = Compress.ZLIB
    #: 0 = the codec's default; zlib 1-9, zstd 1-22, LZ4 only 0 (Mars's
    #: compress_level; a library without feature "compress_level" ignores it)
    compress_level: int = 0
    level: int = Level.VERBOSE
    max_file_size: int = 0
    max_alive_time_ms: int = 0
    cache_days: int = 0
    console: bool = False
    non_blocking: bool = False
    max_block_wait_ms: int = 0
    flush_interval_ms: int = 0
    buffer_size: int = 0

    def to_c(self, lib: Any) -> S.XlogConfig:
        """The C struct for mars_xlog_open (internal to the binding)."""
        c, _ = S.init_struct(lib.mars_xlog_config_init, S.XlogConfig)
        c.mode = check_int("mode", int(self.mode), _INT32)
        c.log_dir = encode("log_dir", os.fspath(self.log_dir))
        c.cache_dir = encode("cache_dir", os.fspath(self.cache_dir)) if self.cache_dir else None
        c.name_prefix = encode("name_prefix", self.name_prefix)
        c.pub_key = encode("pub_key", self.pub_key)
        c.compress_mode = check_int("compress", int(self.compress), _INT32)
        c.level = check_int("level", int(self.level), _INT32)
        c.console = 1 if self.console else 0
        c.non_blocking = 1 if self.non_blocking else 0
        for name in ("max_file_size", "max_alive_time_ms", "max_block_wait_ms", "flush_interval_ms"):
            if getattr(self, name):
                setattr(c, name, check_int(name, getattr(self, name), _INT64))
        for name in ("cache_days", "buffer_size", "compress_level"):
            if getattr(self, name):
                setattr(c, name, check_int(name, getattr(self, name), _INT32))
        return c


@dataclass(frozen=True)
class XlogStats:
    """An appender's counters since open (mars_xlog_stats)."""

    lines_written: int
    lines_dropped: int
    lines_lost: int
    blocked_waits: int
    blocks: int
    bytes_written: int
    write_errors: int
    mapped: bool
    lines_truncated: int = 0
    """Lines cut to the line limit (16 KiB); each ends in "…[truncated N bytes]"."""


class Xlog:
    """An open appender. Xlog("dir") or Xlog(XlogConfig(...)); use as a
    context manager or call close().

    Raises (opening one): InvalidArgument for no log_dir, a value out of
    range, a malformed pub_key, a buffer file another open appender uses, or
    a string with a NUL; TypeError for a config and keyword fields together;
    LimitReached with 4096 open appenders; ForkedChild in a forked child.

    Common to every method that calls the library: BadHandle after close(),
    Closed (MARS_ECLOSED) when the call races a close() on another thread,
    ForkedChild in a process forked from the one that loaded libmars, and
    InternalError if the library recovered from a panic. Each method's
    "Raises:" adds what else it can raise.
    """

    def __init__(self, config: XlogConfig | PathLike, **fields: Any) -> None:
        if not isinstance(config, XlogConfig):
            config = XlogConfig(log_dir=config, **fields)
        elif fields:
            raise TypeError("pass either an XlogConfig or keyword fields, not both")
        self._lib = _lib.lib()
        self._closed = True
        self.config = config
        c = config.to_c(self._lib)
        out = ctypes.c_void_p()
        rc = self._lib.mars_xlog_open(ctypes.byref(c), ctypes.byref(out))
        _check(rc, "mars_xlog_open", lambda: read_errmsg(self._lib.mars_xlog_errmsg, None))
        self._h = out
        self._closed = False
        _live.add(self)

    @property
    def handle(self) -> int | None:
        """The mars_xlog handle value (for mars_stn_config.log)."""
        return self._h.value

    def _call(self, name: str, *args: Any) -> None:
        _lib.check_not_forked()
        if not _lib.has(self._lib, name):  # an optional function an older library lacks
            raise error_for(Result.EUNSUPPORTED, name, "not in this libmars")
        fn = getattr(self._lib, name)
        rc = fn(self._h, *args)
        _check(rc, name, lambda: read_errmsg(self._lib.mars_xlog_errmsg, self._h))

    def write(
        self, level: int, msg: str, tag: str = "", *, file: str | None = None, func: str | None = None, line: int = 0
    ) -> None:
        """mars_xlog_write: one line at level (filtered by the appender's).

        Text is written as UTF-8: a NUL shows as U+2400, an unpaired
        surrogate as U+FFFD. A line over MAX_LINE bytes is cut, ends in
        "…[truncated N bytes]" and counts in stats().lines_truncated; the
        call still succeeds. msg None raises InvalidArgument.

        Raises:
            InvalidArgument: msg None, level outside VERBOSE..FATAL, line out of int32.
            TypeError: text that is not str. And the common ones (see Xlog).
        """
        self._call(
            "mars_xlog_write",
            int(level),
            encode_text("tag", tag),
            encode_text("file", file),
            encode_text("func", func),
            check_int("line", line, _INT32),
            encode_text("msg", msg),
        )

    def verbose(self, msg: str, tag: str = "") -> None:
        """Writes msg at Level.VERBOSE under tag.

        Raises:
            As write.
        """
        self.write(Level.VERBOSE, msg, tag)

    def debug(self, msg: str, tag: str = "") -> None:
        """Writes msg at Level.DEBUG under tag.

        Raises:
            As write.
        """
        self.write(Level.DEBUG, msg, tag)

    def info(self, msg: str, tag: str = "") -> None:
        """Writes msg at Level.INFO under tag.

        Raises:
            As write.
        """
        self.write(Level.INFO, msg, tag)

    def warn(self, msg: str, tag: str = "") -> None:
        """Writes msg at Level.WARN under tag.

        Raises:
            As write.
        """
        self.write(Level.WARN, msg, tag)

    def error(self, msg: str, tag: str = "") -> None:
        """Writes msg at Level.ERROR under tag.

        Raises:
            As write.
        """
        self.write(Level.ERROR, msg, tag)

    def fatal(self, msg: str, tag: str = "") -> None:
        """Writes msg at Level.FATAL under tag.

        Raises:
            As write.
        """
        self.write(Level.FATAL, msg, tag)

    def flush(self, sync: bool = True) -> None:
        """mars_xlog_flush: with sync, returns once earlier lines are on disk.

        Raises:
            only the common ones (see Xlog).
        """
        self._call("mars_xlog_flush", 1 if sync else 0)

    @property
    def level(self) -> Level:
        """mars_xlog_get_level: the lowest level written.

        Raises:
            InvalidArgument (setting): a level outside Level. And the common ones (see Xlog).
        """
        out = ctypes.c_int()
        self._call("mars_xlog_get_level", ctypes.byref(out))
        return Level(out.value)

    @level.setter
    def level(self, level: int) -> None:
        """mars_xlog_set_level: lines below level are dropped."""
        self._call("mars_xlog_set_level", int(level))

    def set_console(self, on: bool) -> None:
        """mars_xlog_set_console: mirror each line to stdout (True) or not.

        Raises:
            only the common ones (see Xlog).
        """
        self._call("mars_xlog_set_console", 1 if on else 0)

    def set_mode(self, mode: int) -> None:
        """mars_xlog_set_mode: XlogMode.ASYNC or SYNC at run time (leaving
        async flushes first).

        Raises:
            InvalidArgument: an unknown mode. MarsIOError: the buffer cannot be set up.
            And the common ones (see Xlog).
        """
        self._call("mars_xlog_set_mode", int(mode))

    def set_max_file_size(self, size: int) -> None:
        """mars_xlog_set_max_file_size: split size in bytes from the next
        write on; 0 = one file per day.

        Raises:
            InvalidArgument: a negative size. And the common ones (see Xlog).
        """
        self._call("mars_xlog_set_max_file_size", check_int("size", size, _INT64))

    def set_max_alive_time(self, ms: int) -> None:
        """mars_xlog_set_max_alive_time: file age limit for the next cleanup
        (raised to at least one day).

        Raises:
            InvalidArgument: a negative or absurd time. And the common ones (see Xlog).
        """
        self._call("mars_xlog_set_max_alive_time", check_int("ms", ms, _INT64))

    def stats(self) -> XlogStats:
        """mars_xlog_get_stats: counters of this appender.

        Raises:
            only the common ones (see Xlog).
        """
        s = S.XlogStats()
        s.struct_size = ctypes.sizeof(S.XlogStats)
        self._call("mars_xlog_get_stats", ctypes.byref(s))
        values = {f.name: getattr(s, f.name) for f in fields(XlogStats)}
        values["mapped"] = bool(values["mapped"])
        return XlogStats(**values)

    def errmsg(self) -> str:
        """mars_xlog_errmsg: the last error detail of this appender (a hint).

        Raises:
            BadHandle after close().
        """
        return read_errmsg(self._lib.mars_xlog_errmsg, self._h)

    def log_files(self) -> list[Path]:
        """This appender's .xlog files in log_dir, oldest name first."""
        prefix = self.config.name_prefix or "mars"
        return sorted(Path(self.config.log_dir).glob(f"{prefix}_*.xlog"))

    def close(self) -> None:
        """mars_xlog_close: banner, flush, close. Idempotent.

        Raises:
            MarsIOError: closing the file or unmapping the buffer failed.
            BadHandle if the appender was closed underneath (not by this object).
            Never ForkedChild: in a forked child it only lets the appender go.
        """
        if self._closed:
            return
        self._closed = True
        _live.discard(self)
        if _lib.forked():
            return  # the parent's appender: nothing here may touch it
        self._call("mars_xlog_close")

    @property
    def closed(self) -> bool:
        """Whether close() has run."""
        return self._closed

    def __del__(self) -> None:
        # An appender dropped without close() is closed here (any thread may).
        if not getattr(self, "_closed", True):
            # Nothing to report to at collection time; the stats go with it.
            with contextlib.suppress(Exception):
                self.close()

    def __enter__(self) -> Xlog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def decode(path: PathLike, priv_key: str | None = None) -> str:
    """mars_xlog_decode: the text of an xlog file (damage is marked in it).

    A damaged file (cut short, bytes that hold no block, encrypted blocks
    without their key) raises PartialResult: its detail says what was wrong
    and its text holds every line that could be decoded.

    Raises:
        PartialResult: damaged input (cut-short or damaged blocks, bytes skipped,
            encrypted blocks without their key); .text holds what could be read.
        InvalidArgument: a malformed key, a NUL in path or key.
        MarsIOError: the file cannot be read. ForkedChild: in a forked child.
    """
    lib = _lib.lib()
    text = ctypes.c_void_p()
    n = ctypes.c_size_t()
    rc = lib.mars_xlog_decode(
        encode("path", os.fspath(path)), encode("priv_key", priv_key), ctypes.byref(text), ctypes.byref(n)
    )
    try:
        s = ctypes.string_at(text, n.value).decode(errors="replace") if text.value else None
        try:
            _check(rc, "mars_xlog_decode", lambda: read_errmsg(lib.mars_xlog_errmsg, None))
        except PartialResult as e:
            e.text = s
            raise
        assert s is not None
        return s
    finally:
        lib.mars_free(text)


def decode_file(in_path: PathLike, out_path: PathLike, priv_key: str | None = None) -> None:
    """mars_xlog_decode_file: decodes in_path into the text file out_path.

    A damaged file raises PartialResult after out_path got every line that
    could be decoded.

    Raises:
        PartialResult: damaged input; out_path holds what could be read.
        InvalidArgument: a malformed key, a NUL in a path.
        MarsIOError: a file cannot be read or written. ForkedChild: in a forked child.
    """
    lib = _lib.lib()
    rc = lib.mars_xlog_decode_file(
        encode("in_path", os.fspath(in_path)), encode("priv_key", priv_key), encode("out_path", os.fspath(out_path))
    )
    _check(rc, "mars_xlog_decode_file", lambda: read_errmsg(lib.mars_xlog_errmsg, None))


_LEVELS = (
    (logging.ERROR + 10, Level.FATAL),
    (logging.ERROR, Level.ERROR),
    (logging.WARNING, Level.WARN),
    (logging.INFO, Level.INFO),
    (logging.DEBUG, Level.DEBUG),
)


def level_for(levelno: int) -> Level:
    """The Mars level of a logging level number."""
    for floor, level in _LEVELS:
        if levelno >= floor:
            return level
    return Level.VERBOSE


class XlogHandler(logging.Handler):
    """A logging.Handler writing records to an Xlog (tag = logger name)."""

    def __init__(self, xlog: Xlog, level: int = logging.NOTSET) -> None:
        super().__init__(level)
        self.xlog = xlog

    def emit(self, record: logging.LogRecord) -> None:
        """Writes record to the Xlog at the matching level, the logger name as tag."""
        try:
            self.xlog.write(
                level_for(record.levelno),
                self.format(record),
                record.name,
                file=record.pathname,
                func=record.funcName,
                line=record.lineno,
            )
        except Exception:
            self.handleError(record)


def close_all() -> None:
    """Closes every appender still open (registered with atexit)."""
    for x in list(_live):
        x.close()
