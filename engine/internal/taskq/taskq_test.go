package taskq

import (
	"slices"
	"testing"
)

func order(q *Queue[string]) []string {
	var out []string
	q.Filter(func(s string) bool { out = append(out, s); return true })
	return out
}

func TestLowerPriorityNumberGoesFirstFIFOWithin(t *testing.T) {
	var q Queue[string]
	q.Push(5, "low1")
	q.Push(0, "high1")
	q.Push(3, "normal")
	q.Push(5, "low2")
	q.Push(0, "high2")
	want := []string{"high1", "high2", "normal", "low1", "low2"}
	if got := order(&q); !slices.Equal(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	if q.Len() != 5 {
		t.Fatalf("Len = %d, want 5", q.Len())
	}
}

func TestOutOfRangePrioritiesAreClamped(t *testing.T) {
	var q Queue[string]
	q.Push(99, "last")
	q.Push(-4, "first")
	if got := order(&q); !slices.Equal(got, []string{"first", "last"}) {
		t.Fatalf("order = %v", got)
	}
}

func TestRemoveKeepsOrderOfOthers(t *testing.T) {
	var q Queue[string]
	for _, s := range []string{"a", "b", "c"} {
		q.Push(3, s)
	}
	if !q.Remove("b") {
		t.Fatal("Remove(b) = false")
	}
	if q.Remove("zz") {
		t.Fatal("Remove of absent item = true")
	}
	if got := order(&q); !slices.Equal(got, []string{"a", "c"}) || q.Len() != 2 {
		t.Fatalf("after remove: %v len %d", got, q.Len())
	}
}

func TestFilterDropsRejectedAndKeepsPushedDuringPass(t *testing.T) {
	var q Queue[string]
	for _, s := range []string{"a", "b", "c", "d"} {
		q.Push(3, s)
	}
	var visited []string
	q.Filter(func(s string) bool {
		visited = append(visited, s)
		if s == "b" {
			q.Push(3, "e")
		}
		return s != "a" && s != "c"
	})
	if !slices.Equal(visited, []string{"a", "b", "c", "d"}) {
		t.Fatalf("visited %v", visited)
	}
	if got := order(&q); !slices.Equal(got, []string{"b", "d", "e"}) || q.Len() != 3 {
		t.Fatalf("after filter: %v len %d", got, q.Len())
	}
	q.Clear()
	if q.Len() != 0 || len(order(&q)) != 0 {
		t.Fatal("Clear left items")
	}
}
