package main

import (
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestBorrowStringAtPageEdges: borrowString reads a string whose NUL is the
// last byte before an unmapped page without touching that page (a fault
// would kill the test), and reads strings across page boundaries whole.
func TestBorrowStringAtPageEdges(t *testing.T) {
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 3*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = syscall.Munmap(mem) }()
	if err := syscall.Mprotect(mem[2*page:], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		at   int
		s    string
	}{
		{"across a page boundary", page - 3, "across the boundary"},
		{"longer than a page", 10, strings.Repeat("x", page+100)},
		{"at a page start", page, "tag"},
	} {
		copy(mem[c.at:], c.s)
		mem[c.at+len(c.s)] = 0
		if got := testBorrowString(unsafe.Pointer(&mem[c.at])); got != c.s {
			t.Errorf("%s: got %d bytes %.20q, want %d bytes", c.name, len(got), got, len(c.s))
		}
	}
	if got := testBorrowString(nil); got != "" {
		t.Errorf("NULL: got %q", got)
	}
	// Every alignment and length, the NUL last before the guard page, with a
	// NUL just before the string and bytes that trip a word-at-a-time scan
	// (0x01, 0x80, 0xff) in it.
	const tricky = "\x01\x80\xffa\x01\x01b\x80\xff\xfe\x7f"
	for n := 0; n <= 40; n++ {
		want := strings.Repeat(tricky, 4)[:n]
		at := 2*page - 1 - n
		mem[at-1] = 0
		copy(mem[at:], want)
		mem[at+n] = 0
		if got := testBorrowString(unsafe.Pointer(&mem[at])); got != want {
			t.Errorf("%d bytes at offset %d in its word: got %q", n, at%8, got)
		}
	}
}

// BenchmarkBorrowString: the four strings of one mars_xlog_write of the
// benchmark workload (tag, file, function, a 100-byte message).
func BenchmarkBorrowString(b *testing.B) {
	strs := []string{"bench", "xlogload.c", "writer", "req=0000012345 " + strings.Repeat("log text ", 9) + "ok"}
	var ptrs []unsafe.Pointer
	for _, s := range strs {
		c := append([]byte(s), 0)
		ptrs = append(ptrs, unsafe.Pointer(&c[0]))
	}
	n := 0
	for b.Loop() {
		for _, p := range ptrs {
			n += len(testBorrowString(p))
		}
	}
	if n == 0 {
		b.Fatal("no bytes")
	}
}
