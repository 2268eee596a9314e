package wire

import (
	"bytes"
	"testing"
)

// taggedIdentify frames identify requests its own way: seq 0xFFFFFFFE and
// the buffer behind a tag.
type taggedIdentify struct{ Mars }

func (taggedIdentify) Identify(cmdID uint32, body []byte) Packet {
	return Packet{CmdID: cmdID, Seq: IdentifySeq, Body: append([]byte("id:"), body...)}
}

// noBuilder is a codec without an identify builder of its own.
type noBuilder struct{ Codec }

func TestIdentifyForUsesTheCodecsBuilder(t *testing.T) {
	c := Mars{ClientVersion: testVersion}
	for name, tc := range map[string]struct {
		codec Codec
		body  string
	}{
		"builder":    {taggedIdentify{c}, "id:X"},
		"no builder": {noBuilder{c}, "X"},
		"Mars":       {c, "X"},
		"LiveMars":   {NewLiveMars(testVersion, 0), "X"},
	} {
		p := IdentifyFor(tc.codec, 55, []byte("X"))
		if p.CmdID != 55 || p.Seq != IdentifySeq || !bytes.Equal(p.Body, []byte(tc.body)) {
			t.Errorf("%s: IdentifyFor = %v %q, want cmd 55 seq %#x body %q", name, p, p.Body, IdentifySeq, tc.body)
		}
	}
}
