// Package scorecard holds the weak-network scorecard: clients side by side
// against marsd on loopback under injected faults. Its benchmark
// (BenchmarkWeakNetworkScorecard, `make scorecard`) measures; this package
// takes the medians over runs and formats them as a text table and as
// chart panels.
package scorecard

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/mars-go/mars/bench/internal/chart"
	"github.com/mars-go/mars/bench/internal/run"
)

// Result is one client's run of one scenario.
type Result struct {
	Scenario  string        `json:"scenario"`
	Client    string        `json:"client"`
	Tasks     int           `json:"tasks"`
	Succeeded int           `json:"succeeded"`
	FirstOK   time.Duration `json:"first_ok_ns"` // from the start to the first successful task; 0: none
	Recovery  time.Duration `json:"recovery_ns"` // from a mid-run fault to the next successful task; 0: none
	P50       time.Duration `json:"p50_ns"`      // per task, successful or not
	P99       time.Duration `json:"p99_ns"`
	Connects  int           `json:"connects"`
}

// Rate is the share of tasks that succeeded.
func (r Result) Rate() float64 {
	if r.Tasks == 0 {
		return 0
	}
	return float64(r.Succeeded) / float64(r.Tasks)
}

// Percentile returns the p-th percentile (0–100) of d by nearest rank.
func Percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// Table writes a Markdown table, one row per result with, per scenario,
// each client's time to first success relative to the first client's
// (both floored at 1 ms, so sub-millisecond noise does not make huge
// ratios).
func Table(w io.Writer, rs []Result) error {
	var b strings.Builder
	b.WriteString("| scenario | client | success | first ok | p50 | p99 | connects | recovery | first ok vs first client |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	base := map[string]time.Duration{}
	for _, r := range rs {
		if _, ok := base[r.Scenario]; !ok {
			base[r.Scenario] = r.FirstOK
		}
		ratio := "-"
		if b := base[r.Scenario]; b > 0 && r.FirstOK > 0 {
			ratio = fmt.Sprintf("%.2fx", float64(max(r.FirstOK, time.Millisecond))/float64(max(b, time.Millisecond)))
		}
		fmt.Fprintf(&b, "| %s | %s | %.0f%% | %s | %s | %s | %d | %s | %s |\n", r.Scenario, r.Client, 100*r.Rate(),
			ms(r.FirstOK), ms(r.P50), ms(r.P99), r.Connects, ms(r.Recovery), ratio)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func ms(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	m := float64(d) / float64(time.Millisecond)
	if m < 10 {
		return fmt.Sprintf("%.1fms", m)
	}
	return fmt.Sprintf("%.0fms", m)
}

// Median folds runs of the same scenarios and clients, in the same order,
// into one result each: every figure the median over the runs (the lower
// middle for an even count), so a client that failed in most runs shows
// no first success.
func Median(runs [][]Result) []Result {
	if len(runs) == 0 {
		return nil
	}
	out := slices.Clone(runs[0])
	for i := range out {
		col := func(f func(Result) time.Duration) time.Duration {
			xs := make([]time.Duration, len(runs))
			for j, r := range runs {
				xs[j] = f(r[i])
			}
			return run.Median(xs)
		}
		out[i].FirstOK = col(func(r Result) time.Duration { return r.FirstOK })
		out[i].Recovery = col(func(r Result) time.Duration { return r.Recovery })
		out[i].P50 = col(func(r Result) time.Duration { return r.P50 })
		out[i].P99 = col(func(r Result) time.Duration { return r.P99 })
		out[i].Succeeded = int(col(func(r Result) time.Duration { return time.Duration(r.Succeeded) }))
		out[i].Connects = int(col(func(r Result) time.Duration { return time.Duration(r.Connects) }))
	}
	return out
}

// Panels draws the time to the first successful task (log scale: it spans
// a millisecond to tens of seconds) and the success rate, a group of bars
// per scenario and a bar per client.
func Panels(rs []Result) []chart.Panel {
	var scenarios, clients []string
	for _, r := range rs {
		if !slices.Contains(scenarios, r.Scenario) {
			scenarios = append(scenarios, r.Scenario)
		}
		if !slices.Contains(clients, r.Client) {
			clients = append(clients, r.Client)
		}
	}
	first := chart.Panel{Title: "weak-network scorecard: time to the first successful task (none: empty bar)",
		YLabel: "ms (log)", Groups: scenarios, LogFloor: 0.1}
	rate := chart.Panel{Title: "tasks that succeeded", YLabel: "%", Groups: scenarios}
	for _, c := range clients {
		f := chart.Series{Name: c, Values: make([]float64, len(scenarios))}
		ok := chart.Series{Name: c, Values: make([]float64, len(scenarios))}
		for _, r := range rs {
			if r.Client == c {
				i := slices.Index(scenarios, r.Scenario)
				f.Values[i] = float64(r.FirstOK) / float64(time.Millisecond)
				ok.Values[i] = 100 * r.Rate()
			}
		}
		first.Series = append(first.Series, f)
		rate.Series = append(rate.Series, ok)
	}
	return []chart.Panel{first, rate}
}
