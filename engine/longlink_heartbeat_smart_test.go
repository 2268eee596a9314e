package engine

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/engine/internal/heartbeat"
	"github.com/mars-go/mars/wire/wiretest"
)

const day = 24 * time.Hour

// natRun runs an engine in mode against a NAT forgetting idle connections
// after natTimeout, for d of virtual time. It returns the heartbeats sent
// and the connections the NAT dropped.
func natRun(t *testing.T, cfg Config, natTimeout, d time.Duration) (e *Engine, nat *natServer) {
	t.Helper()
	r := newRig(t, cfg)
	nat = &natServer{timeout: natTimeout, codec: r.codec}
	nat.serve(t, r.lis)
	r.e.OnForeground(false) // the learned interval applies once inactive, 10 min on
	r.e.MakesureLonglinkConnected()
	time.Sleep(d)
	return r.e, nat
}

func TestSmartHeartbeatConvergesJustUnderTheNATTimeoutOverAWeek(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		const nat = 400 * time.Second
		start := time.Now()
		e, srv := natRun(t, Config{HeartbeatMode: HeartbeatSmart, AppFilePath: dir}, nat, 7*day)
		noops, drops, dropAt := srv.counts()
		got := e.HeartbeatInterval()
		if got >= nat || got < nat-DefaultSmartHeartbeatBackoff {
			t.Fatalf("learned %v, want just under the NAT's %v", got, nat)
		}
		if drops > 2 {
			t.Fatalf("%d drops in a week, want at most 2 (both while learning)", drops)
		}
		for _, at := range dropAt {
			if at.Sub(start) > 3*time.Hour {
				t.Fatalf("a drop %v in: after convergence", at.Sub(start))
			}
		}
		// Fixed 210 s would have sent about 7 d / 210 s = 2880.
		if noops > 7*int(day/got)+100 {
			t.Fatalf("%d heartbeats in a week at %v", noops, got)
		}
		data, err := os.ReadFile(filepath.Join(dir, heartbeat.FileName))
		if err != nil {
			t.Fatal(err)
		}
		s, err := heartbeat.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		if rec := s["wifi"]; rec.Interval != got || rec.Phase != heartbeat.Stable {
			t.Fatalf("stored %+v, want stable at %v", rec, got)
		}
		t.Logf("learned %v; %d heartbeats, %d drops in a week", got, noops, drops)
	})
}

// TestSmartHeartbeat24hAgainstA300sNAT is the day of the benchmark:
// smart heartbeat against fixed 210 s and a 60 s MQTT-style keep-alive.
func TestSmartHeartbeat24hAgainstA300sNAT(t *testing.T) {
	const nat = 300 * time.Second
	type result struct{ noops, drops int }
	run := func(cfg Config) (res result) {
		synctest.Test(t, func(t *testing.T) {
			_, srv := natRun(t, cfg, nat, day)
			res.noops, res.drops, _ = srv.counts()
		})
		return res
	}
	smart := run(Config{HeartbeatMode: HeartbeatSmart})
	fixed := run(Config{})
	mqtt := run(Config{HeartbeatInterval: 60 * time.Second})
	t.Logf("24 h, NAT timeout 300 s: smart %d heartbeats / %d drops; fixed 210 s %d / %d; 60 s %d / %d",
		smart.noops, smart.drops, fixed.noops, fixed.drops, mqtt.noops, mqtt.drops)
	if fixed.drops != 0 || mqtt.drops != 0 {
		t.Fatalf("fixed intervals under the NAT timeout dropped: %d, %d", fixed.drops, mqtt.drops)
	}
	if smart.drops > 2 {
		t.Fatalf("smart heartbeat: %d drops, want at most 2", smart.drops)
	}
	if float64(smart.noops) > 0.8*float64(fixed.noops) {
		t.Fatalf("smart heartbeat sent %d, want ≥ 20%% fewer than fixed 210 s (%d)", smart.noops, fixed.noops)
	}
}

// storeHeartbeat writes a stable 330 s record for the network "home".
func storeHeartbeat(t *testing.T, dir string) {
	t.Helper()
	s := heartbeat.Store{}
	s.Put(heartbeat.Record{Label: "home", Interval: 330 * time.Second, Proven: 330 * time.Second,
		Phase: heartbeat.Stable, Modified: time.Now()})
	if err := os.WriteFile(filepath.Join(dir, heartbeat.FileName), s.Marshal(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// heartbeatGaps answers n heartbeats and returns the time before each.
func heartbeatGaps(p *wiretest.Peer, n int) []time.Duration {
	var gaps []time.Duration
	last := time.Now()
	for range n {
		p.ReplyNoop(p.WantNoop())
		gaps = append(gaps, time.Since(last))
		last = time.Now()
	}
	return gaps
}

// The warm-up straddles the app going inactive (at 600 s), so the fourth
// heartbeat already uses the stored value.
func TestSmartHeartbeatRestoresTheStoredIntervalAfterWarmUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		storeHeartbeat(t, dir)
		r := newRig(t, Config{HeartbeatMode: HeartbeatSmart, AppFilePath: dir, NetworkLabel: "home"})
		r.e.OnForeground(false)
		p := r.connect()
		p.Timeout = time.Hour
		gaps := heartbeatGaps(p, 5)
		want := []time.Duration{210 * time.Second, 210 * time.Second, 210 * time.Second, 330 * time.Second, 330 * time.Second}
		for i := range want {
			if gaps[i] != want[i] {
				t.Fatalf("heartbeat gaps %v, want %v (3 warm-up, then the stored value)", gaps, want)
			}
		}
		if got := r.e.HeartbeatInterval(); got != 330*time.Second {
			t.Fatalf("HeartbeatInterval %v, want 330s", got)
		}
	})
}

// Mars's behaviour: while the process is active the smart heartbeat stays
// at 210 s whatever it learned; once inactive the stored value applies.
func TestSmartHeartbeatUsesTheLearnedIntervalOnlyWhileInactive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		storeHeartbeat(t, dir)
		r := newRig(t, Config{HeartbeatMode: HeartbeatSmart, AppFilePath: dir, NetworkLabel: "home"})
		p := r.connect()
		p.Timeout = time.Hour
		for i, gap := range heartbeatGaps(p, 5) {
			if gap != DefaultSmartHeartbeatMin {
				t.Fatalf("active: heartbeat %d after %v, want %v", i, gap, DefaultSmartHeartbeatMin)
			}
		}
		if got := r.e.HeartbeatInterval(); got != DefaultSmartHeartbeatMin {
			t.Fatalf("active: HeartbeatInterval %v, want %v", got, DefaultSmartHeartbeatMin)
		}
		r.e.OnForeground(false) // inactive 600 s on: the heartbeat due at 630 s waits for 750 s
		gaps := heartbeatGaps(p, 4)
		want := []time.Duration{210 * time.Second, 210 * time.Second, 330 * time.Second, 330 * time.Second}
		if !slices.Equal(gaps, want) {
			t.Fatalf("going inactive: heartbeat gaps %v, want %v", gaps, want)
		}
		r.e.OnForeground(true)
		if got := r.e.HeartbeatInterval(); got != DefaultSmartHeartbeatMin {
			t.Fatalf("active again: HeartbeatInterval %v, want %v", got, DefaultSmartHeartbeatMin)
		}
	})
}

func TestSmartHeartbeatKeepsOneRecordPerNetworkLabel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		r := newRig(t, Config{HeartbeatMode: HeartbeatSmart, AppFilePath: dir, NetworkLabel: "office"})
		p := r.connect()
		p.Timeout = time.Hour
		for range 5 { // five answered at 210 s: office moves to 270 s
			p.ReplyNoop(p.WantNoop())
		}
		synctest.Wait() // the last answer reached the engine
		r.e.OnNetworkChangeWithLabel(NetworkWiFi, "cafe")
		p.WantClosed()
		p2 := r.accept()
		p2.Timeout = time.Hour
		p2.ReplyNoop(p2.WantNoop())
		if got := r.e.HeartbeatInterval(); got != DefaultSmartHeartbeatMin {
			t.Fatalf("new network: %v, want 210s", got)
		}
		data, err := os.ReadFile(filepath.Join(dir, heartbeat.FileName))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), `["office"]`) || !strings.Contains(string(data), "curHeart=270000") {
			t.Fatalf("store lacks office at 270 s:\n%s", data)
		}
	})
}

func TestPassiveHeartbeatSendsOnlyOnTrigNoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{HeartbeatMode: HeartbeatPassive})
		p := r.connect() // the connect slot (identify or noop) still runs
		if got := r.e.HeartbeatInterval(); got != 0 {
			t.Fatalf("HeartbeatInterval %v in passive mode, want 0", got)
		}
		p.Timeout = time.Hour
		time.Sleep(time.Hour)
		synctest.Wait()
		r.e.TrigNoop()
		sent := time.Now()
		p.WantNoop()
		if time.Since(sent) != 0 {
			t.Fatal("no noop in a passive hour but TrigNoop's came late")
		}
		// Unanswered: the link closes after NoopTimeout.
		p.Timeout = 20 * time.Second
		p.WantClosed()
		if d := time.Since(sent); d != DefaultNoopTimeout {
			t.Fatalf("closed %v after TrigNoop, want %v", d, DefaultNoopTimeout)
		}
	})
}

func TestSetHeartbeatModeSwitchesAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{HeartbeatMode: HeartbeatPassive})
		p := r.connect()
		p.Timeout = time.Hour
		t0 := time.Now()
		r.e.SetHeartbeatMode(HeartbeatFixed)
		p.ReplyNoop(p.WantNoop())
		if d := time.Since(t0); d != DefaultHeartbeatInterval {
			t.Fatalf("first fixed noop %v after the switch, want %v", d, DefaultHeartbeatInterval)
		}
		if got := r.e.HeartbeatInterval(); got != DefaultHeartbeatInterval {
			t.Fatalf("HeartbeatInterval %v", got)
		}
	})
}

func TestConfigRejectsUnknownHeartbeatMode(t *testing.T) {
	if _, err := New(Config{HeartbeatMode: 7}, nil); err == nil {
		t.Fatal("New accepted HeartbeatMode 7")
	}
}
