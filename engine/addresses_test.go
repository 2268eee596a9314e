package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestDebugIPSkipsOnNewDnsAndSetDebugIPWins(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		dbg := r.net.Listen("10.0.0.2:1")
		defer dbg.Close()
		r.e.SetLonglinkSvrAddr("srv", []int{1}, "10.0.0.1") // nothing listens there
		r.e.SetDebugIP("srv", "10.0.0.2")
		r.e.MakesureLonglinkConnected()
		c, err := dbg.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		if n := count(r.rec.logged(), "newdns"); n != 0 {
			t.Fatalf("OnNewDns called %d times with a debug IP", n)
		}
		if r.net.Dials("10.0.0.1:1") != 0 {
			t.Fatal("the SetLonglinkSvrAddr debug IP was dialled despite SetDebugIP")
		}
	})
}

func TestOnNewDnsAnswerIsDialledSpreadOverIPs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		good := r.net.Listen("10.0.0.7:2")
		defer good.Close()
		r.rec.newDns = func(string) []string { return []string{"10.0.0.6", "10.0.0.7"} }
		r.e.SetLonglinkSvrAddr("srv", []int{1, 2}, "")
		r.e.MakesureLonglinkConnected()
		c, err := good.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		var dialled []string
		for len(r.net.Dialed()) > 0 {
			dialled = append(dialled, <-r.net.Dialed())
		}
		// Scoring shuffles equals and spreads ports of one IP apart;
		// the race stops at the first connection.
		want := []string{"10.0.0.6:1", "10.0.0.6:2", "10.0.0.7:1", "10.0.0.7:2"}
		for i, a := range dialled {
			if !slices.Contains(want, a) || slices.Contains(dialled[:i], a) {
				t.Fatalf("dialled %v, want some of %v, each once", dialled, want)
			}
			if i > 0 && a[:8] == dialled[i-1][:8] {
				t.Fatalf("dialled %v: neighbours share an IP", dialled)
			}
		}
		if got := r.rec.logged(); !slices.Contains(got, "newdns srv true") || count(got, "newdns") != 1 {
			t.Fatalf("OnNewDns calls: %q", got)
		}
	})
}

func TestSlowOnNewDnsIsAbandonedAfterTwoSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		late := make(chan struct{})
		r.rec.newDns = func(string) []string {
			defer close(late)
			time.Sleep(3 * time.Second)
			return []string{"10.9.9.9"}
		}
		start := time.Now()
		r.e.MakesureLonglinkConnected()
		p := r.accept() // the host name "srv" stands in
		p.WantNoop()
		if d := time.Since(start); d != 2*time.Second {
			t.Fatalf("connected after %v, want the 2 s OnNewDns deadline", d)
		}
		<-late // the abandoned call returns on its own; its answer is dropped
		p.WantNothing(time.Second)
	})
}

func TestBackupIPsFollowAnUnreachableHost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		backup := r.net.Listen("10.0.0.9:1")
		defer backup.Close()
		r.e.SetLonglinkSvrAddr("nohost", []int{1}, "")
		r.e.SetBackupIPs("nohost", []string{"10.0.0.9"})
		r.e.MakesureLonglinkConnected()
		c, err := backup.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		if r.res.Asked("nohost") == 0 {
			t.Fatal("the system resolver was not asked before the backups")
		}
		if r.net.Dials("nohost:1") != 0 {
			t.Fatal("the bare host name was dialled although backup IPs exist")
		}
	})
}

func TestStaticAddressesNeedHostAndPorts(t *testing.T) {
	ctx := context.Background()
	if _, err := (StaticAddresses{}).LongLinkCandidates(ctx, AddressSettings{LongLinkHost: "h"}); err == nil {
		t.Fatal("no ports accepted")
	}
	got, err := (StaticAddresses{}).LongLinkCandidates(ctx, AddressSettings{
		LongLinkHost: "h", LongLinkPorts: []int{1, 2}, BackupIPs: map[string][]string{"h": {"b", "h"}},
	})
	if err != nil || len(got) != 4 || got[0].String() != "h:1" || got[3].String() != "b:2" {
		t.Fatalf("candidates %v, %v", got, err)
	}
}

// Mars's behaviour with a debug IP (kept in port order): [blackhole, refused,
// good]. Mars's timing starts them 2.5 s apart whatever happens, so the good
// one connects at 5 s; ours (no connect time measured yet, so the 250 ms
// Wi-Fi first guess) starts the next at once after the refusal: 250 ms.
// Either way the
// refusal is reported when it happens and the abandoned blackhole as
// ETIMEDOUT when the good one wins.
func TestCandidatesAreRacedAndFailuresReported(t *testing.T) {
	for _, tc := range []struct {
		exact bool
		want  time.Duration
	}{{true, 5 * time.Second}, {false, DefaultFirstConnectInterval}} {
		synctest.Test(t, func(t *testing.T) {
			r := newRig(t, Config{ExactMarsTiming: tc.exact})
			r.net.Blackhole("10.0.0.1:5")
			good := r.net.Listen("10.0.0.1:7")
			defer good.Close()
			r.e.SetLonglinkSvrAddr("srv", []int{5, 6, 7}, "10.0.0.1") // 6: refused
			start := time.Now()
			r.e.MakesureLonglinkConnected()
			c, err := good.Accept()
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if d := time.Since(start); d != tc.want {
				t.Fatalf("exact %v: connected after %v, want %v", tc.exact, d, tc.want)
			}
			synctest.Wait()
			want := []string{"neterr 4 111 10.0.0.1:6", "neterr 4 110 10.0.0.1:5", "neterr 0 0 10.0.0.1:7"}
			var got []string
			for _, l := range r.rec.logged() {
				if strings.HasPrefix(l, "neterr") {
					got = append(got, l)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("network errors %q, want %q", got, want)
			}
		})
	}
}
