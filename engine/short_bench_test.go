package engine_test

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
)

// shortBenchCallbacks times each task from StartTask to OnTaskEnd.
type shortBenchCallbacks struct {
	engine.NopCallbacks
	mu      sync.Mutex
	started map[uint32]time.Time
	lat     []time.Duration
	done    chan bool
}

func (c *shortBenchCallbacks) Req2Buf(_ engine.TaskRef, _ engine.ChannelSelect, _ string, dst []byte) ([]byte, int, bool) {
	return append(dst, "0123456789abcdef0123456789abcdef"...), 0, true
}

func (c *shortBenchCallbacks) OnTaskEnd(ref engine.TaskRef, typ engine.ErrType, _ int, _ *engine.TaskProfile) int {
	c.mu.Lock()
	c.lat = append(c.lat, time.Since(c.started[ref.TaskID]))
	delete(c.started, ref.TaskID)
	c.mu.Unlock()
	c.done <- typ == engine.EctOK
	return 0
}

// BenchmarkShortTasks runs short tasks against marsd on loopback, 16 in
// flight, with Mars's one connection per attempt and with keep-alive, and
// a plain net/http client doing the same POSTs as the baseline. Reported:
// tasks/s and the p50/p99 time from StartTask to OnTaskEnd.
func BenchmarkShortTasks(b *testing.B) {
	const inFlight = 16
	b.Logf("short tasks against marsd on loopback, %d in flight; p50/p99 from StartTask to OnTaskEnd", inFlight)
	for _, mode := range []struct {
		name    string
		headers map[string]string
	}{{"close", nil}, {"keepalive", map[string]string{"Connection": "Keep-Alive"}}} {
		b.Run("engine/"+mode.name, func(b *testing.B) {
			srv := startMarsd(b)
			cb := &shortBenchCallbacks{started: map[uint32]time.Time{}, done: make(chan bool, inFlight)}
			e := shortEngine(b, srv, srv.ShortAddr(), engine.Config{}, cb)
			start := func() {
				tk := shortTask(e, "/mars/bench")
				tk.Headers, tk.LimitFrequency = mode.headers, false
				cb.mu.Lock()
				cb.started[tk.TaskID] = time.Now()
				cb.mu.Unlock()
				e.StartTask(tk)
			}
			b.ResetTimer()
			t0 := time.Now()
			for range min(inFlight, b.N) {
				start()
			}
			for i := range b.N {
				if !<-cb.done {
					b.Fatal("a task failed")
				}
				if i+inFlight < b.N {
					start()
				}
			}
			report(b, t0, cb.lat)
		})
	}
	b.Run("net-http/keepalive", func(b *testing.B) {
		srv := startMarsd(b)
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: inFlight}}
		defer client.CloseIdleConnections()
		url := "http://" + srv.ShortAddr() + "/mars/bench"
		var mu sync.Mutex
		var lat []time.Duration
		work := make(chan struct{})
		var wg sync.WaitGroup
		b.ResetTimer()
		t0 := time.Now()
		for range inFlight {
			wg.Go(func() {
				for range work {
					s := time.Now()
					resp, err := client.Post(url, "application/octet-stream", bytes.NewReader([]byte("0123456789abcdef0123456789abcdef")))
					if err != nil {
						b.Error(err)
						continue
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					mu.Lock()
					lat = append(lat, time.Since(s))
					mu.Unlock()
				}
			})
		}
		for range b.N {
			work <- struct{}{}
		}
		close(work)
		wg.Wait()
		report(b, t0, lat)
	})
}

func report(b *testing.B, t0 time.Time, lat []time.Duration) {
	b.Helper()
	elapsed := time.Since(t0)
	slices.Sort(lat)
	if len(lat) == 0 {
		return
	}
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "tasks/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
