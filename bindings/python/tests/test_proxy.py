"""Proxies named per connect (get_proxy_info), the proxy check
(proxy_is_available) and DNS lookup reports (report_dns_profile), against
marsd and proxies on loopback."""

from __future__ import annotations

import http.server
import queue
import socket
import socketserver
import threading
from collections.abc import Iterator

import pytest

import mars
from conftest import TIMEOUT, Marsd, echo_task, stn_config


class _ConnectHandler(socketserver.BaseRequestHandler):
    """An HTTP CONNECT proxy: reports each target, then tunnels to it."""

    def handle(self) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            head += chunk
        target = head.split(b" ")[1].decode()
        self.server.targets.put(target)  # type: ignore[attr-defined]
        host, port = target.rsplit(":", 1)
        try:
            up = socket.create_connection((host, int(port)), timeout=TIMEOUT)
        except OSError:
            self.request.sendall(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
            return
        self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        with up:
            pump = threading.Thread(target=_copy, args=(up, self.request), daemon=True)
            pump.start()
            _copy(self.request, up)
            pump.join(TIMEOUT)


def _copy(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def proxy() -> Iterator[tuple[str, queue.Queue[str]]]:
    srv = _Server(("127.0.0.1", 0), _ConnectHandler)
    srv.targets = queue.Queue()  # type: ignore[attr-defined]
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"127.0.0.1:{srv.server_address[1]}", srv.targets  # type: ignore[attr-defined]
    srv.shutdown()
    srv.server_close()


def _status_server(status: int) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status if self.path == "/" else 400)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


class ProxyCallbacks(mars.Callbacks):
    def __init__(self, answer: mars.ProxyInfo | None, marsd_ip: str) -> None:
        self.answer, self.marsd_ip = answer, marsd_ip
        self.asked: list[tuple[str, bool]] = []
        self.profiles: queue.Queue[mars.DnsProfile] = queue.Queue()

    def get_proxy_info(self, host: str, longlink: bool) -> mars.ProxyInfo | None:
        self.asked.append((host, longlink))
        return self.answer

    def on_new_dns(self, host: str, longlink: bool) -> list[str]:
        return [self.marsd_ip] if host == "marsd.test" else []

    def report_dns_profile(self, profile: mars.DnsProfile) -> None:
        self.profiles.put(profile)


def test_get_proxy_info_names_the_long_link_proxy(marsd: Marsd, proxy: tuple[str, queue.Queue[str]]) -> None:
    addr, targets = proxy
    cb = ProxyCallbacks(mars.ProxyInfo(mars.Proxy.HTTP, addr), marsd.long_host)
    with mars.Stn(stn_config(marsd, longlink_host="marsd.test"), cb) as stn:
        assert stn.call(echo_task(b"via proxy"), TIMEOUT) == b"via proxy"
        assert stn.callback_errors == 0
    assert targets.get(timeout=TIMEOUT) == f"{marsd.long_host}:{marsd.long_port}"
    assert ("marsd.test", True) in cb.asked


def test_a_direct_answer_wins_over_the_config_proxy(marsd: Marsd) -> None:
    cb = ProxyCallbacks(mars.ProxyInfo(), marsd.long_host)  # Proxy.NONE: direct
    cfg = stn_config(marsd, longlink_host="marsd.test", proxy_kind=mars.Proxy.HTTP, proxy_addr="127.0.0.1:1")
    with mars.Stn(cfg, cb) as stn:
        assert stn.call(echo_task(b"direct"), TIMEOUT) == b"direct"


def test_report_dns_profile_reports_the_on_new_dns_answer(marsd: Marsd) -> None:
    cb = ProxyCallbacks(None, marsd.long_host)
    with mars.Stn(stn_config(marsd, longlink_host="marsd.test"), cb) as stn:
        stn.call(echo_task(b"x"), TIMEOUT)
        while True:
            p = cb.profiles.get(timeout=TIMEOUT)
            if p.source == mars.DnsSource.NEWDNS:
                break
    assert p.host == "marsd.test" and p.longlink and p.ips == (marsd.long_host,)
    assert p.err_type == 0 and p.err_code == 0 and p.error == "" and p.start_ms > 0 and p.cost_ms >= 0


@pytest.mark.parametrize("status, available", [(200, True), (302, True), (497, True), (404, False)])
def test_proxy_is_available(proxy: tuple[str, queue.Queue[str]], status: int, available: bool) -> None:
    addr, targets = proxy
    srv = _status_server(status)
    try:
        check = mars.proxy_is_available(mars.ProxyInfo(mars.Proxy.HTTP, addr), "127.0.0.1", srv.server_address[1])
    finally:
        srv.shutdown()
        srv.server_close()
    assert bool(check) is available
    assert check.err_code == (0 if available else status)
    assert targets.get(timeout=TIMEOUT) == f"127.0.0.1:{srv.server_address[1]}"


def test_proxy_is_available_names_a_dead_proxy_and_refuses_bad_ones() -> None:
    check = mars.proxy_is_available(mars.ProxyInfo(mars.Proxy.HTTP, "127.0.0.1:1"), "127.0.0.1", 80, 2000)
    assert not check and check.err_code == -10097
    with pytest.raises(mars.InvalidArgument):
        mars.proxy_is_available(mars.ProxyInfo(), "127.0.0.1")
    with pytest.raises(mars.InvalidArgument):
        mars.proxy_is_available(mars.ProxyInfo(mars.Proxy.SOCKS5, "no-port"), "127.0.0.1")
    with pytest.raises(ValueError):
        mars.proxy_is_available(mars.ProxyInfo(mars.Proxy.HTTP, "a" * 300), "127.0.0.1")
