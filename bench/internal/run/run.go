// Package run measures one child process: the CPU seconds the kernel
// accounts to it (wait4's rusage) and the figures it prints itself.
//
// Peak RSS must come from the child (VmHWM in /proc/self/status): Go
// starts children with vfork+exec, and Linux folds the parent's peak into
// the child's rusage maxrss at exec.
package run

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// Result is one child's figures: its own key=value output and rusage.
type Result struct {
	Fields map[string]string
	CPU    float64 // user + system seconds
}

// Child runs name with args and parses the last line of its stdout as
// space-separated key=value pairs.
func Child(env []string, name string, args ...string) (Result, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return Result{}, fmt.Errorf("%s: %w", name, err)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	r := Result{
		Fields: KeyValues(lastLine(out.String())),
		CPU:    seconds(ru.Utime) + seconds(ru.Stime),
	}
	return r, nil
}

func seconds(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// KeyValues parses "a=1 b=2".
func KeyValues(line string) map[string]string {
	m := map[string]string{}
	for _, f := range strings.Fields(line) {
		if k, v, ok := strings.Cut(f, "="); ok {
			m[k] = v
		}
	}
	return m
}

// Float is the field k of r as a number (0 if missing).
func (r Result) Float(k string) float64 {
	f, _ := strconv.ParseFloat(r.Fields[k], 64)
	return f
}

// Median of xs (the lower middle for an even count); 0 for none.
func Median[T cmp.Ordered](xs []T) T {
	if len(xs) == 0 {
		var zero T
		return zero
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// LoadAvg is /proc/loadavg's first three figures, or "?".
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
