package engine

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/engine/internal/fakenet"
	"github.com/mars-go/mars/engine/internal/ipsort"
	"github.com/mars-go/mars/wire/wiretest"
)

// The connect strategy through the engine,
// fakenet under synctest. Debug IPs keep the port order, so a test can put
// a blackholed or refused port first.

// dialTimes records the time of every dial attempt from t0.
func dialTimes(r *rig, t0 time.Time, n int) map[string]time.Duration {
	got := map[string]time.Duration{}
	for range n {
		got[<-r.net.Dialed()] = time.Since(t0)
	}
	return got
}

func netErrors(r *rig) []string {
	var got []string
	for _, l := range r.rec.logged() {
		if strings.HasPrefix(l, "neterr") {
			got = append(got, l)
		}
	}
	return got
}

// blackholeThenGood lists [blackholed :5, listening :7], asks for the link
// and returns the good listener and when each was dialled.
func blackholeThenGood(r *rig) (*fakenet.Listener, map[string]time.Duration) {
	r.net.Blackhole("10.0.0.1:5")
	good := r.net.Listen("10.0.0.1:7")
	r.e.SetLonglinkSvrAddr("srv", []int{5, 7}, "10.0.0.1")
	t0 := time.Now()
	r.e.MakesureLonglinkConnected()
	return good, dialTimes(r, t0, 2)
}

// Mars's behaviour with Mars's timing.
func TestMarsTimingBlackholeThenGoodStartsSecondAtTwoAndAHalfSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{ExactMarsTiming: true})
		good, got := blackholeThenGood(r)
		defer good.Close()
		if got["10.0.0.1:5"] != 0 || got["10.0.0.1:7"] != DefaultConnectInterval {
			t.Fatalf("dial times %v", got)
		}
		c, err := good.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		synctest.Wait()
		want := []string{"neterr 4 110 10.0.0.1:5", "neterr 0 0 10.0.0.1:7"}
		if got := netErrors(r); !slices.Equal(got, want) {
			t.Fatalf("network errors %q, want %q", got, want)
		}
	})
}

// Mars's behaviour: at most three connecting at once.
func TestMarsTimingThreeBlackholesThenGoodConnectsAtTenSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{ExactMarsTiming: true})
		for _, p := range []string{"1", "2", "3"} {
			r.net.Blackhole("10.0.0.1:" + p)
		}
		good := r.net.Listen("10.0.0.1:4")
		defer good.Close()
		r.e.SetLonglinkSvrAddr("srv", []int{1, 2, 3, 4}, "10.0.0.1")
		t0 := time.Now()
		r.e.MakesureLonglinkConnected()
		got := dialTimes(r, t0, 4)
		want := map[string]time.Duration{"10.0.0.1:1": 0, "10.0.0.1:2": 2500 * time.Millisecond,
			"10.0.0.1:3": 5 * time.Second, "10.0.0.1:4": 10 * time.Second}
		for a, d := range want {
			if got[a] != d {
				t.Fatalf("dial times %v, want %v", got, want)
			}
		}
		c, err := good.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	})
}

// Mars's behaviour.
func TestSingleBlackholeFailsAtTenSecondsWithConnectFailed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.net.Blackhole("10.0.0.1:5")
		r.e.SetLonglinkSvrAddr("srv", []int{5}, "10.0.0.1")
		t0 := time.Now()
		r.e.MakesureLonglinkConnected()
		<-r.net.Dialed()
		time.Sleep(DefaultConnectTimeout - time.Millisecond)
		synctest.Wait()
		if slices.Contains(r.rec.logged(), "status 4") {
			t.Fatal("failed before the 10 s connect timeout")
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		log := r.rec.logged()
		if i, j := slices.Index(log, "status 1"), slices.Index(log, "status 4"); i < 0 || j < i {
			t.Fatalf("statuses %q, want 1 then 4", log)
		}
		if !slices.Contains(log, "report -1 2") || !slices.Contains(log, "neterr 4 110 10.0.0.1:5") {
			t.Fatalf("reports %q", log)
		}
		if d := time.Since(t0); d != DefaultConnectTimeout {
			t.Fatalf("at %v", d)
		}
	})
}

// Ours: once a connect time is known on this network, a blackholed first
// address costs the adaptive stagger (here its 250 ms floor), not 2.5 s.
func TestAdaptiveStaggerAfterAMeasuredConnect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		first := r.net.Listen("10.0.0.1:5")
		second := r.net.Listen("10.0.0.1:7")
		defer second.Close()
		r.e.SetLonglinkSvrAddr("srv", []int{5, 7}, "10.0.0.1")
		r.e.MakesureLonglinkConnected()
		c, err := first.Accept()
		if err != nil {
			t.Fatal(err)
		}
		p := wiretest.NewPeer(t, c, r.codec)
		p.Timeout = time.Hour
		p.ReplyNoop(p.WantNoop())
		<-r.net.Dialed()
		time.Sleep(time.Minute)
		first.Close()
		r.net.Blackhole("10.0.0.1:5")
		p.Close() // the server drops the link; a kept link reconnects 500 ms later
		synctest.Wait()
		t0 := time.Now()
		if a := <-r.net.Dialed(); a != "10.0.0.1:5" {
			t.Fatalf("first reconnect dial %s", a)
		}
		t0 = t0.Add(DefaultReconnectDelay)
		if a := <-r.net.Dialed(); a != "10.0.0.1:7" {
			t.Fatalf("second dial %s", a)
		}
		if d := time.Since(t0); d != DefaultMinConnectInterval {
			t.Fatalf("second candidate started %v after the first, want %v", d, DefaultMinConnectInterval)
		}
		sc, err := second.Accept()
		if err != nil {
			t.Fatal(err)
		}
		sc.Close()
	})
}

// Mars's behaviour.
func TestNoAddressIsAConnectFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.e.SetLonglinkSvrAddr("srv", nil, "")
		r.e.MakesureLonglinkConnected()
		synctest.Wait()
		if log := r.rec.logged(); !slices.Contains(log, "status 4") || r.net.Dials(srvAddr) != 0 {
			t.Fatalf("log %q, dials %d", log, r.net.Dials(srvAddr))
		}
	})
}

// Mars's behaviour: three failures ≥ 10 s apart ban an ip:port from the DNS
// answer; a network change (or RedoTasks) offers it again.
func TestRepeatedFailuresBanAnAddressUntilNetworkChange(t *testing.T) {
	for _, redo := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			r := newRig(t, Config{})
			r.rec.newDns = func(string) []string { return []string{"10.0.0.1"} }
			r.e.MakesureLonglinkConnected() // kept: auto reconnects every 15 s
			for range 3 {
				<-r.net.Dialed()
			}
			// The fourth attempt has no DNS address left: the host name
			// stands in, and srv:1 answers.
			if a := <-r.net.Dialed(); a != srvAddr {
				t.Fatalf("dialled %s after three failures, want the banned address skipped", a)
			}
			p := r.accept()
			p.ReplyNoop(p.WantNoop())
			if n := r.net.Dials("10.0.0.1:1"); n != 3 {
				t.Fatalf("%d dials of the banned address", n)
			}
			if redo {
				r.e.RedoTasks()
			} else {
				r.e.OnNetworkChange(NetworkWiFi)
			}
			if a := <-r.net.Dialed(); a != "10.0.0.1:1" {
				t.Fatalf("redo %v: dialled %s, want the unbanned address", redo, a)
			}
		})
	}
}

// Ours (fixed): closing the link on purpose does not count
// against the address; Mars would have banned it after three changes.
func TestUserDisconnectsAreNotFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		l := r.net.Listen("10.0.0.1:1")
		defer l.Close()
		r.rec.newDns = func(string) []string { return []string{"10.0.0.1"} }
		r.e.MakesureLonglinkConnected()
		for i := range 5 {
			c, err := l.Accept()
			if err != nil {
				t.Fatal(err)
			}
			p := wiretest.NewPeer(t, c, r.codec)
			p.ReplyNoop(p.WantNoop())
			if i < 4 {
				time.Sleep(time.Minute)
				r.e.OnNetworkChange(NetworkWiFi)
			}
		}
		if n, m := r.net.Dials("10.0.0.1:1"), r.net.Dials(srvAddr); n != 5 || m != 0 {
			t.Fatalf("%d dials of the address, %d of the host name; want 5 and 0", n, m)
		}
		var n int
		r.onOwner(func(o *owner) { n = o.scores.Failures(ipsort.Item{IP: "10.0.0.1", Port: 1}) })
		if n != 0 {
			t.Fatalf("%d failures recorded for network changes", n)
		}
	})
}

// Mars's behaviour: with no OnNewDns answer the system resolver's is used.
func TestSystemResolverStandsInForOnNewDns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		l := r.net.Listen("10.0.0.5:1")
		defer l.Close()
		r.res.Set("srv", 300*time.Millisecond, "10.0.0.5")
		r.e.MakesureLonglinkConnected()
		c, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		if r.net.Dials(srvAddr) != 0 || r.res.Asked("srv") != 1 {
			t.Fatalf("dials of the bare name %d, lookups %d", r.net.Dials(srvAddr), r.res.Asked("srv"))
		}
	})
}

// Mars's behaviour: without backup IPs, the resolver's answer backs up OnNewDns's.
func TestResolverAnswerBacksUpOnNewDns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		l := r.net.Listen("10.0.0.7:1")
		defer l.Close()
		r.rec.newDns = func(string) []string { return []string{"10.0.0.1"} } // refused
		r.res.Set("srv", 0, "10.0.0.7")
		r.e.MakesureLonglinkConnected()
		c, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		synctest.Wait()
		want := []string{"neterr 4 111 10.0.0.1:1", "neterr 0 0 10.0.0.7:1"}
		if got := netErrors(r); len(got) < 2 || !slices.Equal(got[:2], want) {
			t.Fatalf("network events %q, want %q", got, want)
		}
	})
}

// RFC 8305 §4: dual-stack answers are tried IPv6 first, alternating.
func TestDualStackCandidatesAlternateFamilies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.newDns = func(string) []string { return []string{"10.0.0.1", "10.0.0.2", "fd00::1", "fd00::2"} }
		r.e.MakesureLonglinkConnected() // all refused
		fam := ""
		for range 4 {
			if a := <-r.net.Dialed(); strings.HasPrefix(a, "[") {
				fam += "6"
			} else {
				fam += "4"
			}
		}
		if fam != "6464" {
			t.Fatalf("families in dial order %s, want 6464", fam)
		}
	})
}

// The IP history and connect times are saved under AppFilePath on Close
// and reloaded by the next engine.
func TestHistoryIsSavedUnderAppFilePath(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{AppFilePath: dir, NetworkLabel: "wifi:home"})
		l := r.net.Listen("10.0.0.3:1")
		defer l.Close()
		r.rec.newDns = func(string) []string { return []string{"10.0.0.3"} }
		r.e.MakesureLonglinkConnected()
		c, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		synctest.Wait()
		r.e.Close()
	})
	b, err := os.ReadFile(filepath.Join(dir, ipsort.FileName))
	if err != nil || !strings.Contains(string(b), `"wifi:home"`) || !strings.Contains(string(b), "10.0.0.3:1") {
		t.Fatalf("history %s, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, rttFile)); err != nil {
		t.Fatalf("connect times not saved: %v", err)
	}
	// The next session on this network knows the connect time: a
	// blackholed first address costs the 250 ms floor, not 2.5 s.
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{AppFilePath: dir, NetworkLabel: "wifi:home"})
		r.net.Blackhole("10.0.0.1:5")
		good := r.net.Listen("10.0.0.1:7")
		defer good.Close()
		r.e.SetLonglinkSvrAddr("srv", []int{5, 7}, "10.0.0.1")
		t0 := time.Now()
		r.e.MakesureLonglinkConnected()
		if got := dialTimes(r, t0, 2); got["10.0.0.1:7"] != DefaultMinConnectInterval {
			t.Fatalf("dial times %v, want the second at %v", got, DefaultMinConnectInterval)
		}
		c, err := good.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	})
}
