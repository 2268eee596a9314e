// Package shortlink sends Mars's short-link attempts: one HTTP/1.1 POST per
// attempt over internal/http1, with the engine's connect race underneath
// it.
//
// What http1 does: response parsing (status line, headers, Content-Length
// and chunked bodies, 1xx interim responses skipped) and the idle pool of
// kept-alive connections. TLS is crypto/tls. What this package adds:
//
//   - the dial: the host's candidates (Config.Candidates) raced by
//     dial.Race with the engine's Dialer (MSS clamp, proxy tunnel);
//   - Mars's header set (Accept, Cache-Control, Connection, Content-Length,
//     Content-Type, Host, User-Agent, then the task's headers overriding
//     by case-insensitive name, Content-Length excepted) in Mars's order:
//     the bytes wire.AppendShortRequest writes;
//   - keep-alive only when the task's headers carry "Connection: Keep-Alive"
//     exactly (shortlink.cc:66-75); a reused connection that fails bans reuse
//     of that host for BanInterval (socket_pool.h BAN_INTERVAL); a pooled
//     connection stays for the server's "Keep-Alive: timeout=N" (1..59 s,
//     else IdleTimeout), and one the server closed meanwhile is not used;
//   - Mars's outcomes as an *Error (type, code): status ≠ 200 → (5, status);
//     a bad status line (5, -10195); bad headers or body (5, -10194); EOF
//     before the response is complete, or a body delimited only by the close
//     (4, -10090); no address (3, -10606); every connect failed (4, -10087);
//     send error (4, errno or -10088); read error (4, errno or -10089);
//   - progress reports (connection, send start, every read) so the engine's
//     owner runs the first-packet and pkg-pkg timeouts itself:
//     timeouts end an attempt by cancelling its context.
//
// SPKI pinning and custom roots ride on TLS (Config.TLS); HTTP CONNECT and
// SOCKS5 proxies are Dialers (engine/internal/tunnel) handed in as
// Config.Dialer, so the race runs through the proxy unchanged.
package shortlink
