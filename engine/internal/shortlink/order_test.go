package shortlink

import (
	"testing"

	"github.com/mars-go/mars/wire"
)

// TestOrdererAnyWriteSplit feeds net/http-ordered requests in every split
// and wants Mars's bytes out, body and a second request untouched.
func TestOrdererAnyWriteSplit(t *testing.T) {
	in := "POST /a HTTP/1.1\r\nHost: h\r\nUser-Agent: MicroMessenger Client\r\nContent-Length: 4\r\n" +
		"Accept: */*\r\nCache-Control: no-cache\r\nConnection: Keep-Alive\r\nContent-Type: application/octet-stream\r\n\r\n" +
		"\r\n\r\n"
	want, _ := wire.AppendShortRequest(nil, wire.ShortRequest{URL: "/a", Host: "h",
		Headers: []wire.Header{{Name: "Connection", Value: "Keep-Alive"}}, Body: []byte("\r\n\r\n")})
	two := in + in
	for split := 0; split <= len(two); split++ {
		var o orderer
		out := o.feed(nil, []byte(two[:split]))
		out = o.feed(out, []byte(two[split:]))
		if string(out) != string(want)+string(want) {
			t.Fatalf("split %d:\n%q\nwant\n%q", split, out, string(want)+string(want))
		}
	}
}

func TestOrdererPassesUnknownHeads(t *testing.T) {
	var o orderer
	junk := make([]byte, maxHead+10)
	out := o.feed(nil, junk)
	if len(out) != len(junk) {
		t.Fatalf("passed %d of %d bytes of an endless head", len(out), len(junk))
	}
}
