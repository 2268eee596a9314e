package run

import "testing"

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{5}, 5},
		{[]float64{9, 1, 5}, 5},
		{[]float64{4, 1, 3, 2}, 2},
	} {
		if got := Median(c.in); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestChildParsesLastLineAndCPU(t *testing.T) {
	r, err := Child(nil, "sh", "-c", "echo noise; i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo a=1 b=x")
	if err != nil {
		t.Fatal(err)
	}
	if r.Float("a") != 1 || r.Fields["b"] != "x" || len(r.Fields) != 2 {
		t.Errorf("fields %v, want a=1 b=x", r.Fields)
	}
	if r.CPU <= 0 {
		t.Errorf("CPU %v s for a busy loop, want > 0", r.CPU)
	}
}
