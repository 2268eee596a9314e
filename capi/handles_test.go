package main

import (
	"strings"
	"testing"
)

func TestHandleTableRoundTrip(t *testing.T) {
	tab := newHandleTable[string](kindSTN)
	id, ok := tab.add("a")
	if !ok || id == 0 {
		t.Fatalf("add = %#x, %v", id, ok)
	}
	if v, ok := tab.get(id); !ok || v != "a" {
		t.Fatalf("get = %q, %v", v, ok)
	}
	if tab.len() != 1 {
		t.Fatalf("len = %d, want 1", tab.len())
	}
	if v, ok := tab.remove(id); !ok || v != "a" {
		t.Fatalf("remove = %q, %v", v, ok)
	}
	if tab.len() != 0 {
		t.Fatalf("len after remove = %d, want 0", tab.len())
	}
}

func TestHandleTableStaleIDFails(t *testing.T) {
	tab := newHandleTable[int](kindSTN)
	old, _ := tab.add(1)
	tab.remove(old)
	if _, ok := tab.get(old); ok {
		t.Fatal("get of a released id succeeded")
	}
	if _, ok := tab.remove(old); ok {
		t.Fatal("second remove succeeded")
	}
	reused, _ := tab.add(2) // takes the same slot with the next generation
	if reused == old {
		t.Fatalf("reused slot kept id %#x", old)
	}
	if _, ok := tab.get(old); ok {
		t.Fatal("stale id names the slot's new object")
	}
	if v, ok := tab.get(reused); !ok || v != 2 {
		t.Fatalf("get(new) = %d, %v", v, ok)
	}
}

func TestHandleTableForgedIDsFail(t *testing.T) {
	stn := newHandleTable[int](kindSTN)
	xl := newHandleTable[int](kindXlog)
	id, _ := stn.add(7)
	xid, _ := xl.add(8)
	above := handleKindBit + 4          // the first bit above the kind
	aboveKind := id | uintptr(1)<<above // equals id where uintptr has 32 bits
	forged := []uintptr{0, 1, 42, ^uintptr(0), id + 1, id ^ 1<<handleSlotBits, xid, aboveKind}
	for _, f := range forged {
		if f == id {
			continue
		}
		if _, ok := stn.get(f); ok {
			t.Errorf("forged id %#x accepted", f)
		}
	}
	if _, ok := xl.get(id); ok {
		t.Error("stn id accepted by the xlog table")
	}
}

func TestHandleTableStaleIDRefusedPastTheOldWrap(t *testing.T) {
	if handleIDBits == 64 && handleGenMask < 1<<32 {
		t.Fatalf("%d generations per slot, want at least 2^32", uint64(handleGenMask))
	}
	tab := newHandleTable[int](kindXlog)
	stale, _ := tab.add(-1)
	tab.remove(stale)
	reuses := 0
	for i := range 2 << 16 { // past 65 535, where 16-bit generations wrapped
		id, ok := tab.add(i)
		if !ok || id == stale {
			t.Fatalf("cycle %d: add = %#x, %v (stale %#x)", i, id, ok, stale)
		}
		if id&handleSlotMask == stale&handleSlotMask {
			reuses++
		}
		if _, ok := tab.get(stale); ok {
			t.Fatalf("cycle %d: stale id %#x names the live object", i, stale)
		}
		if _, ok := tab.remove(stale); ok {
			t.Fatalf("cycle %d: stale id %#x released the live object", i, stale)
		}
		tab.remove(id)
	}
	// Every cycle took the stale id's slot until it was retired (only
	// 32-bit ids retire it within these cycles).
	if want := min(2<<16, handleGenMask-1); reuses != want {
		t.Fatalf("the stale id's slot was reused %d times, want %d", reuses, want)
	}
}

func TestHandleTableRetiresASlotInsteadOfWrapping(t *testing.T) {
	tab := newHandleTable[int](kindSTN)
	tab.lastGen = 3 // as 32-bit ids do at 65 535, in fewer cycles
	seen := map[uintptr]bool{}
	for {
		id, ok := tab.add(0)
		if !ok {
			break
		}
		if seen[id] {
			t.Fatalf("id %#x handed out twice", id)
		}
		seen[id] = true
		tab.remove(id)
	}
	if len(seen) != 3*maxHandles {
		t.Fatalf("%d ids before the table ran out, want %d", len(seen), 3*maxHandles)
	}
	for id := range seen {
		if _, ok := tab.get(id); ok {
			t.Fatalf("released id %#x valid again", id)
		}
	}
	if msg := tab.limit("engines"); !strings.Contains(msg, "every id") {
		t.Fatalf("limit = %q, want it to say the ids are used up", msg)
	}
	if tab.len() != 0 {
		t.Fatalf("len = %d, want 0", tab.len())
	}
}

func TestHandleTableLimit(t *testing.T) {
	tab := newHandleTable[int](kindSTN)
	for i := 0; i < maxHandles; i++ {
		if _, ok := tab.add(i); !ok {
			t.Fatalf("add %d failed below the limit", i)
		}
	}
	if _, ok := tab.add(-1); ok {
		t.Fatal("add beyond maxHandles succeeded")
	}
}

func BenchmarkHandleTableGet(b *testing.B) {
	tab := newHandleTable[int](kindSTN)
	id, _ := tab.add(1)
	for b.Loop() {
		if _, ok := tab.get(id); !ok {
			b.Fatal("get failed")
		}
	}
}
