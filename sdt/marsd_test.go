package sdt_test

import (
	"context"
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mars-go/mars/marsd"
	"github.com/mars-go/mars/marsd/marsdtest"
	"github.com/mars-go/mars/sdt"
)

// startMarsd runs the reference server in-process on loopback.
func startMarsd(t *testing.T, b marsd.Behavior) *marsd.Server {
	t.Helper()
	return marsdtest.Start(t, marsd.Config{ClientVersion: marsd.DefaultClientVersion, Behavior: b})
}

// checker gives up quickly on the long-link probe or the HTTP check where
// a test expects that check to time out (its deadline, not a sleep, ends
// it), and waits long otherwise so a loaded machine cannot fake a timeout.
func checker(want ...sdt.Reason) *sdt.Checker {
	cfg := sdt.Config{ClientVersion: marsd.DefaultClientVersion, ProbeTimeout: 10 * time.Second, HTTPTimeout: 10 * time.Second}
	if len(want) == 2 && want[0] == sdt.ReasonTimeout {
		cfg.ProbeTimeout = 300 * time.Millisecond
	}
	if len(want) == 2 && want[1] == sdt.ReasonTimeout {
		cfg.HTTPTimeout = 300 * time.Millisecond
	}
	return sdt.New(cfg)
}

func request(srv *marsd.Server, path string) sdt.Request {
	return sdt.Request{
		Servers: []string{srv.LongAddr()},
		HTTP:    []string{"http://" + srv.ShortAddr() + path},
		Checks:  sdt.CheckTCP | sdt.CheckLongLink | sdt.CheckHTTP,
	}
}

func one(t *testing.T, rep *sdt.Report, k sdt.Kind) sdt.Result {
	t.Helper()
	rs := rep.Find(k)
	if len(rs) != 1 {
		t.Fatalf("want one %s result: %+v", k, rep.Results)
	}
	return rs[0]
}

func TestAgainstMarsdHealthy(t *testing.T) {
	srv := startMarsd(t, marsd.Behavior{})
	rep := checker().Run(context.Background(), request(srv, "/mars/netcheck"))
	if !rep.OK() {
		t.Fatalf("healthy marsd: %+v", rep.Failed())
	}
	if one(t, rep, sdt.KindHTTP).Status != 200 {
		t.Error("http status")
	}
	if srv.Stats().Noops == 0 {
		t.Errorf("marsd saw no heartbeat: %+v", srv.Stats())
	}
}

func TestAgainstMarsdMisbehaving(t *testing.T) {
	tests := []struct {
		name     string
		b        marsd.Behavior
		longlink sdt.Reason
		http     sdt.Reason
	}{
		{"heartbeats ignored", marsd.Behavior{IgnoreNoop: true}, sdt.ReasonTimeout, sdt.ReasonOK},
		{"wrong client version", marsd.Behavior{WrongVersion: true}, sdt.ReasonProtocol, sdt.ReasonOK},
		{"oversize answer", marsd.Behavior{Oversize: true}, sdt.ReasonProtocol, sdt.ReasonOK},
		{"closes mid-answer", marsd.Behavior{CloseAfter: 10}, sdt.ReasonReset, sdt.ReasonOK},
		{"silent", marsd.Behavior{Silent: true}, sdt.ReasonTimeout, sdt.ReasonTimeout},
		{"HTTP 500", marsd.Behavior{Status: 500}, sdt.ReasonOK, sdt.ReasonHTTPStatus},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := startMarsd(t, tc.b)
			rep := checker(tc.longlink, tc.http).Run(context.Background(), request(srv, "/"))
			if tcp := one(t, rep, sdt.KindTCP); !tcp.OK {
				t.Errorf("tcp: %+v", tcp)
			}
			if ll := one(t, rep, sdt.KindLongLink); ll.Reason != tc.longlink {
				t.Errorf("longlink: want %s, got %+v", tc.longlink, ll)
			}
			if h := one(t, rep, sdt.KindHTTP); h.Reason != tc.http {
				t.Errorf("http: want %s, got %+v", tc.http, h)
			}
		})
	}
}

// A probe whose client version the server does not expect is dropped
// right after its noop; the report says the version may be wrong.
func TestAgainstMarsdWithAnotherClientVersion(t *testing.T) {
	srv := startMarsd(t, marsd.Behavior{})
	cfg := sdt.Config{ClientVersion: marsd.DefaultClientVersion + 1, ProbeTimeout: 10 * time.Second}
	rep := sdt.New(cfg).Run(context.Background(), sdt.Request{Servers: []string{srv.LongAddr()}, Checks: sdt.CheckLongLink})
	ll := one(t, rep, sdt.KindLongLink)
	if ll.OK || ll.Reason != sdt.ReasonReset {
		t.Fatalf("want a reset, got %+v", ll)
	}
	for _, want := range []string{"client version may be wrong", "sent 201"} {
		if !strings.Contains(ll.Error, want) {
			t.Errorf("error %q does not say %q", ll.Error, want)
		}
	}
}

func TestAgainstMarsdStopped(t *testing.T) {
	srv := startMarsd(t, marsd.Behavior{})
	req := request(srv, "/")
	srv.Close()
	rep := checker().Run(context.Background(), req)
	for _, r := range rep.Results {
		if r.OK || r.Reason != sdt.ReasonRefused || r.ErrnoName != "ECONNREFUSED" {
			t.Errorf("stopped server: %+v", r)
		}
	}
}

func TestNetCheckRequestAgainstMarsd(t *testing.T) {
	srv := startMarsd(t, marsd.Behavior{})
	_, lport, _ := net.SplitHostPort(srv.LongAddr())
	_, sport, _ := net.SplitHostPort(srv.ShortAddr())
	lp, _ := strconv.Atoi(lport)
	sp, _ := strconv.Atoi(sport)
	req := sdt.NetCheckRequest([]string{"127.0.0.1"}, []uint16{uint16(lp)}, []string{"127.0.0.1"}, uint16(sp), "mars/netcheck")
	if want := "http://" + srv.ShortAddr() + "/mars/netcheck"; len(req.HTTP) != 1 || req.HTTP[0] != want {
		t.Fatalf("http targets %v, want [%s]", req.HTTP, want)
	}
	req.Checks = sdt.AllChecks &^ sdt.CheckPing &^ sdt.CheckNetState
	rep := checker().Run(context.Background(), req)
	if !rep.OK() || len(rep.Results) != 3 {
		t.Fatalf("%+v", rep)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		OK      bool `json:"ok"`
		Results []struct {
			Kind string `json:"kind"`
		} `json:"results"`
	}
	if err := json.Unmarshal(b, &decoded); err != nil || !decoded.OK || len(decoded.Results) != 3 || decoded.Results[0].Kind != "tcp" {
		t.Errorf("JSON %s", b)
	}
}
