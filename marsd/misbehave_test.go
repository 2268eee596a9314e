package marsd

import (
	"bytes"
	"testing"
	"time"

	"github.com/mars-go/mars/wire"
)

func TestCmdSilenceNotAnswered(t *testing.T) {
	s := start(t, Config{})
	c := client(t, s)
	c.Send(wire.Packet{CmdID: CmdSilence, Seq: 1})
	c.Send(wire.Packet{CmdID: 8, Seq: 2})
	// Answers leave in request order, so the next packet proves that the
	// silent request got none.
	if got := c.Next(); got.CmdID != 8 {
		t.Fatalf("got %v, want the answer to cmdid 8", got)
	}
	if st := s.Stats(); st.Requests != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestCmdCloseClosesConnection(t *testing.T) {
	s := start(t, Config{})
	c := client(t, s)
	c.Send(wire.Packet{CmdID: CmdClose, Seq: 1})
	c.WantClosed()
}

func TestCmdWrongVersion(t *testing.T) {
	s := start(t, Config{})
	conn := dial(t, s)
	write(t, conn, encode(t, wire.Packet{CmdID: CmdWrongVersion, Seq: 3, Body: []byte("v")}))
	raw, _ := readN(t, conn, 21)
	if _, v, cmd, seq, n := header(raw); v != testVersion+1 || cmd != CmdWrongVersion || seq != 3 || n != 1 {
		t.Fatalf("header % x", raw[:20])
	}
	if _, _, err := codec.Parse(raw); err == nil {
		t.Fatal("client codec accepted the wrong version")
	}
}

func TestCmdOversize(t *testing.T) {
	s := start(t, Config{})
	conn := dial(t, s)
	write(t, conn, encode(t, wire.Packet{CmdID: CmdOversize, Seq: 3}))
	raw, _ := readN(t, conn, 20)
	if h, _, _, _, n := header(raw); uint64(h)+uint64(n) <= 1<<20 {
		t.Fatalf("header announces %d bytes, want > 1 MiB", uint64(h)+uint64(n))
	}
	if _, _, err := codec.Parse(raw); err == nil {
		t.Fatal("client codec accepted the oversize header")
	}
}

func TestCmdTrickle(t *testing.T) {
	s := start(t, Config{})
	conn := dial(t, s)
	// 60 bytes at 5 ms each: the reader would have to stall 300 ms to see
	// them in one read.
	req := encode(t, wire.Packet{CmdID: CmdTrickle, Seq: 3, Body: bytes.Repeat([]byte("slow"), 10)})
	write(t, conn, req)
	raw, reads := readN(t, conn, len(req))
	if !bytes.Equal(raw, req) {
		t.Fatalf("trickled answer % x", raw)
	}
	if reads < 2 {
		t.Fatalf("answer arrived in %d read(s); want it trickled over several", reads)
	}
}

func TestCmdPartial(t *testing.T) {
	s := start(t, Config{})
	conn := dial(t, s)
	write(t, conn, encode(t, wire.Packet{CmdID: CmdPartial, Seq: 3, Body: []byte("0123456789")}))
	raw, _ := readN(t, conn, 30)
	if _, _, _, _, n := header(raw); n != 10+PartialMissing || string(raw[20:]) != "0123456789" {
		t.Fatalf("partial answer % x", raw)
	}
	wantSilence(t, conn)
}

func TestCmdLongHeader(t *testing.T) {
	s := start(t, Config{})
	conn := dial(t, s)
	write(t, conn, encode(t, wire.Packet{CmdID: CmdLongHeader, Seq: 3, Body: []byte("abc")}))
	raw, _ := readN(t, conn, ExtHeaderLen+3)
	p, n, err := codec.Parse(raw)
	if err != nil || n != 31 || string(p.Body) != "abc" || p.Seq != 3 {
		t.Fatalf("Parse(% x) = %v n=%d err=%v", raw, p, n, err)
	}
	if h, _, _, _, _ := header(raw); h != ExtHeaderLen {
		t.Fatalf("head_length %d", h)
	}
}

func TestCmdDelay(t *testing.T) {
	s := start(t, Config{})
	c := client(t, s)
	begin := time.Now()
	c.Send(wire.Packet{CmdID: CmdDelayBase + 2, Seq: 1})
	c.WantPacket(CmdDelayBase + 2)
	if d := time.Since(begin); d < 2*DelayUnit {
		t.Fatalf("answered after %v, want >= %v", d, 2*DelayUnit)
	}
}

func TestBehaviorSilent(t *testing.T) {
	hook, handled := packets()
	s := start(t, Config{OnPacket: hook, Behavior: Behavior{Silent: true}})
	conn := dial(t, s)
	write(t, conn, encode(t, codec.Noop()))
	write(t, conn, encode(t, wire.Packet{CmdID: 7, Seq: 1}))
	write(t, conn, encode(t, wire.Identify(8, nil)))
	awaitHandled(t, handled, 6)
	awaitHandled(t, handled, 7)
	awaitHandled(t, handled, 8)
	s.SetBehavior(Behavior{})
	write(t, conn, encode(t, wire.Packet{CmdID: 9, Seq: 2}))
	raw, _ := readN(t, conn, 20)
	if _, _, cmd, _, _ := header(raw); cmd != 9 {
		t.Fatalf("first answer has cmdid %d; the silent ones were answered", cmd)
	}
}

func TestBehaviorIgnoreNoop(t *testing.T) {
	s := start(t, Config{Behavior: Behavior{IgnoreNoop: true}})
	c := client(t, s)
	c.Send(codec.Noop())
	c.Send(wire.Packet{CmdID: 7, Seq: 1})
	if got := c.Next(); got.CmdID != 7 {
		t.Fatalf("got %v, want the answer to cmdid 7 (noop ignored)", got)
	}
}

func TestBehaviorCloseAfterBytes(t *testing.T) {
	s := start(t, Config{Behavior: Behavior{CloseAfter: 30}})
	conn := dial(t, s)
	req := encode(t, wire.Packet{CmdID: 7, Seq: 1, Body: []byte("0123456789")}) // 30 bytes
	write(t, conn, req)
	first, _ := readN(t, conn, 30)
	if !bytes.Equal(first, req) {
		t.Fatalf("first answer % x", first)
	}
	wantEOF(t, conn)

	conn = dial(t, s)
	s.SetBehavior(Behavior{CloseAfter: 25})
	write(t, conn, req)
	cut, _ := readN(t, conn, 25)
	if !bytes.Equal(cut, req[:25]) {
		t.Fatalf("cut answer % x", cut)
	}
	wantEOF(t, conn)
}

func TestBehaviorServerWide(t *testing.T) {
	s := start(t, Config{Behavior: Behavior{WrongVersion: true, Delay: 100 * time.Millisecond, Trickle: 10 * time.Millisecond}})
	conn := dial(t, s)
	begin := time.Now()
	write(t, conn, encode(t, wire.Packet{CmdID: 7, Seq: 1, Body: []byte("abc")}))
	raw, reads := readN(t, conn, 23)
	if _, v, _, _, _ := header(raw); v != testVersion+1 {
		t.Fatalf("version %d", v)
	}
	if d := time.Since(begin); d < 100*time.Millisecond || reads < 2 {
		t.Fatalf("answer after %v in %d reads; want delayed and trickled", d, reads)
	}
	s.SetBehavior(Behavior{Oversize: true})
	write(t, conn, encode(t, wire.Packet{CmdID: 7, Seq: 2}))
	raw, _ = readN(t, conn, 20)
	if h, _, _, _, n := header(raw); uint64(h)+uint64(n) <= 1<<20 {
		t.Fatalf("oversize header % x", raw)
	}
}
