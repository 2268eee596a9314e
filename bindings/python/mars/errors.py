"""The MarsError hierarchy and the one place that turns result codes into
exceptions.

Call results (MARS_E*) and task outcomes (Mars's err_type/err_code) stay
apart: a failed call raises a subclass of MarsCallError, a failed task a
TaskError.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

from ._lib import lib
from .constants import ErrType, Result
from .defaults import ERRMSG_FIRST_SIZE, ERRMSG_MAX_SIZE


class MarsError(Exception):
    """Base of every exception this package raises."""


class MarsCallError(MarsError):
    """A mars_* call returned a result code other than MARS_OK.

    code is the MARS_E* number, detail the library's errmsg text (a hint; the
    code is the contract)."""

    code: int = -1

    def __init__(self, code: int, function: str = "", detail: str = "") -> None:
        self.code = code
        self.function = function
        self.detail = detail
        text = errstr(code)
        where = f"{function}: " if function else ""
        super().__init__(f"{where}{text}" + (f" ({detail})" if detail else ""))


class InvalidArgument(MarsCallError, ValueError):
    """MARS_EINVAL: a NULL pointer, bad length or out-of-range value."""


class BadHandle(MarsCallError):
    """MARS_EBADHANDLE: the object was destroyed or never valid."""


class BufferTooSmall(MarsCallError):
    """MARS_ERANGE: output truncated."""


class WrongState(MarsCallError):
    """MARS_ESTATE: not allowed in the object's current state."""


class Closed(MarsCallError):
    """MARS_ECLOSED: the object is closing or closed."""


class ForkedChild(MarsError, RuntimeError):
    """libmars used in a child forked from the process that loaded it.

    The Go runtime inside libmars does not survive fork(): its threads are
    not copied, and a call that needs them would hang. Raised before any such
    call; use the library from the parent, or start children with exec
    (subprocess, multiprocessing's "spawn" or "forkserver" start methods)."""

    def __init__(self, parent: int) -> None:
        super().__init__(
            f"libmars was loaded by process {parent} and cannot be used in a forked child "
            "(the Go runtime does not survive fork); use exec or multiprocessing's 'spawn'"
        )


class InternalError(MarsCallError):
    """MARS_EINTERNAL: the library recovered from an internal panic."""


class MarsIOError(MarsCallError, OSError):
    """MARS_EIO: a file or system call failed."""


class LimitReached(MarsCallError):
    """MARS_ELIMIT: too many live objects of this kind, or its handles are used up."""


class Unsupported(MarsCallError, NotImplementedError):
    """MARS_EUNSUPPORTED: not available in this build."""


class FormatError(MarsCallError, ValueError):
    """MARS_EFORMAT: input bytes are not in the expected format."""


class PartialResult(MarsCallError):
    """MARS_EPARTIAL: done in part; the input was damaged or partly
    unreadable. detail names what was wrong; text, where the call returns
    text (mars.xlog.decode), holds what could be read."""

    text: str | None = None


class OutOfMemory(MarsCallError, MemoryError):
    """MARS_ENOMEM: the library could not allocate memory; nothing was changed."""


_BY_CODE: dict[int, type[MarsCallError]] = {
    Result.EINVAL: InvalidArgument,
    Result.EBADHANDLE: BadHandle,
    Result.ERANGE: BufferTooSmall,
    Result.ESTATE: WrongState,
    Result.ECLOSED: Closed,
    Result.EINTERNAL: InternalError,
    Result.EIO: MarsIOError,
    Result.ELIMIT: LimitReached,
    Result.EUNSUPPORTED: Unsupported,
    Result.EFORMAT: FormatError,
    Result.EPARTIAL: PartialResult,
    Result.ENOMEM: OutOfMemory,
}


class TaskError(MarsError):
    """A task ended with a Mars outcome other than success.

    err_type is a MARS_ECT_* class, err_code its detail (Mars's numbers)."""

    def __init__(self, taskid: int, err_type: int, err_code: int, profile: Any = None) -> None:
        self.taskid = taskid
        self.err_type = err_type
        self.err_code = err_code
        self.profile = profile
        try:
            kind = ErrType(err_type).name
        except ValueError:
            kind = str(err_type)
        super().__init__(f"task {taskid} failed: err_type={kind} err_code={err_code}")


def errstr(code: int) -> str:
    """mars_errstr: the library's fixed text for a result code."""
    text: bytes = lib().mars_errstr(code)
    return text.decode()


def error_for(code: int, function: str = "", detail: str = "") -> MarsCallError:
    """The exception for a result code (MarsCallError for unknown codes)."""
    return _BY_CODE.get(code, MarsCallError)(code, function, detail)


def _check(rc: int, function: str = "", errmsg: Callable[[], str] | None = None) -> None:
    """Raises the exception for rc unless it is MARS_OK. errmsg, if given,
    fetches the library's detail text for the failed handle."""
    if rc == Result.OK:
        return
    detail = ""
    if errmsg is not None:
        try:
            detail = errmsg()
        except MarsError:
            detail = ""  # the handle is gone; the code alone must do
    raise error_for(rc, function, detail)


def read_errmsg(fn: Callable[..., int], handle: Any) -> str:
    """Calls mars_stn_errmsg/mars_xlog_errmsg(handle, buf, len), growing buf
    while the library reports MARS_ERANGE."""
    size = ERRMSG_FIRST_SIZE
    while True:
        buf = ctypes.create_string_buffer(size)
        rc = fn(handle, buf, size)
        if rc == Result.ERANGE and size < ERRMSG_MAX_SIZE:
            size *= 4
            continue
        if rc not in (Result.OK, Result.ERANGE):
            raise error_for(rc, fn.__name__)
        return buf.value.decode(errors="replace")
