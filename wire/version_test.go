package wire

import (
	"bytes"
	"errors"
	"sync"
	"testing"
)

// TestLiveMarsVersionChangeAppliesToLaterPackets: after SetClientVersion the
// header carries the new version and only the new version parses, as with
// Mars's global client version.
func TestLiveMarsVersionChangeAppliesToLaterPackets(t *testing.T) {
	m := NewLiveMars(testVersion, 0)
	p := Packet{CmdID: 7, Seq: 9, Body: []byte("x")}
	old, _ := m.Append(nil, p)
	if !bytes.Equal(old[:20], hdr(20, testVersion, 7, 9, 1)) {
		t.Fatalf("header % x", old[:20])
	}
	m.SetClientVersion(testVersion + 1)
	if m.ClientVersion() != testVersion+1 {
		t.Fatalf("ClientVersion %d", m.ClientVersion())
	}
	now, _ := m.Append(nil, p)
	if !bytes.Equal(now[:20], hdr(20, testVersion+1, 7, 9, 1)) {
		t.Fatalf("header after the change % x", now[:20])
	}
	if _, _, err := m.Parse(old); !errors.Is(err, ErrVersion) {
		t.Fatalf("old-version packet: %v, want ErrVersion", err)
	}
	if _, ok := m.PeekSeq(old); ok {
		t.Fatal("PeekSeq accepted the old version")
	}
	got, n, err := m.Parse(now)
	if err != nil || n != len(now) || got.Seq != 9 || string(got.Body) != "x" {
		t.Fatalf("Parse = %v, %d, %v", got, n, err)
	}
	if seq, ok := m.PeekSeq(now); !ok || seq != 9 {
		t.Fatalf("PeekSeq = %d, %v", seq, ok)
	}
}

// TestLiveMarsKeepsLimitAndClassification: the receive limit and the
// reserved packets are the Mars header's.
func TestLiveMarsKeepsLimitAndClassification(t *testing.T) {
	m := NewLiveMars(testVersion, 100)
	if _, _, err := m.Parse(hdr(20, testVersion, 1, 1, 81)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("101-byte announcement: %v, want ErrTooLarge", err)
	}
	if !m.IsNoopResponse(m.Noop()) || !m.IsPush(Push(5, nil)) || !m.IsIdentifyResponse(Identify(5, nil)) || m.IsPush(m.Noop()) {
		t.Fatal("classification differs from Mars")
	}
}

// TestLiveMarsConcurrentChange runs under -race: the version may change
// while another goroutine encodes and parses.
func TestLiveMarsConcurrentChange(t *testing.T) {
	m := NewLiveMars(1, 0)
	var wg sync.WaitGroup
	wg.Go(func() {
		for v := range uint32(200) {
			m.SetClientVersion(v)
		}
	})
	for range 200 {
		b, err := m.Append(nil, Packet{CmdID: 1, Seq: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := m.Parse(b); err != nil && !errors.Is(err, ErrVersion) {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

// TestMarsDropsExtension: the Mars header has no room for Mars's extension
// buffer; like Mars's default encoder it writes none and parses none.
func TestMarsDropsExtension(t *testing.T) {
	with, _ := NewMars(testVersion).Append(nil, Packet{CmdID: 1, Seq: 2, Body: []byte("b"), Ext: []byte("ext")})
	without, _ := NewMars(testVersion).Append(nil, Packet{CmdID: 1, Seq: 2, Body: []byte("b")})
	if !bytes.Equal(with, without) {
		t.Fatalf("Ext changed the bytes: % x", with)
	}
	if p, _, err := NewMars(testVersion).Parse(with); err != nil || p.Ext != nil {
		t.Fatalf("Parse = %v (ext %q), %v", p, p.Ext, err)
	}
}
