package scorecard

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

var sample = []Result{
	{Scenario: "blackhole", Client: "ours", Tasks: 10, Succeeded: 10, FirstOK: 300 * time.Millisecond, P50: time.Millisecond, P99: 2 * time.Millisecond, Connects: 1},
	{Scenario: "blackhole", Client: "mars", Tasks: 10, Succeeded: 10, FirstOK: 2600 * time.Millisecond, Connects: 1},
	{Scenario: "restart", Client: "ours", Tasks: 10, Succeeded: 9, FirstOK: time.Millisecond, Recovery: 1234 * time.Millisecond},
	{Scenario: "restart", Client: "mars", Tasks: 10},
}

func TestTableShowsRatesAndRatios(t *testing.T) {
	var b bytes.Buffer
	if err := Table(&b, sample); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"| blackhole | mars | 100% | 2600ms | - | - | 1 | - | 8.67x |", "| restart | ours | 90% | 1.0ms | - | - | 0 | 1234ms |", "| restart | mars | 0% |"} {
		if !strings.Contains(out, want) {
			t.Fatalf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestPanelsPutEachClientInItsScenarioBar(t *testing.T) {
	ps := Panels(sample)
	if len(ps) != 2 {
		t.Fatalf("%d panels, want first success and success rate", len(ps))
	}
	first, rate := ps[0], ps[1]
	if !slices.Equal(first.Groups, []string{"blackhole", "restart"}) || len(first.Series) != 2 || first.Series[1].Name != "mars" {
		t.Fatalf("first-success panel %+v", first)
	}
	if got := first.Series[1].Values; !slices.Equal(got, []float64{2600, 0}) {
		t.Errorf("mars first success %v ms, want [2600 0]", got)
	}
	if got := rate.Series[0].Values; !slices.Equal(got, []float64{100, 90}) {
		t.Errorf("ours success rate %v %%, want [100 90]", got)
	}
}

func TestMedianTakesEachFigureOverRuns(t *testing.T) {
	run := func(first time.Duration, ok, connects int) []Result {
		return []Result{{Scenario: "s", Client: "c", Tasks: 10, Succeeded: ok, FirstOK: first, P50: first / 2, Connects: connects}}
	}
	got := Median([][]Result{run(900, 10, 1), run(100, 0, 7), run(300, 9, 2)})
	want := Result{Scenario: "s", Client: "c", Tasks: 10, Succeeded: 9, FirstOK: 300, P50: 150, Connects: 2}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("Median = %+v, want %+v", got, want)
	}
	if Median(nil) != nil {
		t.Fatal("Median of no runs")
	}
}

func TestPercentile(t *testing.T) {
	d := []time.Duration{5, 1, 4, 2, 3}
	if Percentile(d, 50) != 3 || Percentile(d, 99) != 5 || Percentile(d, 0) != 1 || Percentile(nil, 50) != 0 {
		t.Fatal("percentiles")
	}
}
