package engine

import (
	"encoding/binary"
	"fmt"
	"testing"
	"testing/synctest"

	"github.com/mars-go/mars/wire"
)

// extCodec is a host codec that frames Mars's extension buffer: the Mars
// header, then a 4-byte extension length, the extension and the body.
type extCodec struct{ wire.Mars }

func (c extCodec) Append(dst []byte, p wire.Packet) ([]byte, error) {
	inner := binary.BigEndian.AppendUint32(nil, uint32(len(p.Ext)))
	inner = append(append(inner, p.Ext...), p.Body...)
	return c.Mars.Append(dst, wire.Packet{CmdID: p.CmdID, Seq: p.Seq, Body: inner})
}

func (c extCodec) Parse(b []byte) (wire.Packet, int, error) {
	p, n, err := c.Mars.Parse(b)
	if err != nil {
		return p, n, err
	}
	if len(p.Body) < 4 || uint64(binary.BigEndian.Uint32(p.Body)) > uint64(len(p.Body)-4) {
		return wire.Packet{}, 0, fmt.Errorf("extCodec: bad extension length")
	}
	m := 4 + int(binary.BigEndian.Uint32(p.Body))
	p.Ext, p.Body = p.Body[4:m], p.Body[m:]
	return p, n, nil
}

// extRecorder answers through the optional extension interfaces.
type extRecorder struct {
	*recorder
	gotExt  chan string // Buf2RespExt's and OnPushExt's extensions
	respond Buf2RespResult
}

func (x *extRecorder) Req2BufExt(ref TaskRef, _ ChannelSelect, _ string, dst []byte) ([]byte, []byte, int, bool) {
	return append(dst, "body"...), []byte(fmt.Sprintf("ext-%d", ref.TaskID)), 0, true
}

func (x *extRecorder) Buf2RespExt(_ TaskRef, _ ChannelSelect, body, ext []byte) Buf2RespResult {
	x.gotExt <- string(body) + "+" + string(ext)
	return x.respond
}

func (x *extRecorder) OnPushExt(_ string, cmd, _ uint32, body, ext []byte) {
	x.gotExt <- fmt.Sprintf("push %d %s+%s", cmd, body, ext)
}

func newExtRig(t *testing.T) (*rig, *extRecorder) {
	var x *extRecorder
	codec := extCodec{wire.Mars{ClientVersion: testVersion}}
	r := newRigWith(t, Config{Codec: codec}, func(rec *recorder) Callbacks {
		x = &extRecorder{recorder: rec, gotExt: make(chan string, 10)}
		return x
	})
	r.codec = codec
	return r, x
}

// TestExtensionBuffersReachTheCodecAndBack: Req2BufExt's extension goes to
// the codec beside the body; the response's extension reaches Buf2RespExt,
// whose flags and server sequence id land in the task's profile.
func TestExtensionBuffersReachTheCodecAndBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, x := newExtRig(t)
		x.respond = Buf2RespResult{Handle: RespHandleNormal, ErrCode: 3, Flags: 5, ServerSequenceID: 4242}
		p := r.connect()
		tk := r.start(r.task(7))
		req := p.WantPacket(7)
		if want := fmt.Sprintf("ext-%d", tk.TaskID); string(req.Ext) != want || string(req.Body) != "body" {
			t.Fatalf("request body %q ext %q, want body and %q", req.Body, req.Ext, want)
		}
		p.Send(wire.Packet{CmdID: 7, Seq: req.Seq, Body: []byte("resp"), Ext: []byte("rext")})
		if got := <-x.gotExt; got != "resp+rext" {
			t.Fatalf("Buf2RespExt got %q", got)
		}
		end := r.wantEnd(tk.TaskID, EctOK, 3)
		if end.prof.RespFlags != 5 || end.prof.ServerSequenceID != 4242 {
			t.Fatalf("profile flags %d server seq %d", end.prof.RespFlags, end.prof.ServerSequenceID)
		}
	})
}

// TestPushExtensionReachesOnPushExt: OnPushExt replaces OnPush.
func TestPushExtensionReachesOnPushExt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, x := newExtRig(t)
		p := r.connect()
		p.Send(wire.Packet{CmdID: 10001, Seq: wire.PushSeq, Body: []byte("hi"), Ext: []byte("pext")})
		if got := <-x.gotExt; got != "push 10001 hi+pext" {
			t.Fatalf("OnPushExt got %q", got)
		}
		synctest.Wait()
		select {
		case p := <-r.rec.pushes:
			t.Fatalf("OnPush also ran: %v", p)
		default:
		}
	})
}
