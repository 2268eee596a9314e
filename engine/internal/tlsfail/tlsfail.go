// Package tlsfail tells what part of a failed TLS handshake went wrong,
// so the host can tell a pin mismatch from a certificate it should not
// trust and from a server that does not speak TLS.
package tlsfail

import (
	"crypto/tls"
	"errors"

	"github.com/mars-go/mars/engine/internal/pin"
)

// Kind is what a TLS handshake failed on.
type Kind int

const (
	// Handshake is any other failure: not TLS, a protocol alert, a
	// connection closed mid-handshake.
	Handshake Kind = iota
	// Certificate is a chain that did not verify: unknown authority,
	// expired, or made out to another name.
	Certificate
	// Pin is a verified chain holding none of the pinned keys.
	Pin
)

// The EctSocket codes of each Kind: Mars's kEctHandshakeMisunderstand,
// then two beyond Mars.
const (
	CodeHandshake   = -10096
	CodePinMismatch = -10100
	CodeCertificate = -10101
)

// Code is the EctSocket code of the handshake error err.
func Code(err error) int {
	switch Of(err) {
	case Pin:
		return CodePinMismatch
	case Certificate:
		return CodeCertificate
	}
	return CodeHandshake
}

// Of is the Kind of the handshake error err.
func Of(err error) Kind {
	var ve *tls.CertificateVerificationError
	switch {
	case errors.Is(err, pin.ErrMismatch):
		return Pin
	case errors.As(err, &ve):
		return Certificate
	}
	return Handshake
}
