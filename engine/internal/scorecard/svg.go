package scorecard

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
	"time"
)

// Chart geometry.
const (
	chartW, panelH       = 960, 260
	left, top, gap       = 70, 40, 60
	logMinMs, logMaxMs   = 0.1, 30000.0
	barGap, groupPadding = 2, 24
)

var palette = []string{"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"}

// SVG draws two panels: time to the first successful task (log scale) and
// the task success rate, one group of bars per scenario, one bar per client.
func SVG(w io.Writer, rs []Result) error {
	scen, clients := order(rs)
	byKey := map[[2]string]Result{}
	for _, r := range rs {
		byKey[[2]string{r.Scenario, r.Client}] = r
	}
	var b strings.Builder
	height := top + 2*panelH + gap + 60
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", chartW, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	plotW := float64(chartW - left - 20)
	groupW := plotW / float64(max(len(scen), 1))
	barW := (groupW - groupPadding) / float64(max(len(clients), 1))
	panel := func(y0 float64, title string, val func(Result) (float64, string), axis []float64, label func(float64) string) {
		fmt.Fprintf(&b, `<text x="%d" y="%.0f" font-weight="bold">%s</text>`+"\n", left, y0-12, html.EscapeString(title))
		for _, a := range axis {
			y := y0 + panelH*(1-a)
			fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>`, left, chartW-20, y, y)
			fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", left-6, y+4, label(a))
		}
		for i, s := range scen {
			for j, c := range clients {
				r, ok := byKey[[2]string{s, c}]
				if !ok {
					continue
				}
				f, txt := val(r)
				x := float64(left) + float64(i)*groupW + groupPadding/2 + float64(j)*barW
				h := panelH * math.Min(math.Max(f, 0), 1)
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s / %s: %s</title></rect>`+"\n",
					x, y0+panelH-h, barW-barGap, h, palette[j%len(palette)], html.EscapeString(s), html.EscapeString(c), txt)
			}
		}
	}
	logPos := func(d time.Duration) float64 {
		m := float64(d) / float64(time.Millisecond)
		if m <= 0 {
			return 0
		}
		return math.Max(math.Log10(math.Max(m, logMinMs)/logMinMs)/math.Log10(logMaxMs/logMinMs), 0.01)
	}
	msAxis := []float64{}
	for _, m := range []float64{0.1, 1, 10, 100, 1000, 10000} {
		msAxis = append(msAxis, math.Log10(m/logMinMs)/math.Log10(logMaxMs/logMinMs))
	}
	panel(top, "time to first successful task (log scale; no bar: none succeeded)",
		func(r Result) (float64, string) { return logPos(r.FirstOK), ms(r.FirstOK) },
		msAxis, func(a float64) string {
			return ms(time.Duration(logMinMs * math.Pow(logMaxMs/logMinMs, a) * float64(time.Millisecond)))
		})
	panel(top+panelH+gap, "task success rate",
		func(r Result) (float64, string) { return r.Rate(), fmt.Sprintf("%.0f%%", 100*r.Rate()) },
		[]float64{0, 0.5, 1}, func(a float64) string { return fmt.Sprintf("%.0f%%", 100*a) })
	yl := float64(top + 2*panelH + gap + 16)
	for i, s := range scen {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle">%s</text>`+"\n",
			float64(left)+(float64(i)+0.5)*groupW, yl, html.EscapeString(s))
	}
	for j, c := range clients {
		x := left + j*200
		fmt.Fprintf(&b, `<rect x="%d" y="%.0f" width="12" height="12" fill="%s"/><text x="%d" y="%.0f">%s</text>`+"\n",
			x, yl+16, palette[j%len(palette)], x+16, yl+26, html.EscapeString(c))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// order lists scenarios and clients in first-seen order.
func order(rs []Result) (scen, clients []string) {
	seen := map[string]bool{}
	for _, r := range rs {
		if !seen["s"+r.Scenario] {
			seen["s"+r.Scenario] = true
			scen = append(scen, r.Scenario)
		}
		if !seen["c"+r.Client] {
			seen["c"+r.Client] = true
			clients = append(clients, r.Client)
		}
	}
	return scen, clients
}
