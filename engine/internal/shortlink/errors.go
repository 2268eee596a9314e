package shortlink

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"strings"

	"github.com/mars-go/mars/engine/internal/dial"
)

// Error types and codes of short-link outcomes (stn.h:245-314), the numbers
// the engine reports through OnTaskEnd.
const (
	TypeDns    = 3
	TypeSocket = 4
	TypeHttp   = 5
	TypeLocal  = 9

	CodeMakeSocketPrepared = -10087 // every connect failed
	CodeWriteNonBlock      = -10088 // send error without errno
	CodeReadOnce           = -10089 // read error without errno
	CodeShutdown           = -10090 // EOF before the response was complete
	CodeSplitHeadAndBody   = -10194 // bad headers or body
	CodeParseStatusLine    = -10195 // bad status line
	CodeDnsMakeSocket      = -10606 // no address
	CodeTaskParam          = -12    // with TypeLocal: the request cannot be written
)

// Error is a short-link attempt's failure as Mars reports it.
type Error struct {
	Type, Code int
	Err        error // the cause, for logs; may be nil
}

func (e *Error) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("shortlink: (%d, %d)", e.Type, e.Code)
	}
	return fmt.Sprintf("shortlink: (%d, %d): %v", e.Type, e.Code, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

func fail(typ, code int, err error) *Error { return &Error{Type: typ, Code: code, Err: err} }

// classifyRoundTrip maps an error from http.Transport.RoundTrip. wrote
// tells whether the whole request went out (httptrace WroteRequest without
// error); writeErr is the write error, if any.
func classifyRoundTrip(ctx context.Context, err error, wrote bool, writeErr error) error {
	var se *Error
	switch {
	case errors.As(err, &se):
		return se // from the dial
	case ctx.Err() != nil:
		return ctx.Err()
	case writeErr != nil:
		return socketErr(writeErr, CodeWriteNonBlock)
	}
	var pe textproto.ProtocolError
	msg := err.Error()
	switch {
	case errors.As(err, &pe), strings.Contains(msg, "malformed MIME header"),
		strings.Contains(msg, "headers exceeded"), strings.Contains(msg, "Content-Length"),
		strings.Contains(msg, "Transfer-Encoding"), strings.Contains(msg, "chunked"):
		return fail(TypeHttp, CodeSplitHeadAndBody, err)
	case strings.Contains(msg, "malformed HTTP"):
		return fail(TypeHttp, CodeParseStatusLine, err)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		strings.Contains(msg, "server closed"), strings.Contains(msg, "connection broken"):
		if n := dial.Errno(err); n != 0 {
			return fail(TypeSocket, n, err)
		}
		return fail(TypeSocket, CodeShutdown, err)
	case !wrote:
		return socketErr(err, CodeWriteNonBlock)
	}
	return socketErr(err, CodeReadOnce)
}

// classifyBody maps an error while reading the response body.
func classifyBody(ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fail(TypeSocket, CodeShutdown, err)
	case strings.Contains(err.Error(), "chunk"), strings.Contains(err.Error(), "invalid byte"):
		return fail(TypeHttp, CodeSplitHeadAndBody, err)
	}
	return socketErr(err, CodeReadOnce)
}

// socketErr is (4, errno), or (4, fallback) without an errno.
func socketErr(err error, fallback int) *Error {
	if n := dial.Errno(err); n != 0 {
		return fail(TypeSocket, n, err)
	}
	return fail(TypeSocket, fallback, err)
}
