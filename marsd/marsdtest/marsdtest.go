// Package marsdtest starts the reference server for Go tests the way every
// package's tests want it: in-process, on 127.0.0.1 port 0,
// closed when the test ends.
package marsdtest

import (
	"testing"

	"github.com/mars-go/mars/marsd"
)

// Start runs a marsd.Server configured by cfg, with both the long and the
// short link listening on loopback, and closes it in tb.Cleanup.
func Start(tb testing.TB, cfg marsd.Config) *marsd.Server {
	tb.Helper()
	srv := marsd.New(cfg)
	if err := srv.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = srv.Close() }) // Close reports nothing worth failing a test for
	return srv
}
