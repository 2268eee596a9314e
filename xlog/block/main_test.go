package block

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a compressor (zstd's encoder in particular)
// leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
