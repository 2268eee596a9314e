//go:build !mars_xlog_only

package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/mars-go/mars/sdt"
	"github.com/mars-go/mars/sdt/netcheck"
)

// The net-check extensions reach the C table; NULL entries give the
// engine's defaults (no hosts, the report dropped).
func TestNetCheckCallbacksReachC(t *testing.T) {
	asked0, reports0, _, _ := testNetCheckSeen()
	none := testNetCheckCallbacks(false)
	if hosts := none.RequestNetCheckShortLinkHosts(); hosts != nil {
		t.Errorf("NULL request_netcheck_hosts gave %q, want nil", hosts)
	}
	none.OnNetCheckResult(&sdt.Report{Reason: sdt.ReasonOK})
	if asked, reports, _, _ := testNetCheckSeen(); asked != asked0 || reports != reports0 {
		t.Fatal("a NULL net-check callback was called")
	}

	h := testNetCheckCallbacks(true)
	if hosts := h.RequestNetCheckShortLinkHosts(); strings.Join(hosts, ",") != "a.example,b.example" {
		t.Errorf("hosts %q, want a.example and b.example", hosts)
	}
	rep := &sdt.Report{Reason: sdt.ReasonOK, Results: []sdt.Result{{Kind: sdt.KindTCP, Target: "127.0.0.1:9", Reason: sdt.ReasonOK, OK: true}}}
	h.OnNetCheckResult(rep)
	asked, reports, lenOK, json := testNetCheckSeen()
	if asked != asked0+1 || reports != reports0+1 {
		t.Fatalf("C saw %d asks and %d reports, want 1 each", asked-asked0, reports-reports0)
	}
	if !lenOK || !strings.Contains(json, `"target":"127.0.0.1:9"`) || !strings.HasPrefix(json, "{") {
		t.Fatalf("report JSON %q (length matched: %v), want the report", json, lenOK)
	}
}

// In poll mode the report is queued until mars_stn_poll; the host question
// is answered at once.
func TestNetCheckResultQueuedInPollMode(t *testing.T) {
	h := testNetCheckCallbacks(true)
	h.q = newPollQueue(0, nil)
	asked0, reports0, _, _ := testNetCheckSeen()
	h.RequestNetCheckShortLinkHosts()
	h.OnNetCheckResult(&sdt.Report{Reason: sdt.ReasonOK})
	if asked, reports, _, _ := testNetCheckSeen(); asked != asked0+1 || reports != reports0 {
		t.Fatalf("before poll: %d asks, %d reports; want 1, 0", asked-asked0, reports-reports0)
	}
	if n := h.q.poll(0); n != 1 {
		t.Fatalf("poll ran %d callbacks, want 1", n)
	}
	if _, reports, lenOK, _ := testNetCheckSeen(); reports != reports0+1 || !lenOK {
		t.Fatalf("after poll: %d reports (length matched: %v), want 1", reports-reports0, lenOK)
	}
}

func TestNetCheckConfig(t *testing.T) {
	if w, b, g := testNetCheckDefaults(); w != netcheck.DefaultWindow || b != netcheck.DefaultBadBelow || g != netcheck.DefaultGoodAbove {
		t.Errorf("config_init wrote window %d, bad %d, good %d; want netcheck's defaults", w, b, g)
	}
	cfg, err := testNetCheckConfig(true, "/nc", 2, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := netcheck.Config{Window: 2, BadBelow: 1, GoodAbove: 1}
	if !cfg.NoNetCheck || cfg.NetCheckCGI != "/nc" || cfg.NetCheckTrigger != want {
		t.Errorf("converted %v %q %+v; want true, /nc, %+v", cfg.NoNetCheck, cfg.NetCheckCGI, cfg.NetCheckTrigger, want)
	}
	if cfg, err := testNetCheckConfig(false, "", 0, 0, 0); err != nil || cfg.NoNetCheck || cfg.NetCheckTrigger != (netcheck.Config{}) {
		t.Errorf("zero fields: %+v, %v; want on with the trigger's defaults", cfg.NetCheckTrigger, err)
	}
	for _, bad := range [][3]int32{{-1, 0, 0}, {0, -3, 0}, {0, 0, 1 << 20}} {
		if _, err := testNetCheckConfig(false, "", bad[0], bad[1], bad[2]); !errors.Is(err, errArg) {
			t.Errorf("window/bad/good %v: err %v, want errArg", bad, err)
		}
	}
}
