package sdt

import (
	"context"
	"net"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/wire"
	"github.com/mars-go/mars/wire/wiretest"
)

const testClientVersion = 200

// echoNoop answers a noop as a Mars server does.
func echoNoop(t testing.TB) func(wire.Packet) []byte {
	return func(req wire.Packet) []byte {
		return encode(t, wire.NewMars(testClientVersion), wire.NoopResponse(req))
	}
}

func probeConfig() Config {
	cfg := testConfig()
	cfg.ClientVersion = testClientVersion
	return cfg
}

func TestLongLinkProbeAnswered(t *testing.T) {
	addr := noopServer(t, echoNoop(t))
	rep := New(probeConfig()).Run(context.Background(), Request{Servers: []string{addr}, Checks: CheckLongLink})
	res := only(t, rep, KindLongLink)
	if !res.OK || res.Target != addr {
		t.Fatalf("probe against a noop server: %+v", res)
	}
	if res.Connect <= 0 || res.FirstByte <= 0 {
		t.Errorf("connect %v, noop answer %v: want both > 0", res.Connect, res.FirstByte)
	}
}

func TestLongLinkProbeSkipsPushBeforeNoop(t *testing.T) {
	addr := noopServer(t, func(req wire.Packet) []byte {
		return encode(t, wire.NewMars(testClientVersion), wire.Push(10001, []byte("hello")), wire.NoopResponse(req))
	})
	res := only(t, New(probeConfig()).Run(context.Background(), Request{Servers: []string{addr}, Checks: CheckLongLink}), KindLongLink)
	if !res.OK {
		t.Fatalf("push then noop answer: %+v", res)
	}
}

func TestLongLinkProbeSkipsLargePush(t *testing.T) {
	big := make([]byte, 3*probeReadSize+17) // reassembled over several reads
	addr := noopServer(t, func(req wire.Packet) []byte {
		return encode(t, wire.NewMars(testClientVersion), wire.Push(10001, big), wire.NoopResponse(req))
	})
	res := only(t, New(probeConfig()).Run(context.Background(), Request{Servers: []string{addr}, Checks: CheckLongLink}), KindLongLink)
	if !res.OK {
		t.Fatalf("large push then noop answer: %+v", res)
	}
}

func TestLongLinkProbeFailures(t *testing.T) {
	tests := []struct {
		name   string
		server func(t *testing.T) string
		want   Reason
	}{
		{"refused", refusedAddr, ReasonRefused},
		{"blackholed", blackholeAddr, ReasonTimeout},
		{"closed without answer", func(t *testing.T) string {
			return noopServer(t, func(wire.Packet) []byte { return nil })
		}, ReasonReset},
		{"other client version", func(t *testing.T) string {
			return noopServer(t, func(req wire.Packet) []byte {
				return encode(t, wire.NewMars(testClientVersion+1), wire.NoopResponse(req))
			})
		}, ReasonProtocol},
		{"plain TCP server that never answers", func(t *testing.T) string {
			return noopServer(t, func(wire.Packet) []byte { return []byte{} })
		}, ReasonTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr := tc.server(t)
			cfg := probeConfig()
			if tc.want == ReasonTimeout {
				cfg.ProbeTimeout = shortTimeout
			}
			res := only(t, New(cfg).Run(context.Background(), Request{Servers: []string{addr}, Checks: CheckLongLink}), KindLongLink)
			if res.OK || res.Reason != tc.want {
				t.Fatalf("want %s, got %+v", tc.want, res)
			}
		})
	}
}

// pipeDialer hands out the client end of an in-memory connection and sends
// the server end to conns, so that probes can run in a synctest bubble while
// the test goroutine scripts the server (wiretest.Peer's methods must run on
// it: they call t.Fatalf).
type pipeDialer struct{ conns chan net.Conn }

func (d pipeDialer) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	d.conns <- server
	return client, nil
}

// probeWithPeer runs a long-link probe with cfg over a pipeDialer and hands
// its server end, as a Peer, to serve on the test goroutine.
func probeWithPeer(t *testing.T, cfg Config, serve func(p *wiretest.Peer)) Result {
	d := pipeDialer{conns: make(chan net.Conn, 1)}
	cfg.Dialer = d
	done := make(chan *Report, 1)
	go func() {
		done <- New(cfg).Run(context.Background(), Request{Servers: []string{"127.0.0.1:8080"}, Checks: CheckLongLink})
	}()
	serve(wiretest.NewPeer(t, <-d.conns, wire.NewMars(testClientVersion)))
	return only(t, <-done, KindLongLink)
}

func TestLongLinkProbeTimingSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const delay = 1200 * time.Millisecond
		cfg := probeConfig()
		cfg.ProbeTimeout = DefaultProbeTimeout
		res := probeWithPeer(t, cfg, func(p *wiretest.Peer) {
			req := p.WantNoop()
			time.Sleep(delay) // the server's latency, on virtual time
			p.ReplyNoop(req)
		})
		if !res.OK || res.FirstByte != delay {
			t.Fatalf("want the noop answer after exactly %v: %+v", delay, res)
		}
	})
}

func TestLongLinkProbeTimeoutSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := probeConfig()
		cfg.ProbeTimeout = DefaultProbeTimeout
		res := probeWithPeer(t, cfg, func(p *wiretest.Peer) {
			p.WantNoop()
			p.WantClosed() // never answers; the probe gives up and closes
		})
		if res.OK || res.Reason != ReasonTimeout || res.Duration != DefaultProbeTimeout {
			t.Fatalf("want a timeout after exactly %v: %+v", DefaultProbeTimeout, res)
		}
	})
}
