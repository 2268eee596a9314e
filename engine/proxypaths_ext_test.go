package engine_test

import (
	"bufio"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/marsd"
	"github.com/mars-go/mars/sdt"
)

// recordingProxy is an HTTP CONNECT proxy on loopback: it reports every
// target it is asked for on asked, tunnels to the targets in tunnel and
// refuses the others with 502.
type recordingProxy struct {
	addr   string
	asked  chan string
	tunnel map[string]bool
}

func newRecordingProxy(t *testing.T, tunnel ...string) *recordingProxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &recordingProxy{addr: l.Addr().String(), asked: make(chan string, 1024), tunnel: map[string]bool{}}
	for _, a := range tunnel {
		p.tunnel[a] = true
	}
	front(t, l, func(c net.Conn) {
		req, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			return
		}
		select {
		case p.asked <- req.RequestURI:
		default: // the test has seen enough
		}
		if !p.tunnel[req.RequestURI] {
			io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
			return
		}
		tunnelTo(c, req.RequestURI)
	})
	return p
}

// directTarget is a server the engine must reach only through the proxy:
// it counts the connections it accepts, which are all direct ones.
type directTarget struct {
	addr   string
	conns  atomic.Int32
	direct chan struct{} // closed at the first connection
}

func newDirectTarget(t *testing.T, addr string) *directTarget {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	d := &directTarget{addr: l.Addr().String(), direct: make(chan struct{})}
	front(t, l, func(net.Conn) {
		if d.conns.Add(1) == 1 {
			close(d.direct)
		}
	})
	return d
}

// pathCallbacks answers OnNewDns with dns, names shortHosts to the
// automatic network check and hands its reports over.
type pathCallbacks struct {
	*netCallbacks
	dns        []string
	shortHosts []string
	reports    chan *sdt.Report
}

func newPathCallbacks() *pathCallbacks {
	return &pathCallbacks{netCallbacks: newNetCallbacks(), reports: make(chan *sdt.Report, 4)}
}

func (c *pathCallbacks) OnNewDns(string, bool) []string          { return c.dns }
func (c *pathCallbacks) RequestNetCheckShortLinkHosts() []string { return c.shortHosts }
func (c *pathCallbacks) OnNetCheckResult(r *sdt.Report)          { c.reports <- r }

// wantProxiedOnly waits until the proxy was asked for every target, and
// fails as soon as one of them is reached directly instead.
func wantProxiedOnly(t *testing.T, p *recordingProxy, targets ...*directTarget) {
	t.Helper()
	direct, done := make(chan string, len(targets)), make(chan struct{})
	defer close(done)
	for _, d := range targets {
		go func() {
			select {
			case <-d.direct:
				direct <- d.addr
			case <-done:
			}
		}()
	}
	pending := map[string]bool{}
	for _, d := range targets {
		pending[d.addr] = true
	}
	deadline := time.After(loopTimeout)
	for len(pending) > 0 {
		select {
		case a := <-p.asked:
			delete(pending, a)
		case a := <-direct:
			t.Fatalf("%s was reached directly", a)
		case <-deadline:
			t.Fatalf("the proxy was never asked for %v", slices.Collect(maps.Keys(pending)))
		}
	}
}

// Every connection the engine makes goes through the configured proxy:
// for each path, the servers it targets see no direct connection while
// the proxy is asked for them. (DoH and signalling have their own tests.)
func TestLoopbackEveryPathGoesThroughTheProxy(t *testing.T) {
	for name, run := range map[string]func(t *testing.T, srv longServer) (*recordingProxy, []*directTarget){
		"long link": func(t *testing.T, srv longServer) (*recordingProxy, []*directTarget) {
			target := newDirectTarget(t, "127.0.0.1:0")
			px := newRecordingProxy(t)
			e := startEngine(t, srv.Server, engine.Config{Proxy: proxyAt(px)}, newNetCallbacks())
			e.SetLonglinkSvrAddr("marsd.test", []int{port(t, target.addr)}, "127.0.0.1")
			e.MakesureLonglinkConnected()
			return px, []*directTarget{target}
		},
		"short link": func(t *testing.T, srv longServer) (*recordingProxy, []*directTarget) {
			target := newDirectTarget(t, "127.0.0.1:0")
			px := newRecordingProxy(t)
			e := shortEngine(t, srv.Server, target.addr, engine.Config{Proxy: proxyAt(px)}, newShortCallbacks())
			e.StartTask(shortTask(e, "/mars/hello"))
			return px, []*directTarget{target}
		},
		// The link runs on a backup IP through the proxy; the recovery
		// probe of the primary address goes to the proxy too.
		"recovery probe": func(t *testing.T, srv longServer) (*recordingProxy, []*directTarget) {
			primary := newDirectTarget(t, net.JoinHostPort("::1", strconv.Itoa(srv.port)))
			px := newRecordingProxy(t, srv.LongAddr())
			cb := newPathCallbacks()
			cb.dns = []string{"::1"}
			backup := engine.Address{Host: "marsd.test", IP: "127.0.0.1", Port: srv.port, Kind: engine.AddressBackup}
			e := startEngine(t, srv.Server, engine.Config{Proxy: proxyAt(px), Addresses: fixedAddrs{backup}}, cb)
			e.MakesureLonglinkConnected()
			waitStatus(t, cb.netCallbacks, 2)
			engine.RecoveryCheckNow(e)
			return px, []*directTarget{primary}
		},
		// The automatic check's long-link and HTTP checks; its report
		// comes once both were tried.
		"net check": func(t *testing.T, srv longServer) (*recordingProxy, []*directTarget) {
			long, short := newDirectTarget(t, "127.0.0.1:0"), newDirectTarget(t, "127.0.0.1:0")
			px := newRecordingProxy(t)
			cb := newPathCallbacks()
			cb.shortHosts = []string{"127.0.0.1"}
			e := startEngine(t, srv.Server, engine.Config{Proxy: proxyAt(px), NetCheckCGI: "/check"}, cb)
			e.SetLonglinkSvrAddr("marsd.test", []int{port(t, long.addr)}, "127.0.0.1")
			e.SetShortlinkSvrAddr(port(t, short.addr), "")
			engine.NetCheckNow(e)
			select {
			case <-cb.reports:
			case <-time.After(loopTimeout):
				t.Fatal("no net check report")
			}
			return px, []*directTarget{long, short}
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv := startMarsd(t)
			px, targets := run(t, longServer{srv, port(t, srv.LongAddr())})
			wantProxiedOnly(t, px, targets...)
			for _, d := range targets {
				if n := d.conns.Load(); n != 0 {
					t.Errorf("%s had %d direct connections", d.addr, n)
				}
			}
		})
	}
}

// longServer is marsd with its long-link port.
type longServer struct {
	*marsd.Server
	port int
}

func proxyAt(p *recordingProxy) *engine.ProxyConfig {
	return &engine.ProxyConfig{Kind: engine.ProxyHTTP, Addr: p.addr}
}
