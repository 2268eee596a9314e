// Package scorecard formats the weak-network scorecard (the engine's
// benchmark of clients side by side under injected faults) as a text table
// and as a hand-written SVG chart. It measures nothing itself.
package scorecard

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// Result is one client's run of one scenario.
type Result struct {
	Scenario  string
	Client    string
	Tasks     int
	Succeeded int
	FirstOK   time.Duration // from the start to the first successful task; 0: none
	Recovery  time.Duration // from a mid-run fault to the next successful task; 0: none
	P50, P99  time.Duration // per task, successful or not
	Connects  int
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

// Table writes one row per result and, per scenario, each client's time to
// first success relative to the first client's (both floored at 1 ms, so
// sub-millisecond noise does not make huge ratios).
func Table(w io.Writer, rs []Result) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tclient\tsuccess\tfirst ok\tp50\tp99\tconnects\trecovery\tfirst ok vs first client\t")
	base := map[string]time.Duration{}
	for _, r := range rs {
		if _, ok := base[r.Scenario]; !ok {
			base[r.Scenario] = r.FirstOK
		}
		ratio := "-"
		if b := base[r.Scenario]; b > 0 && r.FirstOK > 0 {
			ratio = fmt.Sprintf("%.2fx", float64(max(r.FirstOK, time.Millisecond))/float64(max(b, time.Millisecond)))
		}
		fmt.Fprintf(tw, "%s\t%s\t%.0f%%\t%s\t%s\t%s\t%d\t%s\t%s\t\n", r.Scenario, r.Client, 100*r.Rate(),
			ms(r.FirstOK), ms(r.P50), ms(r.P99), r.Connects, ms(r.Recovery), ratio)
	}
	return tw.Flush()
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
