package fakenet

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Resolver answers host lookups from a script: per-host answers and an
// optional delay. Unknown hosts are "no such host". It blocks on timers and
// channels only, so it works inside a synctest bubble.
type Resolver struct {
	mu      sync.Mutex
	answers map[string][]string
	delay   map[string]time.Duration
	asked   map[string]int
}

// NewResolver returns a resolver that knows no host.
func NewResolver() *Resolver {
	return &Resolver{answers: map[string][]string{}, delay: map[string]time.Duration{}, asked: map[string]int{}}
}

// Set scripts host's answer and the time it takes.
func (r *Resolver) Set(host string, delay time.Duration, ips ...string) {
	r.mu.Lock()
	r.answers[host], r.delay[host] = ips, delay
	r.mu.Unlock()
}

// Asked returns how many lookups of host were made.
func (r *Resolver) Asked(host string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.asked[host]
}

// LookupHost implements the engine's Resolver.
func (r *Resolver) LookupHost(ctx context.Context, host string) ([]string, error) {
	r.mu.Lock()
	r.asked[host]++
	ips, ok := r.answers[host]
	d := r.delay[host]
	r.mu.Unlock()
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if !ok {
		return nil, fmt.Errorf("fakenet: no such host %q", host)
	}
	return append([]string(nil), ips...), nil
}
