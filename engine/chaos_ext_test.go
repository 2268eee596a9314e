package engine_test

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/engine/internal/fakenet"
)

// countingCallbacks counts OnTaskEnd per task.
type countingCallbacks struct {
	engine.NopCallbacks
	mu   sync.Mutex
	ends map[uint32]int
}

func (c *countingCallbacks) OnTaskEnd(ref engine.TaskRef, _ engine.ErrType, _ int, _ *engine.TaskProfile) int {
	c.mu.Lock()
	c.ends[ref.TaskID]++
	c.mu.Unlock()
	return 0
}

// TestOnTaskEndExactlyOnceUnderConcurrentCalls hammers one engine from many
// goroutines with starts, stops, redos, network changes and queries while an
// echo peer answers, then closes it: every task that was not stopped gets
// exactly one OnTaskEnd, and no task gets two.
func TestOnTaskEndExactlyOnceUnderConcurrentCalls(t *testing.T) {
	n := fakenet.NewNetwork()
	stopEcho := echoPeers(n, "echo:1")
	cb := &countingCallbacks{ends: map[uint32]int{}}
	e, err := engine.New(engine.Config{Dialer: n, TaskConnectInterval: 1, RetryInterval: 1}, cb)
	if err != nil {
		t.Fatal(err)
	}
	e.SetLonglinkSvrAddr("echo", []int{1}, "")
	hammer(t, e, cb, func() engine.Task {
		tk := engine.NewTask(e.GenTaskID(), 7)
		tk.RetryCount = 30
		return tk
	}, stopEcho)
}

// echoPeers serves an echo peer on each of addrs until the returned stop.
func echoPeers(n *fakenet.Network, addrs ...string) (stop func()) {
	var peers sync.WaitGroup
	var listeners []io.Closer
	for _, addr := range addrs {
		lis := n.Listen(addr)
		listeners = append(listeners, lis)
		peers.Go(func() {
			for {
				c, err := lis.Accept()
				if err != nil {
					return
				}
				peers.Go(func() { defer c.Close(); io.Copy(c, c) })
			}
		})
	}
	return func() {
		for _, l := range listeners {
			l.Close()
		}
		peers.Wait()
	}
}

// The same over two long links, each task on one of them at random, while
// a third link is created and destroyed under the traffic: a destroyed
// link's tasks end (EctLocal, EctLocalLongLinkReleased), once.
func TestOnTaskEndExactlyOnceOverTwoLongLinks(t *testing.T) {
	n := fakenet.NewNetwork()
	stopEcho := echoPeers(n, "echo:1", "echo2:2")
	cb := &countingCallbacks{ends: map[uint32]int{}}
	e, err := engine.New(engine.Config{Dialer: n, TaskConnectInterval: 1, RetryInterval: 1}, cb)
	if err != nil {
		t.Fatal(err)
	}
	e.SetLonglinkSvrAddr("echo", []int{1}, "")
	for _, name := range []string{"second", "third"} {
		if err := e.CreateLongLink(engine.LongLinkConfig{Name: name, Host: "echo2", Ports: []int{2}}); err != nil {
			t.Fatal(err)
		}
	}
	names := []string{"", "second", "third"}
	var churn sync.WaitGroup
	stop := make(chan struct{})
	churn.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			_ = e.DestroyLongLink("third")
			_ = e.CreateLongLink(engine.LongLinkConfig{Name: "third", Host: "echo2", Ports: []int{2}})
		}
	})
	hammer(t, e, cb, func() engine.Task {
		tk := engine.NewTask(e.GenTaskID(), 7)
		tk.RetryCount = 30
		tk.ChannelName = names[rand.IntN(len(names))]
		return tk
	}, func() {
		close(stop)
		churn.Wait()
		stopEcho()
	})
}

// flakyShortLink answers a short attempt with its body or, one time in
// three, a network error.
type flakyShortLink struct{}

func (flakyShortLink) RoundTrip(_ context.Context, req *engine.ShortLinkRequest) ([]byte, error) {
	if rand.IntN(3) == 0 {
		return nil, errors.New("flaky: connection reset")
	}
	return req.Body, nil
}

// The same on the short link, where failures spend retries and park tasks
// with a total timeout until a success wakes them.
func TestShortOnTaskEndExactlyOnceUnderConcurrentCalls(t *testing.T) {
	cb := &countingCallbacks{ends: map[uint32]int{}}
	e, err := engine.New(engine.Config{ShortLink: flakyShortLink{}, RetryInterval: 1}, cb)
	if err != nil {
		t.Fatal(err)
	}
	hammer(t, e, cb, func() engine.Task {
		tk := engine.NewTask(e.GenTaskID(), 7)
		tk.ChannelSelect, tk.Cgi, tk.ShortLinkHostList = engine.ChannelShort, "/chaos", []string{"chaos.test"}
		tk.RetryCount, tk.TotalTimeout, tk.LimitFrequency = rand.IntN(2), 5*time.Second, false
		return tk
	}, func() {})
}

// hammer runs the calls of the exactly-once tests from eight goroutines,
// closes e (then runs after), and checks every task's OnTaskEnd count.
func hammer(t *testing.T, e *engine.Engine, cb *countingCallbacks, newTask func() engine.Task, after func()) {
	t.Helper()
	const workers, each = 8, 300
	var stoppedMu sync.Mutex
	stopped := map[uint32]bool{}
	var started sync.Map
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range each {
				tk := newTask()
				tk.Priority = rand.IntN(6)
				e.StartTask(tk)
				started.Store(tk.TaskID, true)
				switch r := rand.IntN(100); {
				case r < 10:
					stoppedMu.Lock()
					stopped[tk.TaskID] = true
					stoppedMu.Unlock()
					e.StopTask(tk.TaskID)
				case r < 12:
					e.RedoTasks()
				case r < 13:
					e.OnNetworkChange(engine.NetworkWiFi)
				case r < 20:
					e.HasTask(tk.TaskID)
				}
				if i%50 == 0 {
					e.TouchTasks()
				}
			}
		})
	}
	wg.Wait()
	e.Close()
	after()
	cb.mu.Lock()
	defer cb.mu.Unlock()
	total := 0
	started.Range(func(k, _ any) bool {
		id := k.(uint32)
		total++
		got := cb.ends[id]
		if got > 1 || (!stopped[id] && got != 1) {
			t.Errorf("task %d (stopped %v): %d OnTaskEnd calls", id, stopped[id], got)
		}
		return true
	})
	if total != workers*each {
		t.Fatalf("started %d tasks, want %d", total, workers*each)
	}
}
