package engine

import (
	"context"
	"net"
	"testing"
	"testing/synctest"
	"time"
)

// namedDialer tells the chooser's answers apart.
type namedDialer string

func (namedDialer) DialContext(context.Context, string, string) (net.Conn, error) { return nil, nil }

type providerFunc func(host string, longlink bool) (*ProxyConfig, bool)

func (f providerFunc) ProxyFor(host string, longlink bool) (*ProxyConfig, bool) {
	return f(host, longlink)
}

func chooser(p ProxyProvider) proxyChooser {
	return proxyChooser{provider: p, base: namedDialer("base"), static: namedDialer("static"),
		logf: func(LogLevel, string, ...any) {}}
}

func TestProxyForAnswersPickTheDialer(t *testing.T) {
	good := &ProxyConfig{Kind: ProxySOCKS5, Addr: "127.0.0.1:1080"}
	for name, tc := range map[string]struct {
		proxy *ProxyConfig
		ok    bool
		want  Dialer
	}{
		"no answer":       {good, false, namedDialer("static")},
		"direct":          {nil, true, namedDialer("base")},
		"unusable":        {&ProxyConfig{Kind: ProxyHTTP, Addr: "no port"}, true, namedDialer("static")},
		"without chooser": {},
	} {
		t.Run(name, func(t *testing.T) {
			c := chooser(providerFunc(func(string, bool) (*ProxyConfig, bool) { return tc.proxy, tc.ok }))
			if name == "without chooser" {
				c.provider, tc.want = nil, namedDialer("static")
			}
			if got := c.dialer(context.Background(), "h", true); got != tc.want {
				t.Fatalf("%v, want %v", got, tc.want)
			}
		})
	}
	c := chooser(providerFunc(func(string, bool) (*ProxyConfig, bool) { return good, true }))
	if _, ok := c.dialer(context.Background(), "h", false).(namedDialer); ok {
		t.Fatal("a usable proxy was not used")
	}
}

// A slow host cannot hold a connect: after ProxyForTimeout it goes on
// with Config.Proxy, and the late answer is dropped.
func TestProxyForTimesOutToConfigProxy(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var gotHost string
		var gotLong bool
		c := chooser(providerFunc(func(host string, longlink bool) (*ProxyConfig, bool) {
			gotHost, gotLong = host, longlink
			<-release
			return nil, true
		}))
		start := time.Now()
		d := c.dialer(context.Background(), "h.test", true)
		if d != namedDialer("static") || time.Since(start) != ProxyForTimeout {
			t.Fatalf("%v after %v, want static after %v", d, time.Since(start), ProxyForTimeout)
		}
		close(release)
		synctest.Wait()
		if gotHost != "h.test" || !gotLong {
			t.Fatalf("asked (%q, %v)", gotHost, gotLong)
		}
	})
}
