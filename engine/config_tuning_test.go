package engine

import (
	"reflect"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/wire/wiretest"
)

func TestPolicyNumbersDefaultToMars(t *testing.T) {
	c := Config{}.withDefaults()
	for _, tc := range []struct{ got, want any }{
		{c.FrequencyLimit, FrequencyLimitConfig{30, 105, time.Hour, 10 * time.Minute, 75, 99}},
		{c.FlowLimit, FlowLimitConfig{80 << 20, 80 << 20, 20 << 20, 60 << 20}},
		{c.ZombieIdleRestart, time.Minute},
		{c.SmartHeartbeat, SmartHeartbeatConfig{210 * time.Second, 580 * time.Second, time.Minute,
			80 * time.Second, 20 * time.Second, 7 * 24 * time.Hour, 5, 2, 3}},
		{c.TimingSyncPeriods, TimingSyncConfig{90 * time.Second, 4 * time.Minute, 10 * time.Minute, 3}},
		{c.Recovery, RecoveryConfig{150 * time.Second, 10 * time.Second, 30}},
		{c.DynamicTimeout, DynamicTimeoutConfig{0, 10, 6, 10, 5 * time.Minute}},
		{c.Quality, QualityConfig{2 * time.Second, 300 * time.Millisecond, time.Minute, 4096,
			5 * time.Second, 600 * time.Millisecond}},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("default %+v, want %+v", tc.got, tc.want)
		}
	}
	dt := c.DynamicTimeout
	if dt.excellentFirstPacket(NetworkWiFi) != 7*time.Second || dt.excellentFirstPacket(NetworkMobile) != 10*time.Second {
		t.Error("excellent first-packet timeout does not follow the network")
	}
	dt.ExcellentFirstPacketTimeout = 3 * time.Second
	if dt.excellentFirstPacket(NetworkMobile) != 3*time.Second {
		t.Error("a set excellent first-packet timeout does not apply on mobile")
	}
}

func TestPolicyNumbersKeepTheHostsValues(t *testing.T) {
	own := Config{FrequencyLimit: FrequencyLimitConfig{Intercept: 3}, FlowLimit: FlowLimitConfig{Capacity: 1 << 30},
		ZombieIdleRestart: time.Second, SmartHeartbeat: SmartHeartbeatConfig{Max: 900 * time.Second},
		TimingSyncPeriods: TimingSyncConfig{NoNetFactor: 1}, Recovery: RecoveryConfig{ProbesPerHour: 2},
		DynamicTimeout: DynamicTimeoutConfig{Window: time.Minute}, Quality: QualityConfig{WeakHold: time.Second}}
	c := own.withDefaults()
	if c.FrequencyLimit.params().Intercept != 3 || c.FlowLimit.params().Capacity != 1<<30 ||
		c.zombiePolicy().IdleRestart != time.Second || c.SmartHeartbeat.params().Max != 900*time.Second ||
		c.TimingSyncPeriods.params().NoNetFactor != 1 || c.Recovery.ProbesPerHour != 2 ||
		c.DynamicTimeout.params().Window != time.Minute || c.Quality.params().WeakHold != time.Second {
		t.Fatalf("a value the host set was replaced: %+v", c)
	}
	if c.FrequencyLimit.Records != DefaultFrequencyRecords || c.SmartHeartbeat.Min != DefaultSmartHeartbeatMin {
		t.Fatalf("the fields left zero were not filled: %+v", c)
	}
}

func TestPolicyNumberProblemsComeInFieldOrder(t *testing.T) {
	bad := Config{
		FrequencyLimit:    FrequencyLimitConfig{KeepCount: 50, KeepCap: 40},
		FlowLimit:         FlowLimitConfig{ActiveRate: -1},
		ZombieIdleRestart: -time.Second,
		SmartHeartbeat:    SmartHeartbeatConfig{Min: 600 * time.Second},
		Recovery:          RecoveryConfig{ProbesPerHour: -3},
		DynamicTimeout:    DynamicTimeoutConfig{Slots: 6},
		Quality:           QualityConfig{GoodRTT: 3 * time.Second},
	}
	want := []string{"FlowLimit.ActiveRate is negative", "ZombieIdleRestart is negative",
		"Recovery.ProbesPerHour is negative", "FrequencyLimit.KeepCount 50 exceeds", "SmartHeartbeat.Min 10m0s exceeds",
		"Quality.GoodRTT 3s exceeds", "DynamicTimeout.BadAtOK 6 is not below Slots 6"}
	_, err := New(bad, nil)
	if err == nil {
		t.Fatal("New accepted nonsense policy numbers")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("errors %q, want %d", lines, len(want))
	}
	for i, w := range want {
		if !strings.Contains(lines[i], "Config."+w) {
			t.Fatalf("error %d is %q, want Config.%s", i, lines[i], w)
		}
	}
}

func TestZombieIdleRestartIsTheHosts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{ZombieIdleRestart: 7 * time.Second})
		start := time.Now()
		parkShortZombie(t, r, f, 5*time.Minute)
		if d := f.next(t).at.Sub(start); d != 7*time.Second {
			t.Fatalf("restarted %v after the park, want the configured 7s", d)
		}
	})
}

func TestRecoveryPeriodIsTheHosts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{Recovery: RecoveryConfig{Period: 20 * time.Second}})
		linkOnBackup(r, time.Hour)
		connected := time.Now()
		primary := r.net.Listen("10.0.0.1:1")
		defer primary.Close()
		acceptOn(r, primary)
		if d := time.Since(connected); d != 20*time.Second {
			t.Fatalf("probe after %v, want the configured 20s", d)
		}
	})
}

func TestSmartHeartbeatMinIsTheHosts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{HeartbeatMode: HeartbeatSmart, SmartHeartbeat: SmartHeartbeatConfig{Min: 100 * time.Second}})
		p := r.connect()
		p.Timeout = time.Hour
		for i, gap := range heartbeatGaps(p, 4) {
			if gap != 100*time.Second {
				t.Fatalf("heartbeat %d after %v, want the configured 100s", i, gap)
			}
		}
	})
}

func TestDynamicTimeoutNumbersAreTheHosts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{DynamicTimeout: DynamicTimeoutConfig{ExcellentFirstPacketTimeout: 4 * time.Second,
			Consecutive: 3}})
		r.rec.onReq2Buf = func(ref TaskRef) ([]byte, int, bool) { return make([]byte, 4<<10), 0, true }
		p := r.connect()
		run := func() ended { return fastLongTask(r, p, 0) }
		for range 3 {
			run()
		}
		if q := r.e.NetworkQuality(); q.DynamicTimeout != DynamicExcellent {
			t.Fatalf("after three fast tasks with Consecutive 3: %+v, want excellent", q)
		}
		if got := run(); got.prof.FirstPkgTimeout != 4*time.Second {
			t.Fatalf("excellent network: first-packet timeout %v, want the configured 4s", got.prof.FirstPkgTimeout)
		}
	})
}

func TestFrequencyLimitInterceptIsTheHosts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, _ := newPolicyRig(t, Config{FrequencyLimit: FrequencyLimitConfig{Intercept: 3}}, false)
		r.rec.onReq2Buf = func(TaskRef) ([]byte, int, bool) { return []byte("same body"), 0, true }
		p := r.connect()
		var last Task
		for range 4 {
			tk := r.task(7)
			tk.ChannelSelect = ChannelLong
			last = r.start(tk)
		}
		r.wantEnd(last.TaskID, EctLocal, EctLocalAntiAvalanche)
		for range 3 {
			p.Next()
		}
		r.wantNoEnd()
	})
}

// fastLongTask runs a long-link task of known server cost whose answer
// comes after cost, and returns its end.
func fastLongTask(r *rig, p *wiretest.Peer, cost time.Duration) ended {
	tk := r.task(7)
	tk.ChannelSelect, tk.ServerProcessCost = ChannelLong, 0
	r.start(tk)
	req := p.WantPacket(7)
	time.Sleep(cost)
	p.Reply(req, []byte("ok"))
	return r.wantEnd(tk.TaskID, EctOK, 0)
}
