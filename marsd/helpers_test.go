package marsd

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/mars-go/mars/wire"
	"github.com/mars-go/mars/wire/wiretest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const testVersion = 200

var codec = wire.NewMars(testVersion)

// waitTimeout bounds what must happen; shortWait what must not.
const (
	waitTimeout = 10 * time.Second
	shortWait   = 150 * time.Millisecond
)

// start runs a server on loopback ports chosen by the kernel.
func start(t *testing.T, cfg Config) *Server {
	t.Helper()
	if cfg.ClientVersion == 0 {
		cfg.ClientVersion = testVersion
	}
	s := New(cfg)
	if err := s.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// packets returns a server config hook and the channel it feeds: one event
// per long-link packet the server has finished handling.
func packets() (func(uint64, wire.Packet), chan wire.Packet) {
	ch := make(chan wire.Packet, 1024)
	return func(_ uint64, p wire.Packet) { ch <- p }, ch
}

func awaitHandled(t *testing.T, ch chan wire.Packet, cmd uint32) {
	t.Helper()
	select {
	case p := <-ch:
		if p.CmdID != cmd {
			t.Fatalf("server handled %v, want cmdid %d", p, cmd)
		}
	case <-time.After(waitTimeout):
		t.Fatalf("server did not handle cmdid %d", cmd)
	}
}

func dial(t *testing.T, s *Server) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", s.LongAddr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// client connects a scripted peer (the engine's role) to the server.
func client(t *testing.T, s *Server) *wiretest.Peer {
	t.Helper()
	return wiretest.NewPeer(t, dial(t, s), codec)
}

func encode(t *testing.T, p wire.Packet) []byte {
	t.Helper()
	b, err := codec.Append(nil, p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func write(t *testing.T, c net.Conn, b []byte) {
	t.Helper()
	if _, err := c.Write(b); err != nil {
		t.Fatal(err)
	}
}

// readN reads exactly n raw bytes, counting the reads it took.
func readN(t *testing.T, c net.Conn, n int) ([]byte, int) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(waitTimeout))
	buf, reads := make([]byte, 0, n), 0
	for len(buf) < n {
		m, err := c.Read(buf[len(buf):n])
		reads++
		buf = buf[:len(buf)+m]
		if err != nil {
			t.Fatalf("read %d of %d bytes: %v", len(buf), n, err)
		}
	}
	return buf, reads
}

// wantEOF fails unless the server closes c before sending more bytes.
func wantEOF(t *testing.T, c net.Conn) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(waitTimeout))
	b, err := io.ReadAll(c)
	if err != nil || len(b) != 0 {
		t.Fatalf("want close, got %d more bytes (% x), err %v", len(b), b, err)
	}
}

// wantSilence fails if c receives anything within shortWait.
func wantSilence(t *testing.T, c net.Conn) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(shortWait))
	var b [1]byte
	n, err := c.Read(b[:])
	if ne, ok := err.(net.Error); !ok || !ne.Timeout() || n != 0 {
		t.Fatalf("want silence, got %d bytes, err %v", n, err)
	}
}

func header(b []byte) (headLen, version, cmd, seq, bodyLen uint32) {
	u := func(i int) uint32 { return binary.BigEndian.Uint32(b[i:]) }
	return u(0), u(4), u(8), u(12), u(16)
}

func httpClient(t *testing.T, timeout time.Duration) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: timeout}
}

func post(t *testing.T, c *http.Client, url string, body []byte) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Post(url, "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}
