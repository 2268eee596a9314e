package tlsfail

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"testing"

	"github.com/mars-go/mars/engine/internal/pin"
)

func TestOf(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want Kind
	}{
		{fmt.Errorf("handshake: %w", pin.ErrMismatch), Pin},
		{&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, Certificate},
		{fmt.Errorf("wrapped: %w", &tls.CertificateVerificationError{Err: x509.HostnameError{}}), Certificate},
		{errors.New("tls: first record does not look like a TLS handshake"), Handshake},
	} {
		if got := Of(tc.err); got != tc.want {
			t.Errorf("Of(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}
