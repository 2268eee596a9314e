package soak

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/marsd"
)

// fault is one kind of trouble an episode brings.
type fault int

const (
	faultPeerClose     fault = iota // marsd closes every connection (FIN)
	faultProxyReset                 // the middlebox drops its state: RST both ways
	faultStall                      // the proxy forwards nothing for a while: noop and task timeouts fire
	faultServerRestart              // marsd goes down and comes back on another port
	faultBadAnswers                 // tasks whose answers are damaged: wrong version, oversize, partial, silent, closed
	faultServerMode                 // a marsd behaviour for a while: close_after, wrong_version, ignore_noop, delay, trickle
	faultBuf2Resp                   // a task whose answer the host cannot decode (Buf2Resp -1)
	faultPushBurst                  // marsd pushes a burst the host takes at once
	faultPushFlood                  // marsd pushes as fast as it can while OnPush is slow
	faultSlowTaskEnd                // OnTaskEnd blocks longer than the heartbeat plus noop timeout
	faultSlowPush                   // OnPush blocks as long
	faultNetworkChange              // Wi-Fi ↔ mobile, or no network for a while
	faultReset                      // Engine.Reset
	faultRedo                       // Engine.RedoTasks
	faultClear                      // Engine.ClearTasks
	numFaults
)

var faultNames = [numFaults]string{"peer-close", "proxy-reset", "stall", "server-restart", "bad-answers",
	"server-mode", "buf2resp", "push-burst", "push-flood", "slow-OnTaskEnd", "slow-OnPush", "network-change",
	"engine-reset", "redo", "clear"}

func (f fault) String() string { return faultNames[f] }

// taskSpec is one task an episode starts.
type taskSpec struct {
	cmd      uint32
	retries  int
	priority int
	badResp  bool // the host's Buf2Resp rejects the answer
	stop     bool // StopTask right after StartTask
}

// step is one episode: tasks started together, then one fault at a point
// of their run, held for a while.
type step struct {
	fault   fault
	tasks   []taskSpec
	at      time.Duration      // after the tasks started
	hold    time.Duration      // how long the fault lasts (stall, downtime, mode, no network, flood)
	pushes  int                // push-burst size
	mode    marsd.Behavior     // server-mode
	network engine.NetworkType // network-change target; NetworkNone is lifted after hold
}

func (s step) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v at %v", s.fault, s.at)
	if s.hold > 0 {
		fmt.Fprintf(&b, " for %v", s.hold)
	}
	switch s.fault {
	case faultPushBurst:
		fmt.Fprintf(&b, ", %d pushes", s.pushes)
	case faultServerMode:
		fmt.Fprintf(&b, ", mode %q", s.mode.String())
	case faultNetworkChange:
		fmt.Fprintf(&b, ", to network %d", s.network)
	}
	fmt.Fprintf(&b, "; %d tasks", len(s.tasks))
	return b.String()
}

// echoCmd is answered with its own body.
const echoCmd = 7

// The cmdids of damaged answers (marsd's scripting cmdids).
var damagedCmds = []uint32{marsd.CmdWrongVersion, marsd.CmdOversize, marsd.CmdPartial, marsd.CmdSilence, marsd.CmdClose}

// schedule draws the steps from one seed. Faults come in rounds: each
// round is every fault kind once, in an order the seed shuffles, so even
// the shortest run covers them all.
type schedule struct {
	rnd   *rand.Rand
	kinds []fault // what a round is made of: every kind unless narrowed
	round []fault
	tm    engine.Config
}

func newSchedule(seed uint64, tm engine.Config) *schedule {
	s := &schedule{rnd: rand.New(rand.NewPCG(seed, 0x50a6)), tm: tm}
	for f := range numFaults {
		s.kinds = append(s.kinds, f)
	}
	return s
}

// narrow makes rounds of the named fault kinds only (a comma-separated
// list; "" keeps them all).
func (s *schedule) narrow(names string) error {
	if names == "" {
		return nil
	}
	s.kinds = nil
	for name := range strings.SplitSeq(names, ",") {
		i := slices.Index(faultNames[:], strings.TrimSpace(name))
		if i < 0 {
			return fmt.Errorf("unknown fault kind %q (kinds: %s)", name, strings.Join(faultNames[:], ", "))
		}
		s.kinds = append(s.kinds, fault(i))
	}
	return nil
}

// between draws a duration in [lo, hi).
func (s *schedule) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(s.rnd.Int64N(int64(hi-lo)))
}

// next returns the next step; a new round starts when the last one is spent.
func (s *schedule) next() (st step, newRound bool) {
	if len(s.round) == 0 {
		s.round = slices.Clone(s.kinds)
		s.rnd.Shuffle(len(s.round), func(i, j int) { s.round[i], s.round[j] = s.round[j], s.round[i] })
		newRound = true
	}
	st.fault, s.round = s.round[0], s.round[1:]
	st.tasks = s.tasks(s.rnd.IntN(9))
	st.at = s.between(0, 300*time.Millisecond)
	idle := s.tm.HeartbeatInterval + s.tm.NoopTimeout
	switch st.fault {
	case faultStall:
		st.hold = s.between(idle+idle/4, 3*idle) // long enough for the noop timeout
	case faultServerRestart:
		st.hold = s.between(0, 1500*time.Millisecond)
	case faultBadAnswers:
		st.tasks = append(st.tasks, s.task(damagedCmds[s.rnd.IntN(len(damagedCmds))]))
	case faultServerMode:
		st.mode, st.hold = s.mode(), s.between(500*time.Millisecond, 2*time.Second)
	case faultBuf2Resp:
		tk := s.task(echoCmd)
		tk.badResp = true
		st.tasks = append(st.tasks, tk)
	case faultPushBurst:
		st.pushes = 50 + s.rnd.IntN(2000)
	case faultPushFlood:
		st.tasks, st.hold = nil, s.between(4*time.Second, 6*time.Second) // the flood alone, for this long at most
	case faultNetworkChange:
		st.network = []engine.NetworkType{engine.NetworkWiFi, engine.NetworkMobile, engine.NetworkNone}[s.rnd.IntN(3)]
		if st.network == engine.NetworkNone {
			st.hold = s.between(300*time.Millisecond, 1500*time.Millisecond)
		}
	}
	return st, newRound
}

// tasks draws n ordinary tasks: mostly echoes, some answered late, some
// with a push, a few stopped at once.
func (s *schedule) tasks(n int) []taskSpec {
	out := make([]taskSpec, n)
	for i := range out {
		var cmd uint32 = echoCmd
		switch r := s.rnd.IntN(100); {
		case r < 15:
			cmd = marsd.CmdDelayBase + 1 + uint32(s.rnd.IntN(5)) // 100–500 ms late
		case r < 25:
			cmd = marsd.CmdPushEcho
		case r < 30:
			cmd = marsd.CmdLongHeader
		case r < 33:
			cmd = marsd.CmdTrickle
		}
		out[i] = s.task(cmd)
		out[i].stop = s.rnd.IntN(10) == 0
	}
	return out
}

func (s *schedule) task(cmd uint32) taskSpec {
	return taskSpec{cmd: cmd, retries: s.rnd.IntN(3), priority: s.rnd.IntN(6)}
}

// mode draws a server behaviour that troubles the link without killing it
// for good.
func (s *schedule) mode() marsd.Behavior {
	switch s.rnd.IntN(5) {
	case 0:
		return marsd.Behavior{CloseAfter: 100 + int64(s.rnd.IntN(2000))}
	case 1:
		return marsd.Behavior{WrongVersion: true}
	case 2:
		return marsd.Behavior{IgnoreNoop: true}
	case 3:
		return marsd.Behavior{Delay: s.between(100*time.Millisecond, 600*time.Millisecond)}
	}
	return marsd.Behavior{Trickle: time.Millisecond}
}

// The schedule is a function of the seed alone: replaying a seed replays
// the faults, their parameters and the tasks.
func TestScheduleIsDeterministic(t *testing.T) {
	draw := func(seed uint64) []step {
		s := newSchedule(seed, soakTimings)
		out := make([]step, 3*numFaults)
		for i := range out {
			out[i], _ = s.next()
		}
		return out
	}
	a, b := draw(42), draw(42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed drew two schedules")
	}
	if reflect.DeepEqual(a, draw(43)) {
		t.Fatal("seeds 42 and 43 drew the same schedule")
	}
	for r := 0; r < 3; r++ {
		seen := map[fault]bool{}
		for _, st := range a[r*int(numFaults) : (r+1)*int(numFaults)] {
			seen[st.fault] = true
		}
		if len(seen) != int(numFaults) {
			t.Fatalf("round %d covers %d of %d fault kinds", r, len(seen), numFaults)
		}
	}
}
