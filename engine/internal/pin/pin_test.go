package pin

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"testing"
	"time"
)

// ca makes a self-signed CA and a leaf for "marsd.test" signed by it.
func ca(t *testing.T) (*x509.CertPool, tls.Certificate, *x509.Certificate, *x509.Certificate) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "marsd.test"},
		DNSNames: []string{"marsd.test"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(leafDER)
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return pool, tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}, caCert, leaf
}

func handshake(t *testing.T, pool *x509.CertPool, cert tls.Certificate, pins [][32]byte) error {
	t.Helper()
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	srv := tls.Server(b, &tls.Config{Certificates: []tls.Certificate{cert}})
	go srv.Handshake()
	cl := tls.Client(a, &tls.Config{RootCAs: pool, ServerName: "marsd.test", MinVersion: tls.VersionTLS13,
		VerifyConnection: Verifier(pins)})
	a.SetDeadline(time.Now().Add(5 * time.Second))
	return cl.Handshake()
}

func TestPinsOnLeafOrCAPassAndMismatchFails(t *testing.T) {
	pool, cert, caCert, leaf := ca(t)
	if err := handshake(t, pool, cert, nil); err != nil {
		t.Fatalf("no pins: %v", err)
	}
	if err := handshake(t, pool, cert, [][32]byte{SPKI(leaf)}); err != nil {
		t.Fatalf("leaf pin: %v", err)
	}
	if err := handshake(t, pool, cert, [][32]byte{{1}, SPKI(caCert)}); err != nil {
		t.Fatalf("CA pin: %v", err)
	}
	if err := handshake(t, pool, cert, [][32]byte{{1}}); !errors.Is(err, ErrMismatch) {
		t.Fatalf("mismatch: %v, want ErrMismatch", err)
	}
	if Verifier(nil) != nil {
		t.Fatal("no pins must add no check")
	}
}
