// Package http1 is the library's HTTP/1.1 client side: write a request,
// read its response, and keep the connection for the next request while
// the server allows it.
//
// It replaces net/http in the library, which links idna, x/text, hpack
// and mime for features a Mars client never uses (about 1.4 MB of
// libmars.so). What it covers is what the short link, DoH, the proxy
// checks and SDT need: responses framed by Content-Length, by chunked
// transfer coding (trailers read and dropped) or by the close; HTTP/1.0
// and HTTP/1.1 status lines; 1xx interim responses skipped; the
// Connection header's keep-alive and close. Everything it reads is
// bounded (MaxHeaderBytes for status lines, header fields and trailers;
// the caller bounds a body) and anything malformed is an *Error saying
// which part was wrong.
package http1

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// DefaultMaxHeaderBytes bounds the status lines and header fields of one
// response (interim 1xx responses included) when the caller names no
// limit.
const DefaultMaxHeaderBytes = 64 << 10

// Part says which part of a response was malformed.
type Part int

// Parts of a response.
const (
	StatusLine Part = iota + 1
	HeaderFields
	Body
)

func (p Part) String() string {
	switch p {
	case StatusLine:
		return "status line"
	case HeaderFields:
		return "header"
	case Body:
		return "body"
	}
	return "part " + strconv.Itoa(int(p))
}

// Error is a malformed response.
type Error struct {
	Part Part
	Msg  string
}

func (e *Error) Error() string { return "http1: bad " + e.Part.String() + ": " + e.Msg }

func malformed(p Part, msg string) *Error { return &Error{Part: p, Msg: msg} }

// Header is one header field.
type Header struct{ Name, Value string }

// Response is a response's head; Body reads what follows it.
type Response struct {
	Major, Minor int // the version, 1.0 or 1.x
	Status       int // 100..999
	Reason       string
	Header       []Header // as received; folded lines joined with a space
	// ContentLength is the body's length: -1 when the body is chunked or
	// delimited by the close, 0 when the response has none.
	ContentLength int64
	Chunked       bool
	// Close: the connection cannot carry another request after this
	// response (Connection: close, HTTP/1.0 without keep-alive, or a body
	// delimited by the close).
	Close bool
	// Body reads the body and then io.EOF; a body cut short is
	// io.ErrUnexpectedEOF, a malformed chunk an *Error.
	Body io.Reader
}

// Get returns the value of the first field named name (any case), or "".
func (r *Response) Get(name string) string {
	for _, h := range r.Header {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// CloseDelimited tells whether the body runs until the server closes.
func (r *Response) CloseDelimited() bool { return r.ContentLength < 0 && !r.Chunked }

// Reusable tells whether the connection br reads from may carry another
// request once r's body has been read to its end: the server keeps it
// open, and sent nothing past the response (bytes that would be taken for
// the next request's answer).
func Reusable(r *Response, br *bufio.Reader) bool { return !r.Close && br.Buffered() == 0 }

// ReadResponse reads the response to a request made with method: interim
// 1xx responses (other than 101) are skipped, and at most maxHeaderBytes
// (0: DefaultMaxHeaderBytes) of status lines and header fields are read in
// all. A response that ends before its head does is io.EOF when nothing of
// it came, else io.ErrUnexpectedEOF.
func ReadResponse(br *bufio.Reader, method string, maxHeaderBytes int) (*Response, error) {
	if maxHeaderBytes <= 0 {
		maxHeaderBytes = DefaultMaxHeaderBytes
	}
	lr := &lineReader{br: br, budget: maxHeaderBytes}
	for {
		r, err := readHead(lr)
		if err != nil {
			return nil, err
		}
		if r.Status >= 200 || r.Status == 101 {
			return r, frame(r, br, method, lr.budget)
		}
	}
}

// readHead reads a status line and its header fields.
func readHead(lr *lineReader) (*Response, error) {
	line, err := lr.line(StatusLine)
	if err != nil {
		if err == io.ErrUnexpectedEOF && lr.total == 0 {
			return nil, io.EOF // nothing came: the server closed
		}
		return nil, err
	}
	r := &Response{}
	if err := parseStatusLine(r, line); err != nil {
		return nil, err
	}
	r.Header, err = readFields(lr)
	return r, err
}

// parseStatusLine reads "HTTP/1.x SSS reason".
func parseStatusLine(r *Response, line []byte) error {
	s := string(line)
	proto, rest, ok := strings.Cut(s, " ")
	if !ok || len(proto) != len("HTTP/1.1") || !strings.HasPrefix(proto, "HTTP/1.") || !isDigit(proto[7]) {
		return malformed(StatusLine, strconv.Quote(clip(s)))
	}
	r.Major, r.Minor = 1, int(proto[7]-'0')
	code, reason, _ := strings.Cut(rest, " ")
	if len(code) != 3 || !isDigit(code[0]) || !isDigit(code[1]) || !isDigit(code[2]) || code[0] == '0' {
		return malformed(StatusLine, "status code "+strconv.Quote(clip(code)))
	}
	r.Status, _ = strconv.Atoi(code)
	for i := 0; i < len(reason); i++ {
		if c := reason[i]; c < ' ' && c != '\t' || c == 0x7f {
			return malformed(StatusLine, "control byte in the reason phrase")
		}
	}
	r.Reason = reason
	return nil
}

// readFields reads header fields up to the empty line. A line starting
// with a blank continues the field before it (obs-fold, RFC 9112 5.2).
func readFields(lr *lineReader) ([]Header, error) {
	var hs []Header
	for {
		line, err := lr.line(HeaderFields)
		if err != nil {
			return nil, err
		}
		if len(line) == 0 {
			return hs, nil
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(hs) == 0 {
				return nil, malformed(HeaderFields, "the first field line starts with a blank")
			}
			v, err := fieldValue(line)
			if err != nil {
				return nil, err
			}
			last := &hs[len(hs)-1]
			last.Value = strings.TrimRight(last.Value+" "+v, " \t")
			continue
		}
		name, value, ok := strings.Cut(string(line), ":")
		if !ok || !isToken(name) {
			return nil, malformed(HeaderFields, strconv.Quote(clip(string(line))))
		}
		v, err := fieldValue([]byte(value))
		if err != nil {
			return nil, err
		}
		hs = append(hs, Header{Name: name, Value: v})
	}
}

// fieldValue trims a field value's blanks and refuses control bytes.
func fieldValue(b []byte) (string, error) {
	for _, c := range b {
		if c < ' ' && c != '\t' || c == 0x7f {
			return "", malformed(HeaderFields, "control byte in a field value")
		}
	}
	return strings.Trim(string(b), " \t"), nil
}

// frame decides how r's body is delimited and sets r.Body.
func frame(r *Response, br *bufio.Reader, method string, trailerBudget int) error {
	conn := tokens(r, "Connection")
	r.Close = conn["close"] || (r.Minor == 0 && !conn["keep-alive"])
	te := r.Get("Transfer-Encoding")
	lengths, err := contentLength(r)
	switch {
	case method == "HEAD", r.Status == 204, r.Status == 304, r.Status == 101,
		method == "CONNECT" && r.Status < 300:
		r.ContentLength, r.Body = 0, eof{}
		return nil
	case te != "":
		if !strings.EqualFold(te, "chunked") || r.Minor == 0 || count(r, "Transfer-Encoding") > 1 {
			return malformed(HeaderFields, "unsupported Transfer-Encoding "+strconv.Quote(clip(te)))
		}
		// RFC 9112 6.3: a Transfer-Encoding overrides any Content-Length;
		// the connection is not reused after such a message.
		if lengths > 0 {
			r.Close = true
		}
		r.ContentLength, r.Chunked = -1, true
		r.Body = &chunked{lr: lineReader{br: br}, trailerBudget: trailerBudget}
		return nil
	case err != nil:
		return err
	case lengths > 0:
		r.Body = &fixed{r: br, left: r.ContentLength}
		return nil
	}
	r.ContentLength, r.Close, r.Body = -1, true, &untilClose{r: br}
	return nil
}

// contentLength sets r.ContentLength from its Content-Length fields (all
// must agree) and returns how many there were.
func contentLength(r *Response) (int, error) {
	n := 0
	for _, h := range r.Header {
		if !strings.EqualFold(h.Name, "Content-Length") {
			continue
		}
		for v := range strings.SplitSeq(h.Value, ",") { // "5, 5" is one length sent twice
			l, err := parseLength(strings.Trim(v, " \t"))
			if err != nil {
				return n + 1, err
			}
			if n > 0 && l != r.ContentLength {
				return n + 1, malformed(HeaderFields, "Content-Length fields disagree")
			}
			r.ContentLength = l
			n++
		}
	}
	return n, nil
}

func parseLength(s string) (int64, error) {
	if s == "" || len(s) > 18 {
		return 0, malformed(HeaderFields, "Content-Length "+strconv.Quote(clip(s)))
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, malformed(HeaderFields, "Content-Length "+strconv.Quote(clip(s)))
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n, nil
}

// tokens returns the comma-separated tokens of the fields named name,
// lower-cased.
func tokens(r *Response, name string) map[string]bool {
	out := map[string]bool{}
	for _, h := range r.Header {
		if strings.EqualFold(h.Name, name) {
			for t := range strings.SplitSeq(h.Value, ",") {
				out[strings.ToLower(strings.Trim(t, " \t"))] = true
			}
		}
	}
	return out
}

func count(r *Response, name string) int {
	n := 0
	for _, h := range r.Header {
		if strings.EqualFold(h.Name, name) {
			n++
		}
	}
	return n
}

// lineReader reads CRLF- (or LF-) terminated lines within a byte budget.
type lineReader struct {
	br     *bufio.Reader
	budget int // bytes left
	total  int // bytes read
	buf    []byte
}

// line returns the next line without its end; part names what a line too
// long or a bare CR would make malformed.
func (l *lineReader) line(part Part) ([]byte, error) {
	l.buf = l.buf[:0]
	for {
		chunk, err := l.br.ReadSlice('\n')
		l.total += len(chunk)
		if len(chunk) > l.budget {
			return nil, malformed(part, "over the size limit")
		}
		l.budget -= len(chunk)
		l.buf = append(l.buf, chunk...)
		switch {
		case err == nil:
			line := l.buf[:len(l.buf)-1]
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
			for _, c := range line {
				if c == '\r' || c == 0 {
					return nil, malformed(part, "CR or NUL inside a line")
				}
			}
			return line, nil
		case err == bufio.ErrBufferFull:
		case err == io.EOF:
			return nil, io.ErrUnexpectedEOF
		default:
			return nil, err
		}
	}
}

// fixed reads a Content-Length body.
type fixed struct {
	r    io.Reader
	left int64
}

func (f *fixed) Read(p []byte) (int, error) {
	if f.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > f.left {
		p = p[:f.left]
	}
	n, err := f.r.Read(p)
	f.left -= int64(n)
	if err == io.EOF {
		if f.left > 0 {
			return n, io.ErrUnexpectedEOF
		}
		err = nil
	}
	return n, err
}

// untilClose reads a body delimited by the close.
type untilClose struct{ r io.Reader }

func (u *untilClose) Read(p []byte) (int, error) { return u.r.Read(p) }

type eof struct{}

func (eof) Read([]byte) (int, error) { return 0, io.EOF }

// maxChunkOverhead bounds chunk-size lines and CRLFs read beyond what the
// chunks carry, so a stream of tiny chunks cannot keep a reader busy for
// free (the same guard as net/http's).
const maxChunkOverhead = 16 << 10

// maxChunkLine bounds one chunk-size line (extensions included).
const maxChunkLine = 4 << 10

// chunked reads a chunked body (RFC 9112 7.1), then its trailer fields,
// which share what the head left of the header budget.
type chunked struct {
	lr            lineReader
	trailerBudget int
	left          int64 // bytes left in the current chunk
	excess        int64
	done          bool
	err           error
}

func (c *chunked) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if c.left == 0 && !c.done {
		if c.err = c.next(); c.err != nil {
			return 0, c.err
		}
	}
	if c.done {
		c.err = io.EOF
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.lr.br.Read(p)
	c.left -= int64(n)
	switch {
	case err == io.EOF:
		c.err = io.ErrUnexpectedEOF
	case err != nil:
		c.err = err
	case c.left == 0:
		c.err = c.chunkEnd()
	}
	return n, c.err
}

// next reads a chunk-size line; a zero size reads the trailer fields.
func (c *chunked) next() error {
	before := c.lr.total
	c.lr.budget = maxChunkLine
	line, err := c.lr.line(Body)
	if err != nil {
		return err
	}
	size, _, _ := strings.Cut(string(line), ";") // extensions are ignored (RFC 9112 7.1.1)
	size = strings.Trim(size, " \t")
	if size == "" || len(size) > 15 {
		return malformed(Body, "chunk size "+strconv.Quote(clip(size)))
	}
	n, err := strconv.ParseInt(size, 16, 64)
	if err != nil || n < 0 || strings.ContainsAny(size, "+-_xX") {
		return malformed(Body, "chunk size "+strconv.Quote(clip(size)))
	}
	c.excess += int64(c.lr.total-before) + 2 - 16 - 2*n
	c.excess = max(c.excess, 0)
	if c.excess > maxChunkOverhead {
		return malformed(Body, "too much chunk overhead")
	}
	if n == 0 {
		// Trailers are read to find the body's end, then dropped.
		c.lr.budget = c.trailerBudget
		if _, err := readFields(&c.lr); err != nil {
			if pe, ok := err.(*Error); ok {
				return malformed(Body, "trailer: "+pe.Msg)
			}
			return err
		}
		c.done = true
		return nil
	}
	c.left = n
	return nil
}

// chunkEnd reads the CRLF after a chunk's data.
func (c *chunked) chunkEnd() error {
	c.lr.budget = maxChunkLine
	line, err := c.lr.line(Body)
	if err != nil {
		return err
	}
	if len(line) != 0 {
		return malformed(Body, "chunk data longer than its size")
	}
	return nil
}

// ErrFieldValue is a request line or field that cannot be sent: empty, or
// with CR, LF or NUL in it.
var ErrFieldValue = errors.New("http1: CR, LF or NUL in a request line or field, or an empty name")

// AppendRequest appends a request head (request line, fields in the order
// given, the empty line) and body. The caller names every field, including
// Host and Content-Length.
func AppendRequest(dst []byte, method, target string, fields []Header, body []byte) ([]byte, error) {
	if method == "" || target == "" || hasCtl(method) || hasCtl(target) || strings.ContainsAny(method+target, " \t") {
		return dst, ErrFieldValue
	}
	dst = append(dst, method...)
	dst = append(dst, ' ')
	dst = append(dst, target...)
	dst = append(dst, " HTTP/1.1\r\n"...)
	for _, f := range fields {
		if f.Name == "" || hasCtl(f.Name) || hasCtl(f.Value) || strings.ContainsAny(f.Name, ": \t") {
			return dst, ErrFieldValue
		}
		dst = append(dst, f.Name...)
		dst = append(dst, ": "...)
		dst = append(dst, f.Value...)
		dst = append(dst, "\r\n"...)
	}
	dst = append(dst, "\r\n"...)
	return append(dst, body...), nil
}

// Addr is the "host:port" to dial for an http or https URL: its own port,
// else 80 for http and 443 for https.
func Addr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}

func hasCtl(s string) bool { return strings.ContainsAny(s, "\r\n\x00") }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isToken tells whether s is an RFC 9110 token (a field name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', isDigit(c):
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
