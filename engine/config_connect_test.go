package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestDefaultConfigSpellsOutTheConnectStrategy(t *testing.T) {
	c := DefaultConfig()
	if c.ConnectInterval != 2500*time.Millisecond || c.MinConnectInterval != 250*time.Millisecond ||
		c.MaxConnecting != 3 || c.ResolverTimeout != time.Second || c.Resolver == nil || c.ExactMarsTiming {
		t.Fatalf("defaults %+v", c)
	}
}

// nopShortLink is a custom ShortLink transport that is never called.
type nopShortLink struct{}

func (nopShortLink) RoundTrip(context.Context, *ShortLinkRequest) ([]byte, error) { return nil, nil }

func TestConnectStrategyConfigIsValidated(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{ConnectInterval: -time.Second}, "ConnectInterval"},
		{Config{ResolverTimeout: -time.Second}, "ResolverTimeout"},
		{Config{MaxConnecting: -1}, "MaxConnecting"},
		{Config{MinConnectInterval: 3 * time.Second}, "MinConnectInterval"},
		{Config{Proxy: &ProxyConfig{Kind: ProxyHTTP}}, "Proxy"},
		{Config{Proxy: &ProxyConfig{Kind: 9, Addr: "127.0.0.1:1"}}, "Proxy: Kind 9 is unknown"},
		{Config{Proxy: &ProxyConfig{Kind: ProxyHTTP, Addr: "127.0.0.1"}}, "is not host:port"},
		{Config{Proxy: &ProxyConfig{Kind: ProxyHTTP, Addr: "127.0.0.1:0"}}, "no port in 1..65535"},
		{Config{Proxy: &ProxyConfig{Kind: ProxySOCKS5, Addr: "127.0.0.1:1080", Password: "p"}}, "without a User"},
		{Config{Proxy: &ProxyConfig{Kind: ProxySOCKS5, Addr: "127.0.0.1:1080", User: strings.Repeat("u", 256)}},
			"at most 255 bytes"},
		{Config{Proxy: &ProxyConfig{Kind: ProxyHTTP, Addr: "127.0.0.1:8080", User: "a:b"}}, "cannot contain ':'"},
		{Config{Proxy: &ProxyConfig{Kind: ProxyHTTP, Addr: "127.0.0.1:8080"}, ShortLink: nopShortLink{}},
			"custom ShortLink transport"},
	} {
		_, err := New(tc.cfg, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one naming %s", tc.cfg, err, tc.want)
		}
	}
	e, err := New(Config{Proxy: &ProxyConfig{Kind: ProxySOCKS5, Addr: "127.0.0.1:1080"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.Close()
}
