"""Network diagnosis (mars_sdt_check): an active check of servers, URLs and
hosts, as a user's "it does not work" report needs. Blocking; never call it
from an Stn callback."""

from __future__ import annotations

import ctypes
import json
from collections.abc import Mapping
from typing import Any

from . import _lib
from .constants import Result
from .errors import _check, error_for, read_errmsg
from .task import check_int, encode


def check(request: Mapping[str, Any] | str, client_version: int = 0) -> dict[str, Any]:
    """Runs the checks of request (a dict as mars.h describes: servers, http,
    ping, checks (SdtCheck bits), timeout_ms) and returns the JSON report as
    a dict ({"results": [...], "ok": bool, "duration_ms": ...}).

    Raises:
        InvalidArgument: a malformed request (detail says why), a NUL in it, a
            client_version out of range. Unsupported: a libmars without network
            diagnosis. ValueError: a report that is not JSON. ForkedChild: in a forked child.
    """
    lib = _lib.lib()
    if not _lib.has_feature(lib, "sdt"):
        raise error_for(Result.EUNSUPPORTED, "mars_sdt_check", "this libmars has no network diagnosis")
    text = request if isinstance(request, str) else json.dumps(dict(request))
    out = ctypes.c_void_p()
    n = ctypes.c_size_t()
    rc = lib.mars_sdt_check(
        encode("request", text),
        check_int("client_version", client_version, (0, 2**32 - 1)),
        ctypes.byref(out),
        ctypes.byref(n),
    )
    try:
        _check(rc, "mars_sdt_check", lambda: read_errmsg(lib.mars_stn_errmsg, None))
        report: dict[str, Any] = json.loads(ctypes.string_at(out, n.value))
        return report
    finally:
        lib.mars_free(out)
