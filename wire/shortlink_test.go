package wire

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"
)

// TestShortRequestGolden pins Mars's behaviour: header order and defaults.
func TestShortRequestGolden(t *testing.T) {
	got, err := AppendShortRequest(nil, ShortRequest{
		URL: "/mars/hello2", Host: "localhost", Body: []byte("hello"),
		Headers: []Header{{"connection", "Keep-Alive"}, {"X-Extra", "1"}, {"Accept-Language", "zh"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "POST /mars/hello2 HTTP/1.1\r\n" +
		"Accept: */*\r\n" +
		"Accept-Language: zh\r\n" +
		"Cache-Control: no-cache\r\n" +
		"connection: Keep-Alive\r\n" +
		"Content-Length: 5\r\n" +
		"Content-Type: application/octet-stream\r\n" +
		"Host: localhost\r\n" +
		"User-Agent: MicroMessenger Client\r\n" +
		"X-Extra: 1\r\n" +
		"\r\n" +
		"hello"
	if string(got) != want {
		t.Fatalf("request:\n%q\nwant:\n%q", got, want)
	}
	// net/http reads it back as the same request.
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(got)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(req.Body)
	if req.Method != "POST" || req.Host != "localhost" || string(body) != "hello" || req.Header.Get("X-Extra") != "1" {
		t.Fatalf("parsed back %+v body %q", req, body)
	}
}

func TestShortRequestRejectsInjection(t *testing.T) {
	for _, r := range []ShortRequest{
		{URL: "/a\r\nX: y", Host: "h"},
		{URL: "", Host: "h"},
		{URL: "/a", Host: "h\n"},
		{URL: "/a", Host: "h", Headers: []Header{{"X", "a\r\nEvil: 1"}}},
		{URL: "/a", Host: "h", Headers: []Header{{"Bad:Name", "v"}}},
		{URL: "/a", Host: "h", Headers: []Header{{"", "v"}}},
	} {
		if out, err := AppendShortRequest([]byte("keep"), r); !errors.Is(err, ErrHeaderValue) || string(out) != "keep" {
			t.Errorf("%+v: out %q err %v", r, out, err)
		}
	}
}

func TestPeekSeq(t *testing.T) {
	c := Mars{ClientVersion: testVersion}
	b, _ := c.Append(nil, Packet{CmdID: 7, Seq: 0xABCD, Body: make([]byte, 50)})
	if _, ok := c.PeekSeq(b[:19]); ok {
		t.Fatal("PeekSeq on 19 bytes")
	}
	if seq, ok := c.PeekSeq(b[:20]); !ok || seq != 0xABCD {
		t.Fatalf("PeekSeq = %#x, %v", seq, ok)
	}
	if _, ok := (Mars{ClientVersion: 1}).PeekSeq(b[:20]); ok {
		t.Fatal("PeekSeq accepted a wrong version")
	}
}
