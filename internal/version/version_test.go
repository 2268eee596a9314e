package version

import "testing"

func TestNumberAndStringAgree(t *testing.T) {
	if got, want := Number, Major*1000000+Minor*1000+Patch; got != want {
		t.Errorf("Number = %d, want %d", got, want)
	}
	if String() != "0.3.0" || Number != 3000 {
		t.Errorf("version %s (%d); this test pins the release and changes with it", String(), Number)
	}
}
