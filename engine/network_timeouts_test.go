package engine

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/wire"
	"github.com/mars-go/mars/wire/wiretest"
)

// sendNoRetry starts a no-retry task, serves its link and returns the
// request as the server read it.
func (r *rig) sendNoRetry() (Task, *wiretest.Peer, wire.Packet) {
	r.t.Helper()
	tk := r.task(7)
	tk.RetryCount = 0
	r.start(tk)
	p := r.serve()
	return tk, p, p.WantPacket(7)
}

// firstPacketAfter runs a no-retry task against a silent server and returns
// how long after the send it failed.
func (r *rig) firstPacketAfter() time.Duration {
	r.t.Helper()
	tk, _, _ := r.sendNoRetry()
	sent := time.Now()
	return r.wantEnd(tk.TaskID, EctNetMsgXP, EctLongFirstPkgTimeout).at.Sub(sent)
}

// packageIntervalAfter runs a no-retry task whose reply stalls after its
// first bytes and returns how long after them it failed.
func (r *rig) packageIntervalAfter() time.Duration {
	r.t.Helper()
	tk, p, req := r.sendNoRetry()
	p.SendRaw(append(header(20, testVersion, 7, req.Seq, 100), make([]byte, 10)...))
	partial := time.Now()
	return r.wantEnd(tk.TaskID, EctNetMsgXP, EctLongPkgPkgTimeout).at.Sub(partial)
}

// mobileDefaults is DefaultConfig on a mobile network, as a host writes it.
func mobileDefaults() Config {
	c := DefaultConfig()
	c.Network = NetworkMobile
	c.Resolver = nil // the rig's fake resolver, not the system's
	return c
}

// A host that takes DefaultConfig and sets Network gets that network's
// timeouts, and they follow OnNetworkChange.
func TestDefaultConfigTimeoutsFollowTheNetwork(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, mobileDefaults())
		r.rec.onReq2Buf = body100
		if d := r.firstPacketAfter(); d != 15024*time.Millisecond {
			t.Fatalf("mobile: first packet failed after %v, want 15.024s (15 s + 100 B at 4 KiB/s)", d)
		}
		if d := r.packageIntervalAfter(); d != 12*time.Second {
			t.Fatalf("mobile: stalled reply failed after %v, want 12s", d)
		}
		r.e.OnNetworkChange(NetworkWiFi)
		if d := r.firstPacketAfter(); d != fp100 {
			t.Fatalf("Wi-Fi: first packet failed after %v, want %v", d, fp100)
		}
		if d := r.packageIntervalAfter(); d != 8*time.Second {
			t.Fatalf("Wi-Fi: stalled reply failed after %v, want 8s", d)
		}
		r.e.OnNetworkChange(NetworkMobile)
		if d := r.packageIntervalAfter(); d != 12*time.Second {
			t.Fatalf("mobile again: stalled reply failed after %v, want 12s", d)
		}
	})
}

func TestExplicitTimeoutsStayAsSetOnEveryNetwork(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := mobileDefaults()
		cfg.BaseFirstPacketTimeout, cfg.PackageInterval = 5*time.Second, 3*time.Second
		r := newRig(t, cfg)
		r.rec.onReq2Buf = body100
		for _, n := range []NetworkType{NetworkMobile, NetworkWiFi} {
			r.e.OnNetworkChange(n)
			// The rate term keeps its network's column: 100 B at 4 KiB/s or 12 KiB/s.
			want := 5*time.Second + body100Rate(n)
			if d := r.firstPacketAfter(); d != want {
				t.Fatalf("network %d: first packet failed after %v, want %v", n, d, want)
			}
			if d := r.packageIntervalAfter(); d != 3*time.Second {
				t.Fatalf("network %d: stalled reply failed after %v, want the 3 s set", n, d)
			}
		}
	})
}

// body100Rate is the 100-byte body's share of the first-packet limit.
func body100Rate(n NetworkType) time.Duration {
	if n == NetworkMobile {
		return 24 * time.Millisecond
	}
	return 8 * time.Millisecond
}

func TestDefaultConfigLeavesTheNetworkTimeoutsZero(t *testing.T) {
	c := DefaultConfig()
	if c.BaseFirstPacketTimeout != 0 || c.MaxFirstPacketTimeout != 0 || c.MinRate != 0 ||
		c.PackageInterval != 0 || c.TaskDelay != 0 {
		t.Fatalf("DefaultConfig fixed a network's column: %+v", c)
	}
}

func TestEngineConfigReportsNetworkTimeoutsAsGiven(t *testing.T) {
	e, err := New(Config{Network: NetworkMobile, PackageInterval: time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if c := e.Config(); c.BaseFirstPacketTimeout != 0 || c.PackageInterval != time.Second || c.NoopTimeout == 0 {
		t.Fatalf("Config() = %+v, want the network timeouts as given and the rest filled in", c)
	}
}
