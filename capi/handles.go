package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"
)

// A handle id names one live object of one kind. Ids are pointer-sized
// (they travel as mars_stn * and mars_xlog *); their layout, from the top:
//
//	top 4 bits    kind (never 0, so 0 and small integers are never valid)
//	middle bits   generation of the slot, bumped on every release:
//	              48 bits where pointers have 64, 16 where they have 32
//	low 12 bits   slot index
//
// A released id fails from then on (its generation no longer matches), an id
// of another kind fails (the kind differs), and a forged id fails unless it
// happens to equal a live one. A slot whose last generation has been
// released is retired rather than wrapped, so no id is ever handed out twice
// in the life of the process: a stale id can never name a newer object.
// With 48 generation bits a slot lasts 2^48 opens; with 32-bit pointers
// each kind has about 2^28 ids in all, after which add fails.
const (
	handleIDBits   = 8 * unsafe.Sizeof(uintptr(0))
	handleKindBits = 4
	handleSlotBits = 12
	handleKindBit  = handleIDBits - handleKindBits
	handleGenBits  = handleKindBit - handleSlotBits
	handleSlotMask = 1<<handleSlotBits - 1
	handleGenMask  = 1<<handleGenBits - 1

	// maxHandles is the number of objects of one kind that can be alive at once.
	maxHandles = 1 << handleSlotBits
)

// Handle kinds.
const (
	kindSTN  = 0x5
	kindXlog = 0x7
)

// handleEntry is what a live slot names; never changed once stored.
type handleEntry[T any] struct {
	gen uint64
	val T
}

// handleTable hands out validated ids for live objects of one kind. It is
// the only package-level state capi keeps.
type handleTable[T any] struct {
	kind    uint32
	lastGen uint64 // a slot released at this generation is retired

	// live holds each slot's object; get reads it without mu: every C call
	// looks its handle up, and a read lock taken by threads calling at once
	// made them queue for its cache line. The rest is under mu.
	live []atomic.Pointer[handleEntry[T]] // maxHandles long

	mu      sync.Mutex
	gens    []uint64 // each slot's generation: the one live, or the next to hand out
	free    []uint32
	alive   int
	retired int
}

func newHandleTable[T any](kind uint32) *handleTable[T] {
	return &handleTable[T]{kind: kind, lastGen: handleGenMask, live: make([]atomic.Pointer[handleEntry[T]], maxHandles)}
}

// add stores v and returns its id; ok is false when maxHandles are alive
// or every id of this kind has been used (limit says which).
func (t *handleTable[T]) add(v T) (id uintptr, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var idx uint32
	if n := len(t.free); n > 0 {
		idx = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		if len(t.gens) >= maxHandles {
			return 0, false
		}
		idx = uint32(len(t.gens))
		t.gens = append(t.gens, 1)
	}
	t.alive++
	t.live[idx].Store(&handleEntry[T]{gen: t.gens[idx], val: v})
	return t.id(idx, t.gens[idx]), true
}

func (t *handleTable[T]) id(idx uint32, gen uint64) uintptr {
	return uintptr(t.kind)<<handleKindBit | uintptr(gen)<<handleSlotBits | uintptr(idx)
}

// entry returns id's slot and what it names if id names a live object.
func (t *handleTable[T]) entry(id uintptr) (uint32, *handleEntry[T], bool) {
	if id>>handleKindBit != uintptr(t.kind) { // also rejects any bit above the kind
		return 0, nil, false
	}
	idx := uint32(id & handleSlotMask)
	e := t.live[idx].Load()
	if e == nil || e.gen != uint64(id>>handleSlotBits)&handleGenMask {
		return 0, nil, false
	}
	return idx, e, true
}

// get returns the object id names.
func (t *handleTable[T]) get(id uintptr) (v T, ok bool) {
	if _, e, ok := t.entry(id); ok {
		return e.val, true
	}
	return v, false
}

// remove releases id and returns what it named; later uses of id fail.
func (t *handleTable[T]) remove(id uintptr) (v T, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	idx, e, ok := t.entry(id)
	if !ok {
		return v, false
	}
	t.live[idx].Store(nil)
	t.alive--
	if e.gen == t.lastGen {
		t.retired++ // wrapping would make old ids valid again
		return e.val, true
	}
	t.gens[idx]++
	t.free = append(t.free, idx)
	return e.val, true
}

// len is the number of live objects.
func (t *handleTable[T]) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.alive
}

// limit says why add failed: what objects (e.g. "engines") are alive, or
// that the kind's ids are used up.
func (t *handleTable[T]) limit(what string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.retired > 0 {
		return fmt.Sprintf("%d %s are alive and %d slots have used every id they had", t.alive, what, t.retired)
	}
	return fmt.Sprintf("%d %s are alive", t.alive, what)
}
