package main

import (
	"slices"
	"testing"
)

// TestXlogPanelsPutEachRowInItsModeAndThreadBar: rows arrive mode by mode;
// each panel has a group per mode and a series per thread count, and each
// row's figure lands in its own bar.
func TestXlogPanelsPutEachRowInItsModeAndThreadBar(t *testing.T) {
	rows := []xlogRow{
		{Mode: "zlib", Threads: 1, LinesPerSec: 100, CPUSeconds: 4},
		{Mode: "zlib", Threads: 4, LinesPerSec: 90, CPUSeconds: 5},
		{Mode: "lz4", Threads: 1, LinesPerSec: 600, CPUSeconds: 1.5},
		{Mode: "lz4", Threads: 4, LinesPerSec: 500, CPUSeconds: 1.8},
	}
	ps := xlogPanels(rows, 1000)
	if len(ps) != 4 {
		t.Fatalf("%d panels, want 4 (lines/s, CPU, RSS, B/line)", len(ps))
	}
	if !slices.Equal(ps[0].Groups, []string{"zlib", "lz4"}) || len(ps[0].Series) != 2 {
		t.Fatalf("groups %v, %d series", ps[0].Groups, len(ps[0].Series))
	}
	if got := ps[0].Series[1].Values; !slices.Equal(got, []float64{90, 500}) {
		t.Errorf("4-thread lines/s %v, want [90 500]", got)
	}
	if got := ps[1].Series[0].Values; !slices.Equal(got, []float64{4, 1.5}) {
		t.Errorf("1-thread CPU s %v, want [4 1.5]", got)
	}
}

func TestStnPanelsShowP50AndP99PerLevel(t *testing.T) {
	rows := []stnRow{{InFlight: 1, P50us: 40, P99us: 90}, {InFlight: 16, P50us: 200, P99us: 700}}
	ps := stnPanels(rows, 100)
	lat := ps[1]
	if !slices.Equal(lat.Groups, []string{"1 in flight", "16 in flight"}) || len(lat.Series) != 2 {
		t.Fatalf("latency panel %+v", lat)
	}
	if !slices.Equal(lat.Series[0].Values, []float64{40, 200}) || !slices.Equal(lat.Series[1].Values, []float64{90, 700}) {
		t.Errorf("p50 %v p99 %v", lat.Series[0].Values, lat.Series[1].Values)
	}
}
