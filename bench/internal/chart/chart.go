// Package chart draws the harness's figures as grouped bar charts, one
// panel per measure, with gonum's plot, and writes each chart as both SVG
// and PNG.
package chart

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Series is one bar per group, e.g. one thread count across all modes.
type Series struct {
	Name   string
	Values []float64 // one per Panel.Groups entry
}

// Panel is one measure: a group of bars per Groups entry, one bar per series.
type Panel struct {
	Title  string
	YLabel string
	Groups []string
	Series []Series
	// LogFloor > 0 draws the Y axis on a log scale from LogFloor up; a
	// value at or below it draws as an empty bar. For measures that span
	// decades, such as milliseconds to the first answer.
	LogFloor float64
}

// palette is colour-blind safe (Okabe–Ito).
var palette = []color.Color{
	color.RGBA{0, 114, 178, 255}, color.RGBA{230, 159, 0, 255}, color.RGBA{0, 158, 115, 255},
	color.RGBA{204, 121, 167, 255}, color.RGBA{86, 180, 233, 255}, color.RGBA{213, 94, 0, 255},
}

// Write draws the panels stacked top to bottom and writes base+".svg" and
// base+".png"; it returns both paths.
func Write(base string, panels []Panel) ([]string, error) {
	if len(panels) == 0 {
		return nil, fmt.Errorf("chart: no panels")
	}
	plots := make([][]*plot.Plot, len(panels))
	for i, pn := range panels {
		p, err := build(pn)
		if err != nil {
			return nil, fmt.Errorf("chart %q: %w", pn.Title, err)
		}
		plots[i] = []*plot.Plot{p}
	}
	w, h := 24*vg.Centimeter, vg.Length(len(panels))*9*vg.Centimeter
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return nil, err
	}
	svg, png := base+".svg", base+".png"
	if err := save(svg, vgsvg.New(w, h), plots); err != nil {
		return nil, err
	}
	img := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(96))}
	if err := save(png, img, plots); err != nil {
		return nil, err
	}
	return []string{svg, png}, nil
}

// canvas is what both vgsvg and vgimg's PNG canvas are.
type canvas interface {
	vg.CanvasWriterTo
}

func save(path string, c canvas, plots [][]*plot.Plot) error {
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: len(plots), Cols: 1, PadX: vg.Millimeter, PadY: 4 * vg.Millimeter,
		PadTop: 2 * vg.Millimeter, PadBottom: 2 * vg.Millimeter, PadLeft: 2 * vg.Millimeter, PadRight: 2 * vg.Millimeter}
	canvases := plot.Align(plots, tiles, dc)
	for i := range plots {
		plots[i][0].Draw(canvases[i][0])
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := c.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func build(pn Panel) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = pn.Title
	p.Y.Label.Text = pn.YLabel
	p.Add(plotter.NewGrid())
	n := max(len(pn.Series), 1)
	width := vg.Points(min(36, 360/float64(n*max(len(pn.Groups), 1))))
	for i, s := range pn.Series {
		if len(s.Values) != len(pn.Groups) {
			return nil, fmt.Errorf("series %q has %d values for %d groups", s.Name, len(s.Values), len(pn.Groups))
		}
		vs := make(plotter.Values, len(s.Values))
		for j, v := range s.Values {
			if pn.LogFloor > 0 {
				v = math.Max(v, pn.LogFloor)
			}
			vs[j] = v
		}
		bars, err := plotter.NewBarChart(vs, width)
		if err != nil {
			return nil, err
		}
		bars.Color = palette[i%len(palette)]
		bars.LineStyle.Width = 0
		bars.Offset = vg.Length(float64(i)-float64(n-1)/2) * width
		p.Add(bars)
		p.Legend.Add(s.Name, bars)
	}
	p.Legend.Top = true
	labels := make([]string, len(pn.Groups))
	for i, g := range pn.Groups {
		labels[i] = wrap(g, 16)
	}
	p.NominalX(labels...)
	// The legend sits in the top right corner: keep the top of the
	// panel free of bars, more the more entries it lists.
	free := min(0.5, 0.08*float64(len(pn.Series)+1))
	if pn.LogFloor > 0 {
		p.Y.Scale = floorLog{pn.LogFloor}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
		p.Y.Min = pn.LogFloor
		p.Y.Max = math.Pow(10, math.Log10(pn.LogFloor)+math.Log10(math.Max(p.Y.Max, pn.LogFloor*10)/pn.LogFloor)/(1-free))
	} else {
		p.Y.Min = 0
		p.Y.Max /= 1 - free
		p.Y.Tick.Marker = trimmedTicks{}
	}
	return p, nil
}

// trimmedTicks are gonum's default ticks without trailing zeros
// ("750000", not "750000.00").
type trimmedTicks struct{}

func (trimmedTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if strings.Contains(ts[i].Label, ".") {
			ts[i].Label = strings.TrimRight(strings.TrimRight(ts[i].Label, "0"), ".")
		}
	}
	return ts
}

// wrap breaks s at spaces into lines of about width runes, so long group
// names do not run into their neighbours.
func wrap(s string, width int) string {
	var b strings.Builder
	line := 0
	for i, w := range strings.Fields(s) {
		if i > 0 {
			if line+1+len(w) > width {
				b.WriteByte('\n')
				line = 0
			} else {
				b.WriteByte(' ')
				line++
			}
		}
		b.WriteString(w)
		line += len(w)
	}
	return b.String()
}

// floorLog is a log scale that maps anything at or below floor to the
// axis's bottom: bar charts start their bars at zero, which a plain log
// scale rejects.
type floorLog struct{ floor float64 }

func (f floorLog) Normalize(lo, hi, x float64) float64 {
	return plot.LogScale{}.Normalize(math.Max(lo, f.floor), math.Max(hi, f.floor*10), math.Max(x, f.floor))
}
