package marsdtest

import (
	"net"
	"testing"

	"go.uber.org/goleak"

	"github.com/mars-go/mars/marsd"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestStartListensOnLoopbackAndClosesAtCleanup(t *testing.T) {
	var long string
	t.Run("server", func(t *testing.T) {
		srv := Start(t, marsd.Config{ClientVersion: 7})
		long = srv.LongAddr()
		for _, a := range []string{long, srv.ShortAddr()} {
			host, _, err := net.SplitHostPort(a)
			if err != nil || host != "127.0.0.1" {
				t.Fatalf("address %q, want 127.0.0.1:port (%v)", a, err)
			}
		}
		c, err := net.Dial("tcp", long)
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	})
	if c, err := net.Dial("tcp", long); err == nil {
		c.Close()
		t.Fatal("the server still accepts after its test ended")
	}
}
