package engine_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/engine/internal/fakenet"
)

// benchCallbacks records each task's round trip and frees a slot.
type benchCallbacks struct {
	engine.NopCallbacks
	base   uint32
	starts []int64 // unix nanos by task id - base
	rtts   []int64
	slots  chan struct{}
	done   atomic.Int64
	failed atomic.Int64
	body   []byte
}

func (c *benchCallbacks) Req2Buf(_ engine.TaskRef, _ engine.ChannelSelect, _ string, dst []byte) ([]byte, int, bool) {
	return append(dst, c.body...), 0, true
}

func (c *benchCallbacks) OnTaskEnd(ref engine.TaskRef, typ engine.ErrType, _ int, _ *engine.TaskProfile) int {
	i := ref.TaskID - c.base
	c.rtts[i] = time.Now().UnixNano() - c.starts[i]
	if typ != engine.EctOK {
		c.failed.Add(1)
	}
	c.done.Add(1)
	c.slots <- struct{}{}
	return 0
}

// BenchmarkEngineOnlyRoundTrip is the same measure over an in-memory conn
// whose far end echoes bytes back unparsed (a request packet is a valid
// answer to itself), so the allocations counted are the engine's own.
func BenchmarkEngineOnlyRoundTrip(b *testing.B) {
	for _, inflight := range []int{1, 256, 2048} {
		b.Run(fmt.Sprintf("inflight=%d", inflight), func(b *testing.B) {
			n := fakenet.NewNetwork()
			lis := n.Listen("echo:1")
			var wg sync.WaitGroup
			wg.Go(func() {
				c, err := lis.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				io.Copy(c, c)
			})
			cb := &benchCallbacks{slots: make(chan struct{}, inflight), body: []byte("0123456789abcdef")}
			e, err := engine.New(engine.Config{Dialer: n}, cb)
			if err != nil {
				b.Fatal(err)
			}
			e.SetLonglinkSvrAddr("echo", []int{1}, "")
			runRoundTrips(b, e, cb, inflight, engine.ChannelLong)
			e.Close()
			lis.Close()
			wg.Wait()
		})
	}
}

// BenchmarkLongLinkRoundTrip measures small echo tasks over one long link to
// marsd on loopback, with 1, 16 and 256 tasks in flight: tasks/s, p50/p99
// round trip (StartTask to OnTaskEnd) and allocations per task (the
// engine's and marsd's, which runs in the same process).
func BenchmarkLongLinkRoundTrip(b *testing.B) {
	for _, inflight := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("inflight=%d", inflight), func(b *testing.B) {
			srv := startMarsd(b)
			cb := &benchCallbacks{slots: make(chan struct{}, inflight), body: []byte("0123456789abcdef")}
			e := startEngine(b, srv, engine.Config{}, cb)
			runRoundTrips(b, e, cb, inflight, engine.ChannelLong)
		})
	}
}

// BenchmarkLongLinksRoundTrip is BenchmarkLongLinkRoundTrip with the tasks
// spread over one or two long links (two marsd listeners in one process),
// 256 in flight in all.
func BenchmarkLongLinksRoundTrip(b *testing.B) {
	for _, links := range []int{1, 2} {
		b.Run(fmt.Sprintf("links=%d", links), func(b *testing.B) {
			srv := startMarsd(b)
			cb := &benchCallbacks{slots: make(chan struct{}, 256), body: []byte("0123456789abcdef")}
			e := startEngine(b, srv, engine.Config{}, cb)
			names := []string{""}
			if links == 2 {
				addr, err := srv.AddLongListener("b", "127.0.0.1:0")
				if err != nil {
					b.Fatal(err)
				}
				_, port, _ := net.SplitHostPort(addr)
				p, _ := strconv.Atoi(port)
				lc := engine.LongLinkConfig{Name: "b", Host: "b.test", Ports: []int{p}, DebugIP: "127.0.0.1"}
				if err := e.CreateLongLink(lc); err != nil {
					b.Fatal(err)
				}
				names = append(names, "b")
			}
			runRoundTrips(b, e, cb, 256, engine.ChannelLong, names...)
		})
	}
}

// echoShortLink is a short-link transport that answers every attempt with
// its own body at once, so only the engine's short-task work is measured.
type echoShortLink struct{}

func (echoShortLink) RoundTrip(_ context.Context, req *engine.ShortLinkRequest) ([]byte, error) {
	return req.Body, nil
}

// BenchmarkEngineOnlyShortRoundTrip is BenchmarkEngineOnlyRoundTrip on the
// short link with a transport that answers at once: the owner's per-event
// cost with many short tasks in flight.
func BenchmarkEngineOnlyShortRoundTrip(b *testing.B) {
	for _, inflight := range []int{1, 256, 2048} {
		b.Run(fmt.Sprintf("inflight=%d", inflight), func(b *testing.B) {
			cb := &benchCallbacks{slots: make(chan struct{}, inflight), body: []byte("0123456789abcdef")}
			e, err := engine.New(engine.Config{ShortLink: echoShortLink{}}, cb)
			if err != nil {
				b.Fatal(err)
			}
			runRoundTrips(b, e, cb, inflight, engine.ChannelShort)
			e.Close()
		})
	}
}

// runRoundTrips runs b.N tasks on channel ch with inflight of them in
// flight and reports tasks/s and the p50/p99 round trip. Given long-link
// names, the tasks take them in turn.
func runRoundTrips(b *testing.B, e *engine.Engine, cb *benchCallbacks, inflight int, ch engine.ChannelSelect,
	links ...string) {
	if len(links) == 0 {
		links = []string{""}
	}
	newTask := func(i int) engine.Task {
		tk := engine.NewTask(e.GenTaskID(), 7)
		tk.ChannelSelect, tk.Cgi, tk.ShortLinkHostList = ch, "/bench", []string{"bench.test"}
		tk.ChannelName = links[i%len(links)]
		tk.LimitFrequency = false // identical bodies on purpose: not an avalanche
		return tk
	}
	warm := len(links) // one round trip per link: every link connected before the clock starts
	cb.starts, cb.rtts = make([]int64, b.N+warm), make([]int64, b.N+warm)
	for i := range warm {
		tk := newTask(i)
		if i == 0 {
			cb.base = tk.TaskID
		}
		cb.starts[i] = time.Now().UnixNano()
		e.StartTask(tk)
		<-cb.slots
	}
	for range inflight {
		cb.slots <- struct{}{}
	}
	tasks := make([]engine.Task, b.N)
	for i := range tasks {
		tasks[i] = newTask(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := range tasks {
		<-cb.slots
		cb.starts[i+warm] = time.Now().UnixNano()
		e.StartTask(tasks[i])
	}
	for range inflight {
		<-cb.slots
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if n := cb.failed.Load(); n != 0 {
		b.Fatalf("%d tasks failed", n)
	}
	rtts := slices.Clone(cb.rtts[warm:])
	slices.Sort(rtts)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "tasks/s")
	b.ReportMetric(float64(rtts[len(rtts)/2])/1e3, "p50-µs")
	b.ReportMetric(float64(rtts[len(rtts)*99/100])/1e3, "p99-µs")
}
