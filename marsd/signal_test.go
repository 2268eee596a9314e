package marsd

import (
	"net"
	"testing"

	"github.com/mars-go/mars/wire"
)

func TestSignallingDatagramsCounted(t *testing.T) {
	hook, handled := packets()
	s := start(t, Config{OnPacket: hook})
	u, err := net.Dial("udp", s.LongAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	write(t, u, []byte("garbage"))
	write(t, u, encode(t, wire.Packet{CmdID: wire.SignallingCmdID, Seq: 0}))
	awaitHandled(t, handled, wire.SignallingCmdID)
	if st := s.Stats(); st.Signals != 1 || st.BadSignals != 1 || st.Requests != 0 {
		t.Fatalf("stats %+v", st)
	}
}
