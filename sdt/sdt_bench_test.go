package sdt

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// BenchmarkTCPAndProbeLoopback measures one active check of a loopback
// server: a TCP connect plus a long-link noop exchange.
func BenchmarkTCPAndProbeLoopback(b *testing.B) {
	addr := noopServer(b, echoNoop(b))
	c := New(probeConfig())
	req := Request{Servers: []string{addr}, Checks: CheckTCP | CheckLongLink}
	b.Logf("one active check: tcp connect + long-link noop exchange to %s", addr)
	b.ReportAllocs()
	for b.Loop() {
		if rep := c.Run(context.Background(), req); !rep.OK() {
			b.Fatalf("%+v", rep.Failed())
		}
	}
}

// BenchmarkReportJSON measures encoding a typical report for the C ABI.
func BenchmarkReportJSON(b *testing.B) {
	rep := &Report{Started: time.Now(), Reason: ReasonOK}
	for range 4 {
		rep.Results = append(rep.Results,
			Result{Kind: KindDNS, Target: "svc.example", OK: true, Source: SourceSystem, Addrs: []string{"127.0.0.1", "::1"}, Duration: time.Millisecond},
			Result{Kind: KindTCP, Target: "127.0.0.1:443", OK: true, Connect: time.Millisecond, Duration: time.Millisecond},
			Result{Kind: KindPing, Target: "127.0.0.1", OK: true, Sent: 2, Received: 2, RTTs: []time.Duration{time.Millisecond, time.Millisecond}})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(rep); err != nil {
			b.Fatal(err)
		}
	}
}
