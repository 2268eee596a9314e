package heartbeat

import (
	"testing"
	"time"
)

// natDay simulates 24 h of a long link behind a NAT that forgets a
// connection idle for longer than nat: a connect noop, then a heartbeat
// after each interval of idleness (the learner's, or fixed); a heartbeat
// sent after the NAT forgot the connection is lost, the client gives up
// after the 8 s noop timeout and reconnects 500 ms later. It returns the
// heartbeats sent (connect noops included) and the connections dropped.
func natDay(l *Learner, fixed, nat time.Duration) (heartbeats, drops int) {
	const noopTimeout, reconnect = 8 * time.Second, 500 * time.Millisecond
	now := t0
	end := t0.Add(24 * time.Hour)
	connect := func() {
		heartbeats++ // the connect noop, answered
		if l != nil {
			l.Connected()
		}
	}
	connect()
	for {
		iv := fixed
		if l != nil {
			iv = l.Interval()
		}
		now = now.Add(iv)
		if now.After(end) {
			return heartbeats, drops
		}
		heartbeats++
		ok := iv <= nat
		if l != nil {
			l.Result(iv, ok, now)
		}
		if !ok {
			drops++
			now = now.Add(noopTimeout + reconnect)
			connect()
		}
	}
}

// BenchmarkNAT24h compares, over a simulated day behind a 300 s NAT, the
// smart heartbeat with Mars's fixed 210 s and a 60 s MQTT-style keep-alive.
// The engine runs the same day end to end in
// TestSmartHeartbeat24hAgainstA300sNAT (engine package).
func BenchmarkNAT24h(b *testing.B) {
	const nat = 300 * time.Second
	b.Logf("24 h behind a NAT dropping connections idle > %v: heartbeats sent and connections dropped", nat)
	for _, tc := range []struct {
		name  string
		fixed time.Duration
	}{{"smart", 0}, {"fixed210s", 210 * time.Second}, {"mqtt60s", 60 * time.Second}} {
		b.Run(tc.name, func(b *testing.B) {
			var hb, drops int
			for b.Loop() {
				var l *Learner
				if tc.fixed == 0 {
					l = New(marsParams, Record{Label: "wifi"}, t0)
				}
				hb, drops = natDay(l, tc.fixed, nat)
			}
			b.ReportMetric(float64(hb), "heartbeats/24h")
			b.ReportMetric(float64(drops), "drops/24h")
		})
	}
}

func TestNATDayMeetsTheTargets(t *testing.T) {
	const nat = 300 * time.Second
	smart, smartDrops := natDay(New(marsParams, Record{Label: "wifi"}, t0), 0, nat)
	fixed, fixedDrops := natDay(nil, 210*time.Second, nat)
	if smartDrops > 2 || fixedDrops != 0 {
		t.Fatalf("drops: smart %d, fixed %d", smartDrops, fixedDrops)
	}
	if float64(smart) > 0.8*float64(fixed) {
		t.Fatalf("smart %d heartbeats, fixed %d: want ≥ 20%% fewer", smart, fixed)
	}
}
