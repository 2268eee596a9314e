package shortlink

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mars-go/mars/engine/internal/pin"
	"github.com/mars-go/mars/engine/internal/tunnel"
)

// testPKI is a self-signed CA and a server certificate it signed.
type testPKI struct {
	ca     *x509.Certificate
	server tls.Certificate
}

func newPKI(t *testing.T, host string) testPKI {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: host},
		DNSNames: []string{host}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return testPKI{ca: ca, server: tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key}}
}

func tlsServer(t *testing.T, p testPKI) string {
	t.Helper()
	srv, _ := echoServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tl := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{p.server}, MinVersion: tls.VersionTLS13})
	hs := &http.Server{Handler: srv.Config.Handler}
	done := make(chan struct{})
	go func() { defer close(done); _ = hs.Serve(tl) }()
	t.Cleanup(func() { _ = hs.Close(); <-done })
	return ln.Addr().String()
}

func TestHTTPSWithPins(t *testing.T) {
	const host = "short.example.com"
	p := newPKI(t, host)
	addr := tlsServer(t, p)
	roots := x509.NewCertPool()
	roots.AddCert(p.ca)
	other := newPKI(t, host)
	for _, tc := range []struct {
		name string
		cfg  *tls.Config
		code int // 0: the round trip succeeds
	}{
		{"custom root", &tls.Config{RootCAs: roots}, 0},
		{"pinned CA", &tls.Config{RootCAs: roots, VerifyConnection: pin.Verifier([][32]byte{pin.SPKI(p.ca)})}, 0},
		{"pin mismatch", &tls.Config{RootCAs: roots, VerifyConnection: pin.Verifier([][32]byte{pin.SPKI(other.ca)})}, CodePinMismatch},
		{"unknown CA", &tls.Config{}, CodeCertificate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := newTransport(t, addr, func(c *Config) { c.TLS = tc.cfg })
			body, err := roundTrip(t, tr, &Request{Host: host, Cgi: "/mars/hello", Body: []byte("secret")})
			if tc.code == 0 {
				if err != nil || string(body) != "secret" {
					t.Fatalf("got %q, %v", body, err)
				}
				return
			}
			wantErr(t, err, TypeSocket, tc.code)
		})
	}
}

// connectProxy is a minimal HTTP CONNECT proxy that counts tunnels.
func connectProxy(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	var tunnels atomic.Int32
	addr := rawServer(t, func(c net.Conn, r *bufio.Reader) {
		req, err := http.ReadRequest(r)
		if err != nil || req.Method != http.MethodConnect {
			return
		}
		up, err := net.Dial("tcp", req.Host)
		if err != nil {
			_, _ = io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
			return
		}
		defer func() { _ = up.Close() }()
		tunnels.Add(1)
		_, _ = io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
		done := make(chan struct{})
		go func() { defer close(done); _, _ = io.Copy(up, r); _ = up.(*net.TCPConn).CloseWrite() }()
		_, _ = io.Copy(c, up)
		_ = c.Close()
		<-done
	})
	return addr, &tunnels
}

func TestThroughConnectProxy(t *testing.T) {
	srv, _ := echoServer(t)
	proxyAddr, tunnels := connectProxy(t)
	tr := newTransport(t, srv.Listener.Addr().String(), func(c *Config) {
		c.Dialer = tunnel.HTTPConnect(&net.Dialer{}, proxyAddr, "", "")
	})
	body, err := roundTrip(t, tr, &Request{Host: "h", Cgi: "/", Body: []byte("via proxy")})
	if err != nil || string(body) != "via proxy" {
		t.Fatalf("got %q, %v", body, err)
	}
	if tunnels.Load() != 1 {
		t.Fatalf("%d tunnels, want 1", tunnels.Load())
	}
}
