package engine

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/engine/wire/wiretest"
)

// wifiRTT is a Wi-Fi-like round trip for the failover tests.
const wifiRTT = 30 * time.Millisecond

// Ours: with no connect history (a fresh install) the first stagger is
// RFC 8305's 250 ms on Wi-Fi, so a blackholed first address costs the first
// task about 250 ms plus two round trips, not Mars's 2.5 s.
func TestFreshInstallFailsOverFromABlackholeWithinSixHundredMs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.net.SetRTT(wifiRTT)
		r.net.Blackhole("10.0.0.1:5")
		good := r.net.Listen("10.0.0.1:7")
		defer good.Close()
		r.e.SetLonglinkSvrAddr("srv", []int{5, 7}, "10.0.0.1")
		t0 := time.Now()
		tk := r.start(r.task(7))
		c, err := good.Accept()
		if err != nil {
			t.Fatal(err)
		}
		p := wiretest.NewPeer(t, c, r.codec)
		p.Timeout = time.Hour
		defer p.Close()
		req := p.WantPacket(7)
		time.Sleep(wifiRTT) // the request's and the answer's way across
		p.Reply(req, nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
		if d := time.Since(t0); d >= 600*time.Millisecond {
			t.Fatalf("first task done after %v, want < 600ms", d)
		}
	})
}

// Ours: on a mobile network with no history the first stagger is 500 ms.
func TestFreshInstallMobileStaggerIsHalfASecond(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.e.OnNetworkChange(NetworkMobile)
		synctest.Wait()
		good, got := blackholeThenGood(r)
		defer good.Close()
		if got["10.0.0.1:5"] != 0 || got["10.0.0.1:7"] != DefaultMobileFirstConnectInterval {
			t.Fatalf("dial times %v, want the second at %v", got, DefaultMobileFirstConnectInterval)
		}
		c, err := good.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	})
}
