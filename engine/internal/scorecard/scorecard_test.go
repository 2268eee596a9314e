package scorecard

import (
	"bytes"
	"encoding/xml"
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
	for _, want := range []string{"100%", "8.67x", "90%", "2600ms", "0%", "1234ms"} {
		if !strings.Contains(out, want) {
			t.Fatalf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestSVGIsWellFormedWithOneBarPerResultAndPanel(t *testing.T) {
	var b bytes.Buffer
	if err := SVG(&b, sample); err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(&b)
	bars := 0
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "title" {
			bars++
		}
	}
	if bars != 2*len(sample) {
		t.Fatalf("%d bars, want %d", bars, 2*len(sample))
	}
}

func TestPercentile(t *testing.T) {
	d := []time.Duration{5, 1, 4, 2, 3}
	if Percentile(d, 50) != 3 || Percentile(d, 99) != 5 || Percentile(d, 0) != 1 || Percentile(nil, 50) != 0 {
		t.Fatal("percentiles")
	}
}
