package marsd

import (
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Behavior scripts how the server answers. The zero value is normal
// service. It applies to every request that arrives after it is set.
type Behavior struct {
	// Delay postpones each answer (long and short link).
	Delay time.Duration
	// Silent reads requests and answers nothing: long-link requests,
	// heartbeats and identify requests, and short-link requests (held open).
	Silent bool
	// IgnoreNoop leaves heartbeats unanswered, everything else normal.
	IgnoreNoop bool
	// CloseAfter closes a long-link connection once that many bytes were
	// written to it, cutting the answer that crosses the limit. 0 = never.
	CloseAfter int64
	// Trickle writes long-link answers one byte at a time with this gap.
	Trickle time.Duration
	// WrongVersion makes long-link answers carry client_version + 1.
	WrongVersion bool
	// Oversize makes long-link answers announce more than 1 MiB.
	Oversize bool
	// Status is the HTTP status of short-link answers. 0 = 200.
	Status int
	// OnePerRead parses only the first long-link packet each read
	// completes and drops the rest of that read, as a server that takes a
	// read for a packet does (Mars's Java sample server): of packets that
	// arrive together, only the first is answered.
	OnePerRead bool
}

// String renders b in the query form ParseBehavior reads; "" is normal.
func (b Behavior) String() string {
	return b.Values().Encode()
}

// Values renders the non-zero fields of b as admin query parameters.
func (b Behavior) Values() url.Values {
	v := url.Values{}
	set := func(k, s string, on bool) {
		if on {
			v.Set(k, s)
		}
	}
	set("delay", b.Delay.String(), b.Delay != 0)
	set("silent", "1", b.Silent)
	set("ignore_noop", "1", b.IgnoreNoop)
	set("close_after", strconv.FormatInt(b.CloseAfter, 10), b.CloseAfter != 0)
	set("trickle", b.Trickle.String(), b.Trickle != 0)
	set("wrong_version", "1", b.WrongVersion)
	set("oversize", "1", b.Oversize)
	set("status", strconv.Itoa(b.Status), b.Status != 0)
	set("one_per_read", "1", b.OnePerRead)
	return v
}

// ParseBehavior reads the admin query form (see the package doc). Missing
// fields are zero; unknown fields are an error so typos do not pass.
func ParseBehavior(v url.Values) (Behavior, error) {
	var b Behavior
	var err error
	for key, vals := range v {
		s := vals[len(vals)-1]
		switch key {
		case "delay":
			b.Delay, err = parseDuration(s)
		case "trickle":
			b.Trickle, err = parseDuration(s)
		case "silent":
			b.Silent, err = strconv.ParseBool(s)
		case "ignore_noop":
			b.IgnoreNoop, err = strconv.ParseBool(s)
		case "wrong_version":
			b.WrongVersion, err = strconv.ParseBool(s)
		case "oversize":
			b.Oversize, err = strconv.ParseBool(s)
		case "one_per_read":
			b.OnePerRead, err = strconv.ParseBool(s)
		case "close_after":
			b.CloseAfter, err = strconv.ParseInt(s, 10, 64)
			if err == nil && b.CloseAfter < 0 {
				err = fmt.Errorf("negative")
			}
		case "status":
			b.Status, err = parseStatus(s)
		default:
			return Behavior{}, fmt.Errorf("marsd: unknown behaviour field %q", key)
		}
		if err != nil {
			return Behavior{}, fmt.Errorf("marsd: behaviour field %s=%q: %w", key, s, err)
		}
	}
	return b, nil
}

func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err == nil && d < 0 {
		return 0, fmt.Errorf("negative duration")
	}
	return d, err
}

func parseStatus(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err == nil && (n < 100 || n > 999) {
		return 0, fmt.Errorf("status outside 100..999")
	}
	return n, err
}

// forRequest adds the effect of a scripting cmdid (see the package doc) to
// the server-wide behaviour for one long-link answer.
func (b Behavior) forRequest(cmd uint32) Behavior {
	switch {
	case cmd == CmdSilence:
		b.Silent = true
	case cmd == CmdWrongVersion:
		b.WrongVersion = true
	case cmd == CmdOversize:
		b.Oversize = true
	case cmd == CmdTrickle && b.Trickle == 0:
		b.Trickle = DefaultTrickleGap
	case cmd >= CmdDelayBase && cmd <= CmdDelayLast:
		b.Delay += time.Duration(cmd-CmdDelayBase) * DelayUnit
	}
	return b
}
