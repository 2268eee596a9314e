package engine

import (
	"fmt"
	"testing"
	"testing/synctest"
	"time"
)

// Mars's behaviour: an active process races 5 addresses from DNS and a
// backup, an inactive one 4 and a backup.
func TestInactiveProcessRacesFourAddressesAndABackup(t *testing.T) {
	for _, tc := range []struct {
		inactive bool
		want     int
	}{{false, 6}, {true, 5}} {
		synctest.Test(t, func(t *testing.T) {
			r := newRig(t, Config{})
			var primary []string
			for i := 1; i <= 6; i++ {
				primary = append(primary, fmt.Sprintf("10.0.0.%d", i))
			}
			backup := []string{"10.0.1.1", "10.0.1.2"}
			r.rec.newDns = func(string) []string { return primary }
			r.e.SetBackupIPs("srv", backup)
			if tc.inactive {
				r.e.OnForeground(false)
				time.Sleep(DefaultInactiveAfter)
			}
			r.e.MakesureLonglinkConnected() // nothing listens: every candidate is refused
			synctest.Wait()
			dials := 0
			for _, ip := range append(primary, backup...) {
				dials += r.net.Dials(ip + ":1")
			}
			if dials != tc.want {
				t.Fatalf("inactive %v: %d candidates dialled, want %d", tc.inactive, dials, tc.want)
			}
		})
	}
}
