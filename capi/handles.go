package main

import "sync"

// A handle id names one live object of one kind. Layout of the 32 bits:
//
//	bits 28..31  kind (never 0, so 0 and small integers are never valid)
//	bits 12..27  generation of the slot, bumped on every release
//	bits  0..11  slot index
//
// A released id fails from then on (its generation no longer matches), an id
// of another kind fails (the kind differs), and a forged id fails unless it
// happens to equal a live one.
const (
	handleSlotBits = 12
	handleGenBits  = 16
	handleKindBit  = handleSlotBits + handleGenBits
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
	gen  uint32
	live bool
	val  T
}

// handleTable hands out validated ids for live objects of one kind. It is
// the only package-level state capi keeps (STYLE.md (a)6).
type handleTable[T any] struct {
	kind  uint32
	mu    sync.RWMutex
	slots []handleSlot[T]
	free  []uint32
}

func newHandleTable[T any](kind uint32) *handleTable[T] {
	return &handleTable[T]{kind: kind}
}

// add stores v and returns its id; ok is false when maxHandles are alive.
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
	return t.id(idx, s.gen), true
}

func (t *handleTable[T]) id(idx, gen uint32) uintptr {
	return uintptr(t.kind<<handleKindBit | gen<<handleSlotBits | idx)
}

// slot returns the index of id's slot if id names a live object.
func (t *handleTable[T]) slot(id uintptr) (uint32, bool) {
	if id>>handleKindBit != uintptr(t.kind) { // also rejects any bit above the kind
		return 0, false
	}
	idx := uint32(id & handleSlotMask)
	gen := uint32(id>>handleSlotBits) & handleGenMask
	if int(idx) >= len(t.slots) || !t.slots[idx].live || t.slots[idx].gen != gen {
		return 0, false
	}
	return idx, true
}

// get returns the object id names.
func (t *handleTable[T]) get(id uintptr) (v T, ok bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	idx, ok := t.slot(id)
	if !ok {
		return v, false
	}
	return t.slots[idx].val, true
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
	s.gen = s.gen%handleGenMask + 1 // 1..65535, never 0
	t.free = append(t.free, idx)
	return v, true
}

// len is the number of live objects.
func (t *handleTable[T]) len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.slots) - len(t.free)
}
