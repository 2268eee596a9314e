package engine

import (
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/mars-go/mars/engine/internal/fakenet"
	"github.com/mars-go/mars/wire"
	"github.com/mars-go/mars/wire/wiretest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const testVersion = 200

// ended is one OnTaskEnd call.
type ended struct {
	id   uint32
	typ  ErrType
	code int
	at   time.Time
	prof TaskProfile
	ctx  any // the TaskRef's UserContext
}

// recorder is a Callbacks that records what the engine reports. Hooks let a
// test change single answers.
type recorder struct {
	NopCallbacks
	e *Engine

	ends     chan ended
	pushes   chan wire.Packet
	profiles chan TaskProfile

	mu       sync.Mutex
	log      []string // ordered connect/status callbacks
	buf2resp []uint32
	req2buf  []uint32
	authAsks int

	onReq2Buf      func(TaskRef) ([]byte, int, bool)
	onBuf2Resp     func(TaskRef, []byte) (int, int)
	onEnd          func(ended)
	onPush         func(wire.Packet)
	authed         func() bool
	identify       func() (IdentifyMode, []byte, []byte, uint32)
	identifyAnswer func([]byte) bool
	newDns         func(host string) []string
	recvBytes      atomic.Int64 // TrafficData's received bytes
}

func (r *recorder) TrafficData(_, recv int64) { r.recvBytes.Add(recv) }

func (r *recorder) OnNewDns(host string, longlink bool) []string {
	r.note("newdns %s %v", host, longlink)
	if r.newDns != nil {
		return r.newDns(host)
	}
	return nil
}

func newRecorder() *recorder {
	return &recorder{ends: make(chan ended, 1000), pushes: make(chan wire.Packet, 100), profiles: make(chan TaskProfile, 1000)}
}

func (r *recorder) note(format string, args ...any) {
	r.mu.Lock()
	r.log = append(r.log, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

func (r *recorder) logged() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.log...)
}

func (r *recorder) MakesureAuthed(host, user string) bool {
	r.mu.Lock()
	r.authAsks++
	r.mu.Unlock()
	if r.authed != nil {
		return r.authed()
	}
	return true
}

func (r *recorder) Req2Buf(ref TaskRef, ch ChannelSelect, host string, dst []byte) ([]byte, int, bool) {
	r.mu.Lock()
	r.req2buf = append(r.req2buf, ref.TaskID)
	r.mu.Unlock()
	if r.onReq2Buf != nil {
		return r.onReq2Buf(ref)
	}
	return []byte(fmt.Sprintf("req-%d", ref.TaskID)), 0, true
}

func (r *recorder) Buf2Resp(ref TaskRef, ch ChannelSelect, body []byte) (int, int) {
	r.mu.Lock()
	r.buf2resp = append(r.buf2resp, ref.TaskID)
	r.mu.Unlock()
	if r.onBuf2Resp != nil {
		return r.onBuf2Resp(ref, body)
	}
	return RespHandleNormal, 0
}

func (r *recorder) OnTaskEnd(ref TaskRef, typ ErrType, code int, p *TaskProfile) int {
	e := ended{id: ref.TaskID, typ: typ, code: code, at: time.Now(), prof: *p, ctx: ref.UserContext}
	if r.onEnd != nil {
		r.onEnd(e)
	}
	r.ends <- e
	return 0
}

func (r *recorder) ReportTaskProfile(p *TaskProfile) { r.profiles <- *p }

func (r *recorder) OnPush(ch string, cmd, taskID uint32, body []byte) {
	p := wire.Packet{CmdID: cmd, Seq: taskID, Body: append([]byte(nil), body...)}
	r.note("push %s %d", ch, cmd)
	if r.onPush != nil {
		r.onPush(p)
	}
	r.pushes <- p
}

func (r *recorder) ReportConnectStatus(all, long int) { r.note("report %d %d", all, long) }
func (r *recorder) OnLongLinkStatusChange(s int)      { r.note("status %d", s) }
func (r *recorder) OnLongLinkNetworkError(t ErrType, c int, ip string, port int) {
	r.note("neterr %d %d %s:%d", t, c, ip, port)
}

func (r *recorder) GetLonglinkIdentifyCheckBuffer(string) (IdentifyMode, []byte, []byte, uint32) {
	r.note("identify?")
	if r.identify != nil {
		return r.identify()
	}
	return IdentifyCheckNever, nil, nil, 0
}

func (r *recorder) OnLonglinkIdentifyResponse(ch string, resp, hash []byte) bool {
	r.note("identify-resp %s %s %s", ch, resp, hash)
	if r.identifyAnswer != nil {
		return r.identifyAnswer(resp)
	}
	return true
}

// rig is one engine on a fake network with a server listening at srv:1.
type rig struct {
	t     *testing.T
	e     *Engine
	rec   *recorder
	net   *fakenet.Network
	res   *fakenet.Resolver // the system resolver, knowing no host unless a test says
	lis   *fakenet.Listener
	codec wire.Codec
}

const srvAddr = "srv:1"

func newRig(t *testing.T, cfg Config) *rig {
	t.Helper()
	return newRigWith(t, cfg, nil)
}

// newRigWith is newRig with the recorder wrapped by wrap (nil: as it is),
// for tests of the optional extensions of Callbacks.
func newRigWith(t *testing.T, cfg Config, wrap func(*recorder) Callbacks) *rig {
	t.Helper()
	n := fakenet.NewNetwork()
	cfg.Dialer = n
	res := fakenet.NewResolver()
	if cfg.Resolver == nil {
		cfg.Resolver = res
	}
	cfg.ClientVersion = testVersion
	rec := newRecorder()
	var cb Callbacks = rec
	if wrap != nil {
		cb = wrap(rec)
	}
	e, err := New(cfg, cb)
	if err != nil {
		t.Fatal(err)
	}
	rec.e = e
	r := &rig{t: t, e: e, rec: rec, net: n, res: res, lis: n.Listen(srvAddr), codec: wire.NewMars(testVersion)}
	e.SetLonglinkSvrAddr("srv", []int{1}, "")
	t.Cleanup(func() {
		e.Close()
		r.lis.Close()
	})
	return r
}

// accept waits for the engine's next connection and wraps it in a peer.
func (r *rig) accept() *wiretest.Peer {
	r.t.Helper()
	c, err := r.lis.Accept()
	if err != nil {
		r.t.Fatal(err)
	}
	return wiretest.NewPeer(r.t, c, r.codec)
}

// acceptRaw waits for the next connection without a peer.
func (r *rig) acceptRaw() net.Conn {
	r.t.Helper()
	c, err := r.lis.Accept()
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { c.Close() })
	return c
}

// connect starts the link and returns the peer after the connect noop.
func (r *rig) connect() *wiretest.Peer {
	r.t.Helper()
	r.e.MakesureLonglinkConnected()
	p := r.accept()
	p.ReplyNoop(p.WantNoop())
	return p
}

// runOnOwner runs fn on the owner goroutine and waits, so a test reads owner
// state with a happens-before edge (virtual time alone gives none).
func (r *rig) onOwner(fn func(o *owner)) {
	r.t.Helper()
	if !r.e.runOnOwnerWait(fn) {
		r.t.Fatal("engine closed")
	}
}

// task is a long-link task with Mars's defaults.
func (r *rig) task(cmd uint32) Task {
	return NewTask(r.e.GenTaskID(), cmd)
}

func (r *rig) start(t Task) Task {
	r.t.Helper()
	if err := r.e.StartTask(t); err != nil {
		r.t.Fatal(err)
	}
	return t
}

// wantEnd waits (on virtual time) for the next OnTaskEnd and checks it.
func (r *rig) wantEnd(id uint32, typ ErrType, code int) ended {
	r.t.Helper()
	got := <-r.rec.ends
	if got.id != id || got.typ != typ || got.code != code {
		r.t.Fatalf("OnTaskEnd(%d, %d, %d), want (%d, %d, %d)", got.id, got.typ, got.code, id, typ, code)
	}
	return got
}

// wantNoEnd fails if an OnTaskEnd is pending once everything settled: it
// waits for the bubble to block first, so an end a timer firing at this
// very instant would report is not missed.
func (r *rig) wantNoEnd() {
	r.t.Helper()
	synctest.Wait()
	select {
	case got := <-r.rec.ends:
		r.t.Fatalf("unexpected OnTaskEnd(%d, %d, %d)", got.id, got.typ, got.code)
	default:
	}
}
