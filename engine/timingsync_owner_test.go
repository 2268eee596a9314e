package engine_test

import (
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
)

// blockingAccount answers IsLogoned only once released, so a call made inside New would hang New.
type blockingAccount struct {
	engine.NopCallbacks
	asked   chan struct{}
	release chan struct{}
}

func (b *blockingAccount) IsLogoned() bool {
	b.asked <- struct{}{}
	<-b.release
	return true
}

// TestNewNeverRunsCallbacksOnTheCallersGoroutine: with timing sync on, the first IsLogoned question comes from
// the owner goroutine after New has returned, as the callback contract says (found by the Objective-C binding).
func TestNewNeverRunsCallbacksOnTheCallersGoroutine(t *testing.T) {
	cb := &blockingAccount{asked: make(chan struct{}, 1), release: make(chan struct{})}
	created := make(chan *engine.Engine, 1)
	go func() {
		e, err := engine.New(engine.Config{TimingSync: true}, cb)
		if err != nil {
			t.Error(err)
		}
		created <- e
	}()
	var e *engine.Engine
	select {
	case e = <-created:
	case <-time.After(10 * time.Second):
		close(cb.release)
		t.Fatal("New waited for a callback")
	}
	select {
	case <-cb.asked:
	case <-time.After(10 * time.Second):
		t.Fatal("IsLogoned never asked with TimingSync on")
	}
	close(cb.release)
	if e != nil {
		e.Close()
	}
}
