package marsd

import (
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mars-go/mars/wire"
)

func TestCloseWithConnectionsOpen(t *testing.T) {
	hook, handled := packets()
	s := New(Config{ClientVersion: testVersion, OnPacket: hook})
	if err := s.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	var peers []interface{ WantClosed() }
	for i := range 3 {
		c := client(t, s)
		c.Send(wire.Packet{CmdID: CmdDelayBase + 999, Seq: uint32(i + 1)}) // answer pending for 99.9 s
		awaitHandled(t, handled, CmdDelayBase+999)
		peers = append(peers, c)
	}
	if st := s.Stats(); st.Open != 3 {
		t.Fatalf("stats %+v", st)
	}
	if err := s.Close(); err != nil { // returns only when all goroutines ended
		t.Fatal(err)
	}
	for _, p := range peers {
		p.WantClosed()
	}
	if st := s.Stats(); st.Open != 0 {
		t.Fatalf("open connections after Close: %+v", st)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := s.Start("127.0.0.1:0", ""); err == nil {
		t.Fatal("Start after Close succeeded")
	}
}

func TestStartFailsOnBusyAddress(t *testing.T) {
	a := start(t, Config{})
	b := New(Config{})
	if err := b.Start("127.0.0.1:0", a.ShortAddr()); err == nil {
		_ = b.Close()
		t.Fatal("Start on a busy short address succeeded")
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestParseBehaviorRoundTrip(t *testing.T) {
	in := Behavior{Delay: 250 * time.Millisecond, Silent: true, IgnoreNoop: true, CloseAfter: 7,
		Trickle: time.Millisecond, WrongVersion: true, Oversize: true, Status: 500, OnePerRead: true}
	got, err := ParseBehavior(in.Values())
	if err != nil || got != in {
		t.Fatalf("ParseBehavior(%q) = %+v, %v", in.String(), got, err)
	}
	if (Behavior{}).String() != "" {
		t.Fatal("zero behaviour renders non-empty")
	}
	for _, bad := range []string{"delay=-1s", "delay=x", "silent=maybe", "close_after=-1", "status=42", "nope=1"} {
		v, _ := url.ParseQuery(bad)
		if _, err := ParseBehavior(v); err == nil || !strings.Contains(err.Error(), "marsd:") {
			t.Errorf("ParseBehavior(%q) = %v, want an error", bad, err)
		}
	}
}

func TestForRequestCmdids(t *testing.T) {
	base := Behavior{Delay: time.Second}
	cases := map[uint32]Behavior{
		CmdSilence:        {Delay: time.Second, Silent: true},
		CmdWrongVersion:   {Delay: time.Second, WrongVersion: true},
		CmdOversize:       {Delay: time.Second, Oversize: true},
		CmdTrickle:        {Delay: time.Second, Trickle: DefaultTrickleGap},
		CmdDelayBase:      {Delay: time.Second},
		CmdDelayBase + 15: {Delay: time.Second + 1500*time.Millisecond},
		CmdDelayLast + 1:  {Delay: time.Second},
		7:                 {Delay: time.Second},
	}
	for cmd, want := range cases {
		if got := base.forRequest(cmd); got != want {
			t.Errorf("forRequest(%d) = %+v, want %+v", cmd, got, want)
		}
	}
}

// TestHelpAndDocNameEveryCmdid keeps Help, the package doc and the
// constants in step.
func TestHelpAndDocNameEveryCmdid(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []uint32{PushCmdID, CmdPushEcho, CmdPushAll, CmdSilence, CmdClose, CmdWrongVersion,
		CmdOversize, CmdTrickle, CmdPartial, CmdLongHeader, CmdDelayBase, CmdDelayLast} {
		s := strconv.FormatUint(uint64(cmd), 10)
		if !strings.Contains(Help, s) || !strings.Contains(string(doc), s) {
			t.Errorf("cmdid %s missing from Help or doc.go", s)
		}
	}
	for _, ep := range []string{"behavior", "push", "close", "stats", "conns"} {
		if !strings.Contains(Help, "/_marsd/"+ep) || !strings.Contains(string(doc), "/_marsd/"+ep) {
			t.Errorf("endpoint %s missing from Help or doc.go", ep)
		}
	}
	for k := range (Behavior{Delay: 1, Silent: true, IgnoreNoop: true, CloseAfter: 1, Trickle: 1,
		WrongVersion: true, Oversize: true, Status: 200, OnePerRead: true}).Values() {
		if !strings.Contains(Help, k+"=") || !strings.Contains(string(doc), k+"=") {
			t.Errorf("behaviour field %s missing from Help or doc.go", k)
		}
	}
}
