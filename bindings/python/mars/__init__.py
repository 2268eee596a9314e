"""Python binding of Mars in Go (libmars, C ABI mars.h) over ctypes.

    import mars
    with mars.Stn(mars.StnConfig(longlink_host="127.0.0.1", longlink_ports=[8080])) as stn:
        body = stn.call(mars.Task(cmdid=100, body=b"hi", channel=mars.Channel.LONG))

The library is loaded once, on import: from MARS_LIBRARY, the package
folder (the mars-go wheel carries libmars there), or the system; a library
whose major version differs is refused.
"""

from __future__ import annotations

import atexit
import importlib.metadata
from pathlib import Path

from . import _lib, sdt
from . import stn as _stn
from . import xlog as _xlog
from ._lib import LibraryVersionError
from .callbacks import Callbacks
from .config import StnConfig
from .longlink import LongLinkConfig
from .constants import (
    NOOP_TASK_ID,
    RESERVED_TASK_ID_START,
    Channel,
    ChannelStrategy,
    Compress,
    DnsSource,
    DynamicTimeout,
    ErrType,
    Heartbeat,
    Identify,
    Level,
    LocalCode,
    LonglinkStatus,
    Net,
    Proxy,
    Quality,
    Resp,
    Result,
    SdtCheck,
    XlogMode,
)
from .defaults import EXPECTED_MAJOR
from .proxy import DnsProfile, ProxyCheck, ProxyInfo, proxy_is_available
from .errors import (
    BadHandle,
    BufferTooSmall,
    Closed,
    ForkedChild,
    FormatError,
    PartialResult,
    InternalError,
    InvalidArgument,
    LimitReached,
    MarsCallError,
    MarsError,
    MarsIOError,
    OutOfMemory,
    TaskError,
    Unsupported,
    WrongState,
    errstr,
)
from .stn import Stn, gen_sequence_id
from .task import NetworkQuality, Push, Task, TaskProfile, TaskRef, TaskResult
from .xlog import MAX_LINE, Xlog, XlogConfig, XlogHandler, XlogStats, decode, decode_file

_lib.lib()  # load and version-check now, not at first use


def version() -> str:
    """mars_version: the loaded library's "X.Y.Z"."""
    text: bytes = _lib.lib().mars_version()
    return text.decode()


def version_number() -> int:
    """mars_version_number: X*1000000 + Y*1000 + Z of the loaded library."""
    return int(_lib.lib().mars_version_number())


def _package_version() -> str:
    # The installed distribution's version when this package is that
    # distribution (a wheel or pip install); from a source tree, the library's.
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
        if Path(str(dist.locate_file("mars/__init__.py"))).resolve() == Path(__file__).resolve():
            return dist.version
    except importlib.metadata.PackageNotFoundError:
        pass
    return version()


#: The distribution's name on PyPI (the import name is `mars`).
DISTRIBUTION = "mars-go"

#: This package's version: the installed mars-go distribution's, or the
#: loaded library's "X.Y.Z" when imported from a source tree.
__version__ = _package_version()


def has_feature(name: str) -> bool:
    """mars_has_feature: whether the loaded library has the named feature
    (the names are listed in mars.h; False for a library older than 0.2.0)."""
    return _lib.has_feature(_lib.lib(), name)


@atexit.register
def _shutdown() -> None:
    # Library threads must stop calling into Python before it finalises.
    _stn.close_all()
    _xlog.close_all()


__all__ = [
    "EXPECTED_MAJOR",
    "MAX_LINE",
    "NOOP_TASK_ID",
    "RESERVED_TASK_ID_START",
    "BadHandle",
    "BufferTooSmall",
    "Callbacks",
    "Channel",
    "ChannelStrategy",
    "Closed",
    "Compress",
    "DnsProfile",
    "DnsSource",
    "DynamicTimeout",
    "ErrType",
    "ForkedChild",
    "FormatError",
    "PartialResult",
    "Heartbeat",
    "Identify",
    "InternalError",
    "InvalidArgument",
    "Level",
    "LibraryVersionError",
    "LimitReached",
    "LocalCode",
    "LongLinkConfig",
    "LonglinkStatus",
    "OutOfMemory",
    "MarsCallError",
    "MarsError",
    "MarsIOError",
    "Net",
    "NetworkQuality",
    "Proxy",
    "ProxyCheck",
    "ProxyInfo",
    "Push",
    "Quality",
    "Resp",
    "Result",
    "SdtCheck",
    "Stn",
    "StnConfig",
    "Task",
    "TaskError",
    "TaskProfile",
    "TaskRef",
    "TaskResult",
    "Unsupported",
    "WrongState",
    "Xlog",
    "XlogConfig",
    "XlogHandler",
    "XlogMode",
    "XlogStats",
    "decode",
    "decode_file",
    "errstr",
    "gen_sequence_id",
    "has_feature",
    "proxy_is_available",
    "sdt",
    "version",
    "version_number",
]
