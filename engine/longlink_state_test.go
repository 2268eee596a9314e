package engine

import "testing"

// Each named link learns its smart heartbeat under its own record; the
// default link keeps the record it had before there were several.
func TestSmartHeartbeatRecordPerLink(t *testing.T) {
	e, err := New(Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.CreateLongLink(LongLinkConfig{Name: "x", HeartbeatMode: HeartbeatSmart}); err != nil {
		t.Fatal(err)
	}
	e.runOnOwnerWait(func(o *owner) {
		def, x := o.links[DefaultChannelName].learner(), o.links["x"].learner()
		if def.Record().Label != "wifi" || x.Record().Label != "wifi@x" {
			t.Errorf("records %q and %q, want wifi and wifi@x", def.Record().Label, x.Record().Label)
		}
		if o.links["x"].hbMode != HeartbeatSmart || o.main.hbMode != HeartbeatFixed {
			t.Errorf("modes %v / %v", o.links["x"].hbMode, o.main.hbMode)
		}
	})
}
