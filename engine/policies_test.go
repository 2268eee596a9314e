package engine

import (
	"io"
	"sync"
	"testing"
	"time"

	"github.com/mars-go/mars/engine/internal/fakenet"
	"github.com/mars-go/mars/wire"
)

// limited is one ReportTaskLimited call.
type limited struct {
	kind  int
	id    uint32
	param int
}

// policyRecorder adds the policy callbacks, and the optional extensions,
// to the harness recorder.
type policyRecorder struct {
	*recorder
	limited chan limited
	syncs   chan time.Time
	quality chan NetworkQuality
	logoned bool
}

func (p *policyRecorder) ReportTaskLimited(kind int, ref TaskRef, param int) {
	p.limited <- limited{kind, ref.TaskID, param}
}
func (p *policyRecorder) RequestSync()                            { p.syncs <- time.Now() }
func (p *policyRecorder) OnNetworkQualityChange(q NetworkQuality) { p.quality <- q }
func (p *policyRecorder) IsLogoned() bool                         { return p.logoned }

// newPolicyRig is newRig with a policyRecorder as the callbacks.
func newPolicyRig(t *testing.T, cfg Config, logoned bool) (*rig, *policyRecorder) {
	t.Helper()
	n := fakenet.NewNetwork()
	cfg.Dialer = n
	if cfg.Resolver == nil {
		cfg.Resolver = fakenet.NewResolver()
	}
	cfg.ClientVersion = testVersion
	rec := &policyRecorder{recorder: newRecorder(), limited: make(chan limited, 1000),
		syncs: make(chan time.Time, 1000), quality: make(chan NetworkQuality, 1000), logoned: logoned}
	e, err := New(cfg, rec)
	if err != nil {
		t.Fatal(err)
	}
	rec.e = e
	r := &rig{t: t, e: e, rec: rec.recorder, net: n, lis: n.Listen(srvAddr), codec: wire.NewMars(testVersion)}
	e.SetLonglinkSvrAddr("srv", []int{1}, "")
	t.Cleanup(func() {
		e.Close()
		r.lis.Close()
	})
	return r, rec
}

// natServer is a long-link server behind a NAT that silently forgets a
// connection once it has carried no packet, either way, for longer than
// timeout: nothing gets through any more, so the client's next heartbeat
// goes unanswered. It answers heartbeats and echoes requests.
type natServer struct {
	timeout time.Duration
	codec   wire.Codec
	wg      sync.WaitGroup

	mu     sync.Mutex
	noops  int         // heartbeats the client sent, through the NAT or not
	drops  []time.Time // when the NAT forgot a connection the client still used
	idles  []time.Duration
	served int // connections accepted
	conns  []io.Closer
}

// serve accepts connections until lis closes; t.Cleanup waits for it.
func (n *natServer) serve(t *testing.T, lis *fakenet.Listener) {
	n.wg.Go(func() {
		for {
			c, err := lis.Accept()
			if err != nil {
				return
			}
			n.mu.Lock()
			n.served++
			n.conns = append(n.conns, c)
			n.mu.Unlock()
			n.wg.Go(func() { n.conn(c) })
		}
	})
	t.Cleanup(func() {
		lis.Close()
		n.mu.Lock()
		for _, c := range n.conns {
			c.Close()
		}
		n.mu.Unlock()
		n.wg.Wait()
	})
}

func (n *natServer) conn(c io.ReadWriteCloser) {
	defer c.Close()
	st := wire.NewStream(n.codec)
	buf := make([]byte, 4096)
	last, dead := time.Now(), false
	for {
		k, err := c.Read(buf)
		if err != nil {
			return
		}
		_, _ = st.Write(buf[:k]) // a Stream write never fails
		for {
			p, ok, err := st.Next()
			if err != nil || !ok {
				break
			}
			now := time.Now()
			n.mu.Lock()
			if wire.IsNoopRequest(p) {
				n.noops++
				n.idles = append(n.idles, now.Sub(last))
			}
			if !dead && now.Sub(last) > n.timeout {
				dead = true
				n.drops = append(n.drops, now)
			}
			n.mu.Unlock()
			if dead {
				continue
			}
			last = now
			reply := wire.Packet{CmdID: p.CmdID, Seq: p.Seq, Body: p.Body}
			if wire.IsNoopRequest(p) {
				reply = wire.NoopResponse(p)
			}
			out, _ := n.codec.Append(nil, reply) // encodes what it parsed
			if _, err := c.Write(out); err != nil {
				return
			}
		}
	}
}

func (n *natServer) counts() (noops, drops int, dropAt []time.Time) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.noops, len(n.drops), append([]time.Time(nil), n.drops...)
}
