package engine

import (
	"reflect"
	"strings"
	"testing"
	"testing/synctest"
	"time"
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
