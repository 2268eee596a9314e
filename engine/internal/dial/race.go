// Package dial races TCP connects to a list of candidates: Mars's complex
// connect with an optional RFC 8305 twist.
//
// Candidates start in list order. A new one starts when Delay has passed
// since the previous start and fewer than MaxInFlight are still connecting;
// with FailFast a failure starts the next candidate at once (RFC 8305 §5),
// without it (Mars) a fast failure does not move the schedule. Each attempt
// has its own Timeout from its own start. The first connection wins; every
// other attempt is cancelled and any connection it made is closed.
//
// Race only reports what happened. It owns no state beyond one call and
// returns after every attempt goroutine it started has ended.
package dial

import (
	"context"
	"errors"
	"net"
	"slices"
	"syscall"
	"time"
)

// Dialer opens one connection; *net.Dialer satisfies it.
type Dialer interface {
	DialContext(ctx context.Context, network, addr string) (net.Conn, error)
}

// Config shapes one race.
type Config struct {
	Timeout     time.Duration // per attempt, from its own start
	Delay       time.Duration // least time between two starts
	MaxInFlight int           // attempts connecting at once; < 1 means 1
	FailFast    bool          // a failure starts the next candidate at once
}

// Outcome is what became of one candidate that was started and lost.
type Outcome struct {
	Index int
	Err   error
	// Errno is the system error (ETIMEDOUT for a timeout or an attempt
	// abandoned because another won, as Mars reports it), or 0.
	Errno int
	// Superseded is true for an attempt still connecting when another won.
	Superseded bool
}

// Result is the end of a race.
type Result struct {
	Conn     net.Conn      // nil when every candidate failed
	Winner   int           // index of Conn's candidate, -1 without one
	RTT      time.Duration // the winner's connect time
	Failures []Outcome     // in the order they ended; superseded ones last
	Err      error         // the last failure when Conn is nil
}

type attemptDone struct {
	index int
	conn  net.Conn
	err   error
	took  time.Duration
}

// Race connects to one of addrs ("host:port") over network.
func Race(ctx context.Context, d Dialer, network string, addrs []string, cfg Config) Result {
	r := racer{d: d, network: network, addrs: addrs, cfg: cfg,
		done: make(chan attemptDone, len(addrs)), cancels: make([]context.CancelFunc, len(addrs))}
	return r.run(ctx)
}

type racer struct {
	d       Dialer
	network string
	addrs   []string
	cfg     Config

	done      chan attemptDone
	cancels   []context.CancelFunc
	next      int       // next candidate to start
	inFlight  int       // started and not ended
	lastStart time.Time // of the latest start
	res       Result
}

func (r *racer) run(ctx context.Context) Result {
	r.res.Winner = -1
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	r.start(ctx)
	for r.inFlight > 0 || r.next < len(r.addrs) {
		r.armNextStart(timer)
		select {
		case a := <-r.done:
			r.inFlight--
			r.cancels[a.index]()
			if a.err == nil {
				r.win(a)
				return r.res
			}
			r.lose(a)
			if r.cfg.FailFast {
				r.lastStart = time.Time{}
			}
		case <-timer.C:
		case <-ctx.Done():
			r.abandon(ctx.Err(), false)
			return r.res
		}
		r.start(ctx)
	}
	if r.res.Err == nil {
		r.res.Err = errors.New("dial: no candidate")
	}
	return r.res
}

// start launches the next candidates the schedule allows now.
func (r *racer) start(ctx context.Context) {
	maxInFlight := max(r.cfg.MaxInFlight, 1)
	for r.next < len(r.addrs) && r.inFlight < maxInFlight && ctx.Err() == nil {
		if !r.lastStart.IsZero() && time.Since(r.lastStart) < r.cfg.Delay {
			return
		}
		i := r.next
		r.next++
		r.inFlight++
		r.lastStart = time.Now()
		actx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
		r.cancels[i] = cancel
		go r.attempt(actx, i)
	}
}

func (r *racer) attempt(ctx context.Context, i int) {
	began := time.Now()
	c, err := r.d.DialContext(ctx, r.network, r.addrs[i])
	r.done <- attemptDone{index: i, conn: c, err: err, took: time.Since(began)}
}

// armNextStart sets timer to the next scheduled start, if one can come.
func (r *racer) armNextStart(timer *time.Timer) {
	timer.Stop()
	if r.next < len(r.addrs) && r.inFlight < max(r.cfg.MaxInFlight, 1) && !r.lastStart.IsZero() {
		timer.Reset(time.Until(r.lastStart.Add(r.cfg.Delay)))
	}
}

func (r *racer) win(a attemptDone) {
	r.res.Conn, r.res.Winner, r.res.RTT, r.res.Err = a.conn, a.index, a.took, nil
	r.abandon(ErrSuperseded, true)
}

func (r *racer) lose(a attemptDone) {
	errno := Errno(a.err)
	if errors.Is(a.err, context.DeadlineExceeded) {
		errno = int(syscall.ETIMEDOUT)
	}
	r.res.Failures = append(r.res.Failures, Outcome{Index: a.index, Err: a.err, Errno: errno})
	r.res.Err = a.err
}

// abandon cancels every attempt still connecting and waits for each; a
// connection one made anyway is closed. superseded marks them as losers to
// a winner, reported with ETIMEDOUT as Mars does.
func (r *racer) abandon(cause error, superseded bool) {
	for _, cancel := range r.cancels[:r.next] {
		cancel()
	}
	var late []Outcome
	for ; r.inFlight > 0; r.inFlight-- {
		a := <-r.done
		if a.conn != nil {
			_ = a.conn.Close() // a loser: only the winner is used
		}
		err := a.err
		if superseded {
			err = cause
		}
		late = append(late, Outcome{Index: a.index, Err: err, Errno: int(syscall.ETIMEDOUT), Superseded: superseded})
	}
	slices.SortFunc(late, func(a, b Outcome) int { return a.Index - b.Index })
	r.res.Failures = append(r.res.Failures, late...)
	if !superseded && r.res.Conn == nil {
		r.res.Err = cause
	}
}

// ErrSuperseded is the error of an attempt abandoned because another won.
var ErrSuperseded = errors.New("dial: another candidate connected first")

// Errno digs the system error number out of err, or returns 0.
func Errno(err error) int {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return int(errno)
	}
	return 0
}
