// Package pin checks SPKI pins (RFC 7469 style: SHA-256 of a certificate's
// DER SubjectPublicKeyInfo) on a verified TLS chain, as OkHttp's
// CertificatePinner does: the connection passes when any certificate of any
// verified chain matches any pin.
package pin

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
)

// ErrMismatch means no certificate of the verified chain matched a pin.
var ErrMismatch = errors.New("pin: no certificate matches a pinned public key")

// SPKI is the pin of cert.
func SPKI(cert *x509.Certificate) [32]byte { return sha256.Sum256(cert.RawSubjectPublicKeyInfo) }

// Verifier returns a tls.Config.VerifyConnection hook checking pins; nil
// pins verify nothing beyond crypto/tls's own chain check.
func Verifier(pins [][32]byte) func(tls.ConnectionState) error {
	if len(pins) == 0 {
		return nil
	}
	return func(cs tls.ConnectionState) error {
		for _, chain := range cs.VerifiedChains {
			for _, c := range chain {
				h := SPKI(c)
				for _, p := range pins {
					if h == p {
						return nil
					}
				}
			}
		}
		return ErrMismatch
	}
}
