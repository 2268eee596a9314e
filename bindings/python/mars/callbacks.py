"""The callbacks an Stn makes into Python, as a base class to override.

Only the methods a subclass overrides are registered with the library (a
call into Python from a library thread costs ~10-20 µs), except on_task_end
and on_push, which the binding always needs: it resolves wait_task and fills
Stn.pushes. Task.body goes to the library with the task and the response
comes with the task's end (mars_task.body, on_task_end_resp), so without a
req2buf or buf2resp override a task costs one call into Python: its end,
which with StnConfig(poll_events=True) runs on the binding's own thread.
(A library without those features gets the binding's req2buf and buf2resp.)

Every method runs on a library thread, never on the caller's. Callbacks of
one engine are serialised (on_new_dns, get_proxy_info and traffic_data
excepted). Any Stn
method may be called from inside a callback. An exception escaping a method
is logged to the "mars" logger, counted in Stn.callback_errors, and the
library gets the defined value named in the method's doc.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .constants import Identify, Resp
from .task import NetworkQuality, Push, TaskProfile, TaskRef, TaskResult

if TYPE_CHECKING:
    from .proxy import DnsProfile, ProxyInfo


class Callbacks:
    """Override what you need; the defaults are Mars's (mars.h)."""

    def req2buf(self, task: TaskRef, channel: int, host: str) -> bytes | None:
        """The request body of one attempt (may run once per attempt).
        None: send Task.body. On exception the task ends with ENDECODE."""
        return None

    def buf2resp(self, task: TaskRef, channel: int, body: bytes) -> int | tuple[int, int]:
        """Decode a response: return a Resp, or (Resp, err_code).
        On exception: Resp.TASK_END."""
        return Resp.OK

    def on_task_end(self, task: TaskRef, result: TaskResult) -> int:
        """A task's outcome, exactly once per task (not after stop_task,
        clear_tasks or SILENT_TASK_END). On success the return value becomes
        the profile's error code. On exception: 0."""
        return 0

    def on_push(self, push: Push) -> None:
        """A server push; it is also put on Stn.pushes."""

    def on_new_dns(self, host: str, longlink: bool) -> Sequence[str]:
        """IPs for host; empty means the system resolver. Runs concurrently
        with other callbacks; answers after 2 s are discarded."""
        return ()

    def makesure_authed(self, host: str, user_id: str) -> bool:
        """Is user_id logged in at host? Polled for need_authed tasks.
        On exception: False (asked again about a second later)."""
        return True

    def report_connect_status(self, status: int, longlink_status: int) -> None:
        """Mars's (all, longlink) NetStatus numbers."""

    def on_longlink_status_change(self, status: int) -> None:
        """LonglinkStatus of the main long link."""

    def on_longlink_network_error(self, err_type: int, err_code: int, ip: str, port: int) -> None:
        """Network events of the main long link."""

    def on_longlink_status_change_of(self, name: str, status: int) -> None:
        """LonglinkStatus of every long link (Stn.create_longlink), the main
        one included, with the link's name."""

    def on_longlink_network_error_of(self, name: str, err_type: int, err_code: int, ip: str, port: int) -> None:
        """Network events of every long link, the main one included, with the link's name."""

    def on_longlink_new_dns(self, name: str, host: str) -> Sequence[str]:
        """IPs for host, for a connect of the long link named name; when
        overridden it replaces on_new_dns(host, True). Empty means the system
        resolver. Runs as on_new_dns does."""
        return ()

    def get_identify_check_buffer(self, channel: str) -> int | tuple[int, bytes, bytes]:
        """(cmdid, body, hash) to check now, or Identify.NEXT / Identify.NEVER.
        On exception: Identify.NEVER."""
        return Identify.NEVER

    def on_identify_response(self, channel: str, resp: bytes, hash: bytes) -> bool:
        """The identify answer; True stops further checks. On exception: True."""
        return True

    def traffic_data(self, send: int, recv: int) -> None:
        """Bytes of one socket write or read; runs on an I/O thread."""

    def report_task_profile(self, profile: TaskProfile) -> None:
        """Every ended task's statistics, after on_task_end."""

    def report_task_limited(self, check_type: int, task: TaskRef, param: int) -> None:
        """An anti-avalanche rejection (1 frequency, 2 flow)."""

    def request_sync(self) -> None:
        """The library asks the host to pull."""

    def on_network_quality_change(self, quality: NetworkQuality) -> None:
        """Every change of the network quality level, with the estimate."""

    def is_logoned(self) -> bool:
        """Is a user logged in (chooses the timing sync's period)?
        On exception: False."""
        return False

    def request_netcheck_hosts(self) -> Sequence[str]:
        """Hosts to GET StnConfig.netcheck_cgi on when the automatic network
        check starts; empty: no HTTP check."""
        return ()

    def on_netcheck_result(self, report: dict[str, Any]) -> None:
        """The automatic network check's report (mars.sdt.check's form)."""

    def on_shortlink_network_error(self, err_type: int, err_code: int, ip: str, port: int) -> None:
        """A short-link address that failed to connect: the errno, a TLS
        failure (MARS_ECT_HANDSHAKE_PIN_MISMATCH, _CERTIFICATE, else
        _MISUNDERSTAND) or a proxy's own code (then ip and port are the
        proxy's)."""

    def get_proxy_info(self, host: str, longlink: bool) -> ProxyInfo | None:
        """Mars's GetProxyInfo: the proxy of one connect to host (each long-link
        connect attempt, each new short-link connection). ProxyInfo(Proxy.NONE):
        connect directly; None: StnConfig's proxy. Runs on its own thread; a
        connect waits for it at most 2 s. Only asked when overridden (and then
        the signalling keeper is off). On exception: StnConfig's proxy."""
        return None

    def report_dns_profile(self, profile: DnsProfile) -> None:
        """Mars's ReportDnsProfile: one DNS lookup behind a link's connect
        candidates."""


def overridden(callbacks: object, name: str) -> bool:
    """Whether callbacks supplies its own name (not Callbacks' default)."""
    if name in getattr(callbacks, "__dict__", {}):
        return True
    mine = getattr(type(callbacks), name, None)
    return mine is not None and mine is not getattr(Callbacks, name, None)
