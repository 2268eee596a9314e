package version

import "testing"

// The release is pinned literally: a formula shared with version.go could
// not fail.
func TestNumberAndStringAgree(t *testing.T) {
	if String() != "0.3.0" || Number != 3000 {
		t.Errorf("version %s (%d); this test pins the release and changes with it", String(), Number)
	}
}
