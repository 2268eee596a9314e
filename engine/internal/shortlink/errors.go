package shortlink

import (
	"errors"
	"fmt"
	"io"

	"github.com/mars-go/mars/engine/internal/dial"
	"github.com/mars-go/mars/internal/http1"
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

// classifyRead maps an error while reading the response: a malformed
// status line (5, -10195), header or body (5, -10194), the stream ending
// before the response did (4, -10090), else the socket's errno or
// (4, -10089).
func classifyRead(err error) error {
	var pe *http1.Error
	switch {
	case errors.As(err, &pe) && pe.Part == http1.StatusLine:
		return fail(TypeHttp, CodeParseStatusLine, err)
	case errors.As(err, &pe):
		return fail(TypeHttp, CodeSplitHeadAndBody, err)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fail(TypeSocket, CodeShutdown, err)
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
