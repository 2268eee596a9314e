package tunnel

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"strconv"
)

// SOCKS5 returns a Dialer that reaches each address through the SOCKS5
// proxy at proxyAddr (RFC 1928 CONNECT; the proxy resolves a name), with
// username/password authentication (RFC 1929) when user is set. It fails
// only for credentials over 255 bytes.
func SOCKS5(base Dialer, proxyAddr, user, password string) (Dialer, error) {
	if len(user) > 255 || len(password) > 255 {
		return nil, errors.New("tunnel: SOCKS5 credentials are at most 255 bytes each")
	}
	return socksProxy{base: base, proxy: proxyAddr, user: user, password: password}, nil
}

type socksProxy struct {
	base                  Dialer
	proxy, user, password string
}

func (s socksProxy) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return through(ctx, s.base, network, s.proxy, addr, s.handshake, socksKind)
}

// socksError is a SOCKS5 proxy's refusal or an answer that is not SOCKS5.
type socksError struct {
	kind Kind
	msg  string
}

func (e *socksError) Error() string { return "socks5: " + e.msg }

// socksKind classifies a SOCKS5 handshake failure: the proxy's own answer
// says, else (the proxy closed or reset mid-handshake) Protocol.
func socksKind(err error) Kind {
	var se *socksError
	if errors.As(err, &se) {
		return se.kind
	}
	return Protocol
}

// Method numbers (RFC 1928 3) and replies (RFC 1928 6).
const (
	socksNoAuth       = 0
	socksUserPassword = 2
	socksNoMethod     = 0xff
)

var socksReplies = [...]string{1: "general SOCKS server failure", 2: "connection not allowed by ruleset",
	3: "network unreachable", 4: "host unreachable", 5: "connection refused", 6: "TTL expired",
	7: "command not supported", 8: "address type not supported"}

func (s socksProxy) handshake(c net.Conn, addr string) (net.Conn, error) {
	req, err := socksConnect(addr)
	if err != nil {
		return nil, err
	}
	greeting := []byte{5, 1, socksNoAuth}
	if s.user != "" {
		greeting = []byte{5, 2, socksNoAuth, socksUserPassword}
	}
	if _, err := c.Write(greeting); err != nil {
		return nil, err
	}
	var b [4]byte
	if _, err := io.ReadFull(c, b[:2]); err != nil {
		return nil, err
	}
	switch {
	case b[0] != 5:
		return nil, &socksError{Protocol, "answered version " + strconv.Itoa(int(b[0]))}
	case b[1] == socksNoMethod, b[1] == socksUserPassword && s.user == "":
		return nil, &socksError{Auth, "no acceptable authentication method"}
	case b[1] == socksUserPassword:
		if err := s.authenticate(c); err != nil {
			return nil, err
		}
	case b[1] != socksNoAuth:
		return nil, &socksError{Protocol, "chose authentication method " + strconv.Itoa(int(b[1])) + ", not offered"}
	}
	if _, err := c.Write(req); err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(c, b[:4]); err != nil {
		return nil, err
	}
	switch {
	case b[0] != 5:
		return nil, &socksError{Protocol, "answered version " + strconv.Itoa(int(b[0]))}
	case b[1] != 0 && int(b[1]) < len(socksReplies):
		return nil, &socksError{Refused, socksReplies[b[1]]}
	case b[1] != 0:
		return nil, &socksError{Refused, "reply " + strconv.Itoa(int(b[1]))}
	case b[2] != 0:
		return nil, &socksError{Protocol, "non-zero reserved byte"}
	}
	// The bound address and port: read past them, unused.
	var n int
	switch b[3] {
	case 1:
		n = 4 + 2
	case 4:
		n = 16 + 2
	case 3:
		if _, err := io.ReadFull(c, b[:1]); err != nil {
			return nil, err
		}
		n = int(b[0]) + 2
	default:
		return nil, &socksError{Protocol, "address type " + strconv.Itoa(int(b[3]))}
	}
	if _, err := io.ReadFull(c, make([]byte, n)); err != nil {
		return nil, err
	}
	return c, nil
}

// authenticate runs RFC 1929's username/password exchange.
func (s socksProxy) authenticate(c net.Conn) error {
	msg := append([]byte{1, byte(len(s.user))}, s.user...)
	msg = append(append(msg, byte(len(s.password))), s.password...)
	if _, err := c.Write(msg); err != nil {
		return err
	}
	var b [2]byte
	if _, err := io.ReadFull(c, b[:]); err != nil {
		return err
	}
	switch {
	case b[0] != 1:
		return &socksError{Protocol, "answered username/password version " + strconv.Itoa(int(b[0]))}
	case b[1] != 0:
		return &socksError{Auth, "username/password authentication failed"}
	}
	return nil
}

// socksConnect is the CONNECT request for addr ("host:port"): an IPv4 or
// IPv6 address as such, anything else as a name for the proxy to resolve.
func socksConnect(addr string) ([]byte, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return nil, errors.New("tunnel: bad port in " + strconv.Quote(addr))
	}
	req := []byte{5, 1, 0}
	switch ip, err := netip.ParseAddr(host); {
	case err == nil && ip.Unmap().Is4():
		a := ip.Unmap().As4()
		req = append(append(req, 1), a[:]...)
	case err == nil && ip.Zone() == "":
		a := ip.As16()
		req = append(append(req, 4), a[:]...)
	case err == nil, len(host) == 0, len(host) > 255:
		return nil, errors.New("tunnel: SOCKS5 cannot name " + strconv.Quote(host))
	default:
		req = append(append(req, 3, byte(len(host))), host...)
	}
	return append(req, byte(port>>8), byte(port)), nil
}
