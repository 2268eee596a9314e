package chart

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var panels = []Panel{
	{Title: "lines/s", YLabel: "lines/s", Groups: []string{"zlib", "lz4"},
		Series: []Series{{"1 thread", []float64{2e5, 6e5}}, {"4 threads", []float64{1.9e5, 5e5}}}},
	// A zero on a log panel (a client that never succeeded) must not panic.
	{Title: "first ok", YLabel: "ms", Groups: []string{"blackholed", "restart"}, LogFloor: 1,
		Series: []Series{{"mars-go", []float64{250, 0}}, {"exact Mars", []float64{2600, 5000}}}},
}

func TestWriteDrawsSVGAndPNGWithEveryLabel(t *testing.T) {
	base := filepath.Join(t.TempDir(), "sub", "xlog")
	paths, err := Write(base, panels)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 2 || paths[0] != base+".svg" || paths[1] != base+".png" {
		t.Fatalf("paths %v", paths)
	}
	svg, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	for d := xml.NewDecoder(bytes.NewReader(svg)); ; {
		if _, err := d.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("SVG is not well-formed: %v", err)
			}
			break
		}
	}
	for _, want := range []string{"zlib", "lz4", "1 thread", "4 threads", "mars-go", "exact Mars", "blackholed", "first ok"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	f, err := os.Open(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 2*300 {
		t.Errorf("PNG is %v, want two panels of at least 600x300", b)
	}
}

func TestWriteRejectsRaggedSeries(t *testing.T) {
	_, err := Write(filepath.Join(t.TempDir(), "x"), []Panel{{Groups: []string{"a", "b"}, Series: []Series{{"s", []float64{1}}}}})
	if err == nil {
		t.Fatal("a series with fewer values than groups was accepted")
	}
}

func TestWrapBreaksLongGroupNamesAtSpaces(t *testing.T) {
	for in, want := range map[string]string{
		"zlib":                                   "zlib",
		"5% connects reset, drops every 4 tasks": "5% connects\nreset, drops\nevery 4 tasks",
		"first blackholed":                       "first blackholed",
	} {
		if got := wrap(in, 16); got != want {
			t.Errorf("wrap(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTickLabelsHaveNoTrailingZeros(t *testing.T) {
	seen := map[string]bool{}
	for _, tk := range (trimmedTicks{}).Ticks(0, 750000) {
		seen[tk.Label] = tk.Label != ""
	}
	if !seen["750000"] || !seen["0"] {
		t.Errorf("labels %v, want 0 and 750000 without decimals", seen)
	}
	for _, tk := range (trimmedTicks{}).Ticks(0, 0.3) {
		if strings.HasSuffix(tk.Label, "0") && tk.Label != "0" {
			t.Errorf("label %q keeps a trailing zero", tk.Label)
		}
	}
}
