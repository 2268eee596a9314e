package sdt

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
)

// failure turns err into a failed result of kind k for target. ctx is the
// check's context: when it is done, its cause decides between timeout and
// cancellation, whatever error the operation itself returned.
func failure(ctx context.Context, k Kind, target string, err error) Result {
	r := Result{Kind: k, Target: target, Reason: classify(ctx, err), Error: err.Error()}
	var errno syscall.Errno
	if errors.As(err, &errno) && errno != 0 {
		r.Errno = int(errno)
		r.ErrnoName = errnoName(errno)
	}
	return r
}

// classify maps an error from the net, os and context packages to a Reason.
func classify(ctx context.Context, err error) Reason {
	if ctx.Err() != nil {
		return contextReason(ctx)
	}
	var dnsErr *net.DNSError
	var protoErr protocolError
	switch {
	case errors.As(err, &protoErr):
		return ReasonProtocol
	case errors.Is(err, errClosedBeforeNoop):
		return ReasonReset
	case errors.Is(err, context.Canceled):
		return ReasonCanceled
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return ReasonTimeout
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return ReasonNotFound
		}
		if dnsErr.IsTimeout {
			return ReasonTimeout
		}
		return ReasonError
	case errors.Is(err, syscall.ECONNREFUSED):
		return ReasonRefused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED):
		return ReasonReset
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.EADDRNOTAVAIL):
		return ReasonUnreachable
	case errors.Is(err, syscall.EPERM), errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPROTONOSUPPORT):
		return ReasonNotPermitted
	case errors.Is(err, syscall.ETIMEDOUT):
		return ReasonTimeout
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return ReasonTimeout
	}
	return ReasonError
}

// contextReason tells why ctx is done: its own or a parent deadline is a
// timeout, anything else a cancellation.
func contextReason(ctx context.Context) Reason {
	if errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		return ReasonTimeout
	}
	return ReasonCanceled
}

// errnoName gives the symbolic name of the errors a check commonly meets.
func errnoName(e syscall.Errno) string {
	switch e {
	case syscall.ECONNREFUSED:
		return "ECONNREFUSED"
	case syscall.ECONNRESET:
		return "ECONNRESET"
	case syscall.ECONNABORTED:
		return "ECONNABORTED"
	case syscall.ETIMEDOUT:
		return "ETIMEDOUT"
	case syscall.ENETUNREACH:
		return "ENETUNREACH"
	case syscall.EHOSTUNREACH:
		return "EHOSTUNREACH"
	case syscall.EADDRNOTAVAIL:
		return "EADDRNOTAVAIL"
	case syscall.EPERM:
		return "EPERM"
	case syscall.EACCES:
		return "EACCES"
	case syscall.EPIPE:
		return "EPIPE"
	case syscall.EPROTONOSUPPORT:
		return "EPROTONOSUPPORT"
	case syscall.EAFNOSUPPORT:
		return "EAFNOSUPPORT"
	}
	return ""
}
