package shortlink

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
)

// orderer re-sorts the header block of each HTTP request written through it
// into Mars's order: case-insensitive by name, stable (Mars keeps headers in
// a strcasecmp-ordered map, http.h:32-34). net/http writes Host, User-Agent
// and Content-Length before the sorted rest; everything else about the bytes
// is left as net/http wrote it. The body (Content-Length bytes) passes
// through untouched, then the next request's head is collected.
//
// It only rewrites what our own transport writes, never bytes from outside.
type orderer struct {
	head     []byte // the head collected so far
	bodyLeft int64  // body bytes still to pass through
}

// maxHead bounds a collected head; anything longer is passed on as it is.
const maxHead = DefaultMaxHeaderBytes

// feed takes the next written bytes and returns what may go on the wire now
// (appended to out).
func (o *orderer) feed(out, p []byte) []byte {
	for len(p) > 0 {
		if o.bodyLeft > 0 {
			n := int(min(int64(len(p)), o.bodyLeft))
			out = append(out, p[:n]...)
			p, o.bodyLeft = p[n:], o.bodyLeft-int64(n)
			continue
		}
		start := max(len(o.head)-3, 0)
		o.head = append(o.head, p...)
		end := bytes.Index(o.head[start:], []byte("\r\n\r\n"))
		if end < 0 {
			if len(o.head) > maxHead {
				out = append(out, o.head...) // not a head we know: pass it on
				o.head = o.head[:0]
			}
			return out
		}
		end += start + 4
		rest := len(o.head) - end
		p = p[len(p)-rest:]
		out, o.bodyLeft = sortHead(out, o.head[:end])
		o.head = o.head[:0]
	}
	return out
}

// sortHead appends head with its header lines sorted and returns the body
// length it announces.
func sortHead(out, head []byte) ([]byte, int64) {
	lines := strings.Split(string(head[:len(head)-4]), "\r\n")
	fields := lines[1:]
	slices.SortStableFunc(fields, func(a, b string) int {
		return strings.Compare(strings.ToLower(name(a)), strings.ToLower(name(b)))
	})
	var body int64
	for _, f := range fields {
		if strings.EqualFold(name(f), "Content-Length") {
			if n, err := strconv.ParseInt(strings.TrimSpace(f[len(name(f))+1:]), 10, 64); err == nil && n > 0 {
				body = n
			}
		}
	}
	out = append(out, lines[0]...)
	out = append(out, "\r\n"...)
	for _, f := range fields {
		out = append(out, f...)
		out = append(out, "\r\n"...)
	}
	return append(out, "\r\n"...), body
}

// name is a header line's field name.
func name(line string) string {
	if i := strings.IndexByte(line, ':'); i >= 0 {
		return line[:i]
	}
	return line
}
