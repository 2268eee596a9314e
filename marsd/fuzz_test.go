package marsd

import (
	"net/url"
	"testing"
)

// FuzzBehavior parses admin query strings (bytes from outside). Properties:
// never panics; whatever parses renders back to a query that parses to the
// same behaviour.
func FuzzBehavior(f *testing.F) {
	f.Add("delay=200ms&silent=1&close_after=10&trickle=1ms&wrong_version=1&oversize=1&status=500&ignore_noop=true")
	f.Add("status=99")
	f.Add("delay=1h&delay=2s")
	f.Fuzz(func(t *testing.T, q string) {
		v, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		b, err := ParseBehavior(v)
		if err != nil {
			return
		}
		again, err := ParseBehavior(b.Values())
		if err != nil || again != b {
			t.Fatalf("round trip of %q: %+v -> %q -> %+v, %v", q, b, b.String(), again, err)
		}
	})
}
