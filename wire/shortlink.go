package wire

import (
	"errors"
	"slices"
	"strconv"
	"strings"
)

// Short-link request defaults (shortlink_packer.cc:47-55, http.cc:285-349).
const (
	ShortLinkUserAgent   = "MicroMessenger Client"
	ShortLinkContentType = "application/octet-stream"
)

// Header is one HTTP header line as the caller spells it.
type Header struct{ Name, Value string }

// ShortRequest is what a short-link attempt sends: an HTTP/1.1 POST.
type ShortRequest struct {
	// URL is the task's cgi path ("/mars/hello2"), or "http://host/cgi"
	// through an HTTP proxy.
	URL string
	// Host is the Host header: the hostname of the chosen address.
	Host string
	// Headers are the task's headers; each replaces a default of the same
	// case-insensitive name.
	Headers []Header
	// Body is the Req2Buf output.
	Body []byte
}

// ErrHeaderValue means a request field holds CR, LF or NUL, which would
// split the request.
var ErrHeaderValue = errors.New("wire: invalid character in short-link request")

// AppendShortRequest appends the request bytes exactly as Mars writes them:
// request line, headers sorted by case-insensitive name (Mars keeps them in
// a strcasecmp-ordered map), a blank line and the body.
func AppendShortRequest(dst []byte, r ShortRequest) ([]byte, error) {
	hs := shortHeaders(r)
	if bad(r.URL) || r.URL == "" {
		return dst, ErrHeaderValue
	}
	for _, h := range hs {
		if bad(h.Name) || bad(h.Value) || h.Name == "" || strings.ContainsRune(h.Name, ':') {
			return dst, ErrHeaderValue
		}
	}
	dst = append(dst, "POST "...)
	dst = append(dst, r.URL...)
	dst = append(dst, " HTTP/1.1\r\n"...)
	for _, h := range hs {
		dst = append(dst, h.Name...)
		dst = append(dst, ": "...)
		dst = append(dst, h.Value...)
		dst = append(dst, "\r\n"...)
	}
	dst = append(dst, "\r\n"...)
	return append(dst, r.Body...), nil
}

// shortHeaders merges the defaults with the task's headers and sorts them.
func shortHeaders(r ShortRequest) []Header {
	hs := []Header{
		{"Accept", "*/*"},
		{"Cache-Control", "no-cache"},
		{"Connection", "close"},
		{"Content-Length", strconv.Itoa(len(r.Body))},
		{"Content-Type", ShortLinkContentType},
		{"Host", r.Host},
		{"User-Agent", ShortLinkUserAgent},
	}
	for _, h := range r.Headers {
		i := slices.IndexFunc(hs, func(d Header) bool { return strings.EqualFold(d.Name, h.Name) })
		if i >= 0 {
			hs[i] = h
		} else {
			hs = append(hs, h)
		}
	}
	slices.SortStableFunc(hs, func(a, b Header) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return hs
}

func bad(s string) bool { return strings.ContainsAny(s, "\r\n\x00") }
