package http1

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// read parses answer as the response to method and reads its whole body.
func read(answer, method string, maxHeader int) (*Response, string, error) {
	br := bufio.NewReaderSize(strings.NewReader(answer), 16)
	r, err := ReadResponse(br, method, maxHeader)
	if err != nil {
		return nil, "", err
	}
	body, err := io.ReadAll(r.Body)
	return r, string(body), err
}

func TestReadResponseFraming(t *testing.T) {
	for _, tc := range []struct {
		name, answer, method string
		status               int
		body                 string
		length               int64
		chunked, close       bool
	}{
		{"content-length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA", "POST", 200, "hello", 5, false, false},
		{"no reason phrase", "HTTP/1.1 204\r\n\r\n", "POST", 204, "", 0, false, false},
		{"bare LF lines", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", "GET", 200, "ok", 2, false, false},
		{"chunked with extension and trailers", "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n" +
			"3;name=v\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-Sum: 1\r\nX-Other: 2\r\n\r\nnext", "POST", 200, "abc0123456789", -1, true, false},
		{"chunked overrides content-length, then closes", "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n" +
			"Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", "POST", 200, "ok", -1, true, true},
		{"connection close", "HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 1\r\n\r\nx", "POST", 200, "x", 1, false, true},
		{"close among tokens", "HTTP/1.1 200 OK\r\nConnection: upgrade, close\r\nContent-Length: 0\r\n\r\n", "POST", 200, "", 0, false, true},
		{"HTTP/1.0 closes", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", "POST", 200, "x", 1, false, true},
		{"HTTP/1.0 keep-alive", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx", "POST", 200, "x", 1, false, false},
		{"close-delimited", "HTTP/1.1 200 OK\r\n\r\nuntil the end", "GET", 200, "until the end", -1, false, true},
		{"HTTP/1.0 close-delimited", "HTTP/1.0 200 OK\r\n\r\nold", "GET", 200, "old", -1, false, true},
		{"1xx skipped", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" +
			"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "POST", 200, "ok", 2, false, false},
		{"HEAD has no body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", "HEAD", 200, "", 0, false, false},
		{"304 has no body", "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", "GET", 304, "", 0, false, false},
		{"CONNECT 200 has no body", "HTTP/1.1 200 Connection established\r\n\r\ntunnel bytes", "CONNECT", 200, "", 0, false, false},
		{"CONNECT refusal has one", "HTTP/1.1 407 Auth\r\nContent-Length: 3\r\n\r\nabc", "CONNECT", 407, "abc", 3, false, false},
		{"same length twice", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2, 2\r\n\r\nok", "GET", 200, "ok", 2, false, false},
		{"folded field", "HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length: 0\r\n\r\n", "GET", 200, "", 0, false, false},
		{"HTTP/1.2 is 1.x", "HTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\n", "GET", 200, "", 0, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, body, err := read(tc.answer, tc.method, 0)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != tc.status || body != tc.body || r.ContentLength != tc.length || r.Chunked != tc.chunked || r.Close != tc.close {
				t.Fatalf("status %d body %q length %d chunked %v close %v; want %d %q %d %v %v",
					r.Status, body, r.ContentLength, r.Chunked, r.Close, tc.status, tc.body, tc.length, tc.chunked, tc.close)
			}
		})
	}
}

func TestFoldedFieldIsJoined(t *testing.T) {
	r, _, err := read("HTTP/1.1 200 OK\r\nX-A: one\r\n\t two \r\nContent-Length: 0\r\n\r\n", "GET", 0)
	if err != nil || r.Get("x-a") != "one two" {
		t.Fatalf("X-A %q, %v", r.Get("x-a"), err)
	}
}

// TestBodyReadsStopAtTheEnd: a kept-alive connection's next response
// starts right after the body, so the body must not read past it.
func TestBodyReadsStopAtTheEnd(t *testing.T) {
	for _, first := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n",
	} {
		br := bufio.NewReader(strings.NewReader(first + "HTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nz"))
		for _, want := range []string{"abc", "z"} {
			r, err := ReadResponse(br, "GET", 0)
			if err != nil {
				t.Fatal(err)
			}
			if b, err := io.ReadAll(r.Body); err != nil || string(b) != want {
				t.Fatalf("after %q: body %q, %v; want %q", first, b, err, want)
			}
		}
	}
}

func TestReadResponseRefusesMalformed(t *testing.T) {
	long := strings.Repeat("a", 200)
	for _, tc := range []struct {
		name, answer string
		part         Part
	}{
		{"not HTTP", "HTTX/1.1 200 OK\r\n\r\n", StatusLine},
		{"HTTP/2 framing", "HTTP/2.0 200 OK\r\n\r\n", StatusLine},
		{"no status code", "HTTP/1.1\r\n\r\n", StatusLine},
		{"letters for a status", "HTTP/1.1 abc OK\r\n\r\n", StatusLine},
		{"two-digit status", "HTTP/1.1 20 OK\r\n\r\n", StatusLine},
		{"status below 100", "HTTP/1.1 099 OK\r\n\r\n", StatusLine},
		{"NUL in the reason", "HTTP/1.1 200 O\x00K\r\n\r\n", StatusLine},
		{"CR inside the status line", "HTTP/1.1 200 O\rK\r\n\r\n", StatusLine},
		{"status line over the limit", "HTTP/1.1 200 " + long + "\r\n\r\n", StatusLine},
		{"field without colon", "HTTP/1.1 200 OK\r\nBad Header\r\n\r\n", HeaderFields},
		{"space before colon", "HTTP/1.1 200 OK\r\nName : v\r\n\r\n", HeaderFields},
		{"empty name", "HTTP/1.1 200 OK\r\n: v\r\n\r\n", HeaderFields},
		{"control byte in a value", "HTTP/1.1 200 OK\r\nX: a\x01b\r\n\r\n", HeaderFields},
		{"first line folded", "HTTP/1.1 200 OK\r\n folded: x\r\n\r\n", HeaderFields},
		{"fields over the limit", "HTTP/1.1 200 OK\r\nX: " + long + "\r\n\r\n", HeaderFields},
		{"1xx responses over the limit", strings.Repeat("HTTP/1.1 100 Continue\r\n\r\n", 20), StatusLine},
		{"letters for a length", "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", HeaderFields},
		{"negative length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", HeaderFields},
		{"signed length", "HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\n", HeaderFields},
		{"huge length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", HeaderFields},
		{"lengths disagree", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", HeaderFields},
		{"gzip coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", HeaderFields},
		{"two codings fields", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", HeaderFields},
		{"chunked in HTTP/1.0", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", HeaderFields},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := read(tc.answer, "GET", 160)
			var pe *Error
			if !errors.As(err, &pe) || pe.Part != tc.part {
				t.Fatalf("err %v, want a malformed %v", err, tc.part)
			}
		})
	}
}

// A long body of many small chunks is not held to the header budget: only
// each chunk-size line is bounded, and the trailers by what the head left.
func TestManySmallChunks(t *testing.T) {
	var b strings.Builder
	b.WriteString("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
	for range 20000 {
		b.WriteString("a\r\n0123456789\r\n")
	}
	b.WriteString("0\r\nT: " + strings.Repeat("t", 100) + "\r\n\r\n")
	_, body, err := read(b.String(), "GET", 256)
	if err != nil || len(body) != 200000 {
		t.Fatalf("%d bytes, %v; want 200000", len(body), err)
	}
	_, _, err = read(strings.Replace(b.String(), "T: ", "T: "+strings.Repeat("t", 200), 1), "GET", 256)
	if pe := (*Error)(nil); !errors.As(err, &pe) || pe.Part != Body {
		t.Fatalf("trailers over the budget: %v", err)
	}
}

func TestChunkedBodyRefusesMalformed(t *testing.T) {
	head := "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	for name, body := range map[string]string{
		"not hex":                   "zz\r\n",
		"empty size":                "\r\nabc\r\n",
		"signed size":               "+3\r\nabc\r\n0\r\n\r\n",
		"0x prefix":                 "0x3\r\nabc\r\n0\r\n\r\n",
		"size overflows":            "ffffffffffffffff1\r\n",
		"data longer than the size": "2\r\nabc\r\n0\r\n\r\n",
		"bad trailer":               "1\r\na\r\n0\r\nno colon\r\n\r\n",
		"size line over the limit":  "1;" + strings.Repeat("e", 5000) + "\r\na\r\n0\r\n\r\n",
		"too much overhead":         strings.Repeat("1;"+strings.Repeat("e", 100)+"\r\na\r\n", 400) + "0\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := read(head+body, "GET", 256)
			var pe *Error
			if !errors.As(err, &pe) || pe.Part != Body {
				t.Fatalf("err %v, want a malformed body", err)
			}
		})
	}
}

func TestTruncatedResponses(t *testing.T) {
	for _, tc := range []struct {
		name, answer string
		want         error
	}{
		{"nothing", "", io.EOF},
		{"status line cut", "HTTP/1.1 200 O", io.ErrUnexpectedEOF},
		{"head cut", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n", io.ErrUnexpectedEOF},
		{"body cut", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", io.ErrUnexpectedEOF},
		{"chunk cut", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", io.ErrUnexpectedEOF},
		{"last chunk missing", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n", io.ErrUnexpectedEOF},
		{"trailers cut", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: 1\r\n", io.ErrUnexpectedEOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := read(tc.answer, "GET", 0); err != tc.want {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
}

// A connection is reusable only when the server keeps it and nothing
// came past the response's end.
func TestReusable(t *testing.T) {
	for _, tc := range []struct {
		name, answer string
		want         bool
	}{
		{"clean end", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true},
		{"bytes past the body", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokX", false},
		{"closed by the server", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			br := bufio.NewReader(strings.NewReader(tc.answer))
			r, err := ReadResponse(br, "GET", 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadAll(r.Body); err != nil {
				t.Fatal(err)
			}
			if got := Reusable(r, br); got != tc.want {
				t.Fatalf("Reusable = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAddr(t *testing.T) {
	for raw, want := range map[string]string{
		"http://h/x":          "h:80",
		"https://h/x":         "h:443",
		"https://h:8443/x":    "h:8443",
		"http://[::1]/x":      "[::1]:80",
		"https://[::1]:853/x": "[::1]:853",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := Addr(u); got != want {
			t.Errorf("Addr(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestAppendRequest(t *testing.T) {
	got, err := AppendRequest(nil, "POST", "/q?a=1", []Header{{"Host", "h"}, {"Content-Length", "2"}}, []byte("hi"))
	if want := "POST /q?a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi"; err != nil || string(got) != want {
		t.Fatalf("%q, %v; want %q", got, err, want)
	}
	for name, f := range map[string][]Header{
		"CRLF in a value": {{"X", "a\r\nEvil: 1"}},
		"colon in a name": {{"X:Y", "a"}},
		"empty name":      {{"", "a"}},
		"NUL in a value":  {{"X", "a\x00"}},
	} {
		if _, err := AppendRequest(nil, "GET", "/", f, nil); !errors.Is(err, ErrFieldValue) {
			t.Errorf("%s: %v, want ErrFieldValue", name, err)
		}
	}
	if _, err := AppendRequest(nil, "GET", "/a b", nil, nil); !errors.Is(err, ErrFieldValue) {
		t.Errorf("space in the target: %v", err)
	}
}

// FuzzReadResponse: any bytes are a response or a clear error, never a
// panic; what is read stays within the limits; and where net/http also
// reads a whole response from the same bytes, both agree on the status and
// the body.
func FuzzReadResponse(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;x=y\r\nok\r\n0\r\nT: v\r\n\r\n",
		"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 200 OK\r\n\r\nclose-delimited",
		"HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 1, 1\r\n\r\nz",
		"garbage\r\n\r\n",
	} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, b []byte, head bool) {
		method := "POST"
		if head {
			method = "HEAD"
		}
		const maxHeader, maxBody = 1 << 10, 1 << 12
		br := bufio.NewReaderSize(bytes.NewReader(b), 16)
		r, err := ReadResponse(br, method, maxHeader)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) && err != io.EOF && err != io.ErrUnexpectedEOF {
				t.Fatalf("error %v is neither malformed nor truncated", err)
			}
			return
		}
		if r.Status < 100 || r.Status > 999 || (r.Status < 200 && r.Status != 101) {
			t.Fatalf("status %d", r.Status)
		}
		if r.ContentLength < -1 || r.Chunked && r.ContentLength != -1 || r.CloseDelimited() && !r.Close {
			t.Fatalf("framing: length %d chunked %v close %v", r.ContentLength, r.Chunked, r.Close)
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			return
		}
		if r.ContentLength >= 0 && int64(len(body)) != min(r.ContentLength, maxBody) {
			t.Fatalf("body of %d bytes for a length of %d", len(body), r.ContentLength)
		}
		theirs, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(b)), &http.Request{Method: method})
		if err != nil || theirs.StatusCode < 200 {
			return // net/http's ReadResponse returns 1xx responses, which we skip
		}
		tb, err := io.ReadAll(io.LimitReader(theirs.Body, maxBody))
		if err != nil {
			return
		}
		if theirs.StatusCode != r.Status || !bytes.Equal(tb, body) {
			t.Fatalf("net/http reads %d %q, we read %d %q", theirs.StatusCode, tb, r.Status, body)
		}
	})
}
