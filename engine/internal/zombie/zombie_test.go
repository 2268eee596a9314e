package zombie

import (
	"testing"
	"time"
)

// marsPolicy is Mars's, as the engine passes it.
var marsPolicy = Policy{IdleRestart: 60 * time.Second}

func TestPark(t *testing.T) {
	base := Candidate{Cause: Network, TotalTimeout: 60 * time.Second, Elapsed: 10 * time.Second}
	if rem, ok := marsPolicy.Park(base); !ok || rem != 50*time.Second {
		t.Fatalf("Park = %v %v, want 50s true", rem, ok)
	}
	for name, c := range map[string]Candidate{
		"host":       {Cause: Host, TotalTimeout: time.Minute},
		"local":      {Cause: Local, TotalTimeout: time.Minute},
		"sensitive":  {Cause: Network, Sensitive: true, TotalTimeout: time.Minute},
		"no total":   {Cause: Network, TotalTimeout: -1},
		"spent":      {Cause: Network, TotalTimeout: time.Minute, Elapsed: time.Minute},
		"again":      {Cause: Network, TotalTimeout: time.Minute, FromPark: true},
		"will retry": {Cause: Network, TotalTimeout: time.Minute, HasRetriesLeft: true},
	} {
		if _, ok := marsPolicy.Park(c); ok {
			t.Errorf("%s: parked", name)
		}
	}
}

func TestRestartAtWaitsForBothIdleRules(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := marsPolicy.RestartAt(t0, t0.Add(-time.Hour)); !got.Equal(t0.Add(time.Minute)) {
		t.Fatalf("RestartAt = %v, want parked + 60s", got)
	}
	if got := marsPolicy.RestartAt(t0, t0.Add(30*time.Second)); !got.Equal(t0.Add(90 * time.Second)) {
		t.Fatalf("RestartAt = %v, want last start + 60s", got)
	}
}
