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

type handleSlot[T any] struct {
	gen  uint64
	live bool
	val  T
}

// handleEntry is what get finds for a live slot; never changed once stored.
type handleEntry[T any] struct {
	gen uint64
	val T
}

// handleTable hands out validated ids for live objects of one kind. It is
// the only package-level state capi keeps.
type handleTable[T any] struct {
	kind    uint32
	lastGen uint64 // a slot released at this generation is retired
	mu      sync.RWMutex
	slots   []handleSlot[T]
	free    []uint32
	live    int
	retired int

	// lookup is read by get without mu: every C call looks its handle up,
	// and a read lock taken by threads calling at once made them queue
	// for its cache line.
	lookup []atomic.Pointer[handleEntry[T]] // maxHandles long
}

func newHandleTable[T any](kind uint32) *handleTable[T] {
	return &handleTable[T]{kind: kind, lastGen: handleGenMask, lookup: make([]atomic.Pointer[handleEntry[T]], maxHandles)}
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
		if len(t.slots) >= maxHandles {
			return 0, false
		}
		idx = uint32(len(t.slots))
		t.slots = append(t.slots, handleSlot[T]{gen: 1})
	}
	s := &t.slots[idx]
	s.live, s.val = true, v
	t.live++
	t.lookup[idx].Store(&handleEntry[T]{gen: s.gen, val: v})
	return t.id(idx, s.gen), true
}

func (t *handleTable[T]) id(idx uint32, gen uint64) uintptr {
	return uintptr(t.kind)<<handleKindBit | uintptr(gen)<<handleSlotBits | uintptr(idx)
}

// slot returns the index of id's slot if id names a live object.
func (t *handleTable[T]) slot(id uintptr) (uint32, bool) {
	if id>>handleKindBit != uintptr(t.kind) { // also rejects any bit above the kind
		return 0, false
	}
	idx := uint32(id & handleSlotMask)
	gen := uint64(id>>handleSlotBits) & handleGenMask
	if int(idx) >= len(t.slots) || !t.slots[idx].live || t.slots[idx].gen != gen {
		return 0, false
	}
	return idx, true
}

// get returns the object id names.
func (t *handleTable[T]) get(id uintptr) (v T, ok bool) {
	if id>>handleKindBit != uintptr(t.kind) { // also rejects any bit above the kind
		return v, false
	}
	e := t.lookup[id&handleSlotMask].Load()
	if e == nil || e.gen != uint64(id>>handleSlotBits)&handleGenMask {
		return v, false
	}
	return e.val, true
}

// remove releases id and returns what it named; later uses of id fail.
func (t *handleTable[T]) remove(id uintptr) (v T, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	idx, ok := t.slot(id)
	if !ok {
		return v, false
	}
	s := &t.slots[idx]
	v = s.val
	var zero T
	s.live, s.val = false, zero
	t.live--
	t.lookup[idx].Store(nil)
	if s.gen == t.lastGen {
		t.retired++ // wrapping would make old ids valid again
		return v, true
	}
	s.gen++
	t.free = append(t.free, idx)
	return v, true
}

// len is the number of live objects.
func (t *handleTable[T]) len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.live
}

// limit says why add failed: what objects (e.g. "engines") are alive, or
// that the kind's ids are used up.
func (t *handleTable[T]) limit(what string) string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.retired > 0 {
		return fmt.Sprintf("%d %s are alive and %d slots have used every id they had", t.live, what, t.retired)
	}
	return fmt.Sprintf("%d %s are alive", t.live, what)
}
