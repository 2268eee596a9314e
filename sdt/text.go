package sdt

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteText writes the report for people: one line per check, then the
// details of the local network state.
func (r *Report) WriteText(w io.Writer) error {
	tw := &textWriter{w: w}
	verdict := "all checks passed"
	if !r.OK() {
		verdict = fmt.Sprintf("%d of %d checks failed", len(r.Failed()), len(r.Results))
	}
	if r.Reason != ReasonOK {
		verdict += fmt.Sprintf(" (active check %s)", r.Reason)
	}
	tw.printf("network diagnosis: %s in %s\n", verdict, round(r.Duration))
	for _, res := range r.Results {
		tw.printf("  %s\n", res.line())
	}
	for _, res := range r.Results {
		if res.Net != nil {
			res.Net.writeText(tw)
		}
	}
	return tw.err
}

// line is the one-line summary of a result.
func (r Result) line() string {
	status := "ok  "
	switch {
	case r.Skipped():
		status = "skip"
	case !r.OK:
		status = "FAIL"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %-8s %-28s %8s", status, r.Kind, r.Target, round(r.Duration))
	switch r.Kind {
	case KindDNS:
		fmt.Fprintf(&b, "  %s resolver", r.Source)
		if len(r.Addrs) > 0 {
			fmt.Fprintf(&b, ": %s", strings.Join(r.Addrs, " "))
		}
	case KindHTTP:
		if r.Status != 0 {
			fmt.Fprintf(&b, "  status %d, first byte %s, body %q", r.Status, round(r.FirstByte), clip(r.Body, 40))
		}
	case KindLongLink:
		if r.OK {
			fmt.Fprintf(&b, "  connect %s, noop answer %s", round(r.Connect), round(r.FirstByte))
		}
	case KindPing:
		if r.Sent > 0 {
			fmt.Fprintf(&b, "  %d/%d replies", r.Received, r.Sent)
		}
	}
	if !r.OK {
		fmt.Fprintf(&b, "  [%s] %s", r.Reason, r.Error)
	}
	return b.String()
}

func (st *NetState) writeText(tw *textWriter) {
	tw.printf("local network: ipv4 %s, ipv6 %s\n", yesNo(st.IPv4), yesNo(st.IPv6))
	for _, in := range st.Interfaces {
		state := "down"
		if in.Up {
			state = "up"
		}
		tw.printf("  interface %-10s %-4s mtu %-5d %s\n", in.Name, state, in.MTU, strings.Join(in.Addrs, " "))
	}
	if !st.RoutesKnown {
		tw.printf("  default routes: unknown on this platform\n")
	}
	for _, rt := range st.DefaultRoutes {
		fam, via := "ipv4", "direct"
		if rt.IPv6 {
			fam = "ipv6"
		}
		if rt.Gateway != "" {
			via = "via " + rt.Gateway
		}
		tw.printf("  default route %s %s dev %s\n", fam, via, rt.Interface)
	}
}

// textWriter keeps the first write error so the printing code stays flat.
type textWriter struct {
	w   io.Writer
	err error
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

func round(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Microsecond)
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
