package main

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a goroutine (the demo's engine, marsd or
// xlog writer, a diag probe) outlives the tests.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
