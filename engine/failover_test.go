package engine

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/wire/wiretest"
)

// wifiRTT is a Wi-Fi-like round trip for the failover tests.
const wifiRTT = 30 * time.Millisecond

// Ours: with no connect history (a fresh install) the first stagger is
// RFC 8305's 250 ms on Wi-Fi, so a blackholed first address costs the first
// task about 250 ms plus two round trips, not Mars's 2.5 s.
func TestFreshInstallFailsOverFromABlackholeWithinSixHundredMs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.net.SetRTT(wifiRTT)
		r.net.Blackhole("10.0.0.1:5")
		good := r.net.Listen("10.0.0.1:7")
		defer good.Close()
		r.e.SetLonglinkSvrAddr("srv", []int{5, 7}, "10.0.0.1")
		t0 := time.Now()
		tk := r.start(r.task(7))
		c, err := good.Accept()
		if err != nil {
			t.Fatal(err)
		}
		p := wiretest.NewPeer(t, c, r.codec)
		p.Timeout = time.Hour
		defer p.Close()
		req := p.WantPacket(7)
		time.Sleep(wifiRTT) // the request's and the answer's way across
		p.Reply(req, nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
		if d := time.Since(t0); d >= 600*time.Millisecond {
			t.Fatalf("first task done after %v, want < 600ms", d)
		}
	})
}

// Ours: on a mobile network with no history the first stagger is 500 ms.
func TestFreshInstallMobileStaggerIsHalfASecond(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.e.OnNetworkChange(NetworkMobile)
		synctest.Wait()
		good, got := blackholeThenGood(r)
		defer good.Close()
		if got["10.0.0.1:5"] != 0 || got["10.0.0.1:7"] != DefaultMobileFirstConnectInterval {
			t.Fatalf("dial times %v, want the second at %v", got, DefaultMobileFirstConnectInterval)
		}
		c, err := good.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	})
}

// restartServer drops the link as a server process killed under it does
// (listener gone, connection closed), starts a task and brings the server
// back after down; it returns the kill's time and the task.
func restartServer(r *rig, p *wiretest.Peer, down time.Duration) (time.Time, Task) {
	r.lis.Close()
	p.Close()
	kill := time.Now()
	tk := r.start(r.task(7))
	time.Sleep(down)
	r.lis = r.net.Listen(srvAddr)
	return kill, tk
}

// Ours: a refused reconnect after a drop is retried ~250 ms later, so a
// server back 1 s after it was killed serves the first task by 1.5 s. With
// ExactMarsTiming, Mars's behaviour: the retry waits for the 5 s task floor.
func TestServerBackOneSecondAfterDropServesFirstTaskWithinOneAndAHalfSeconds(t *testing.T) {
	for _, exact := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			r := newRig(t, Config{ExactMarsTiming: exact})
			p := r.connect()
			p.Timeout = time.Hour
			time.Sleep(20 * time.Second) // the app came to the front under a minute ago
			kill, tk := restartServer(r, p, time.Second)
			p2 := r.serve()
			defer p2.Close()
			p2.Reply(p2.WantPacket(7), nil)
			r.wantEnd(tk.TaskID, EctOK, 0)
			d := time.Since(kill)
			if !exact && d > 1500*time.Millisecond {
				t.Fatalf("first task done %v after the kill, want ≤ 1.5s", d)
			}
			if exact && d < DefaultTaskConnectInterval {
				t.Fatalf("exact Mars: first task done %v after the kill, want ≥ the %v floor", d, DefaultTaskConnectInterval)
			}
		})
	}
}

// Ours: the quick retries of a kept link after a drop come 200–300 ms apart
// (250 ms ± 20 %), there are DefaultQuickReconnects of them, and then
// Mars's auto interval (15 s after the previous start) applies again.
func TestQuickReconnectsAreJitteredThenMarsIntervalsApply(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		p.Timeout = time.Hour
		<-r.net.Dialed()
		time.Sleep(20 * time.Second)
		r.lis.Close()
		p.Close()
		var starts []time.Time
		for range DefaultQuickReconnects + 2 {
			<-r.net.Dialed()
			starts = append(starts, time.Now())
		}
		lo, hi := DefaultQuickReconnectInterval*4/5, DefaultQuickReconnectInterval*6/5
		distinct := map[time.Duration]bool{}
		for i := 1; i <= DefaultQuickReconnects; i++ {
			gap := starts[i].Sub(starts[i-1])
			if gap < lo || gap > hi {
				t.Fatalf("retry %d came %v after the previous attempt, want %v–%v", i, gap, lo, hi)
			}
			distinct[gap] = true
		}
		if len(distinct) < 2 {
			t.Fatalf("every quick retry came exactly %v apart: no jitter", starts[1].Sub(starts[0]))
		}
		last := DefaultQuickReconnects + 1
		if gap := starts[last].Sub(starts[last-1]); gap != DefaultAutoConnectInterval {
			t.Fatalf("after the quick retries the next came %v later, want %v", gap, DefaultAutoConnectInterval)
		}
	})
}

// Mars's behaviour while inactive: no quick retries; a refused reconnect
// after a drop waits for the back-off (60 s after the previous start).
func TestInactiveAppHasNoQuickReconnects(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{HeartbeatInterval: -1}) // the link stays up, unanswered, until the drop
		r.e.OnForeground(false)
		p := r.connect()
		p.Timeout = time.Hour
		<-r.net.Dialed()
		time.Sleep(DefaultInactiveAfter + time.Minute)
		r.lis.Close()
		p.Close()
		<-r.net.Dialed()
		first := time.Now()
		<-r.net.Dialed()
		if d := time.Since(first); d != time.Minute {
			t.Fatalf("inactive: refused reconnect retried %v later, want the back-off's 1m0s", d)
		}
	})
}
