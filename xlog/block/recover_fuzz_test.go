package block

import (
	"bytes"
	"testing"

	"github.com/mars-go/mars/xlog/format"
)

// FuzzRecover: whatever a buffer file holds after a crash, Recover never
// panics and, when it says ok, returns one well-formed block that starts
// with the buffer's own header.
func FuzzRecover(f *testing.F) {
	b, err := NewBuilder(Options{})
	if err != nil {
		f.Fatal(err)
	}
	buf, _ := b.Start(make([]byte, 0, 1024), 5, 1)
	buf, _ = b.AppendLine(buf, []byte("line\n"))
	f.Add(bytes.Clone(buf[:cap(buf)]))
	tea, err := NewBuilder(Options{PublicKey: benchTestPub})
	if err != nil {
		f.Fatal(err)
	}
	buf, _ = tea.Start(make([]byte, 0, 1024), 6, 1)
	for i := range 3 {
		buf, _ = tea.AppendLine(buf, testLine(i))
	}
	inProgress, _ := tea.appendUncommitted(buf, testLine(3)) // a crash before the length update
	f.Add(bytes.Clone(inProgress[:cap(inProgress)]))
	f.Add(buf[:format.HeaderSize+2])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		blk, ok := Recover(in)
		if !ok {
			return
		}
		h, err := format.ParseHeader(blk)
		if err != nil {
			t.Fatal(err)
		}
		if int(h.Length)+format.BlockOverhead != len(blk) || blk[len(blk)-1] != format.Tail || h.Length == 0 {
			t.Fatalf("length %d, block %d bytes", h.Length, len(blk))
		}
		same := len(blk) - 1
		if info, _ := h.Magic.Info(); info.Crypt == format.CryptTEA {
			same -= int(h.Length) % 8 // the clear tail may come from the journal
		}
		if !bytes.Equal(blk[:format.OffLength], in[:format.OffLength]) || !bytes.Equal(blk[format.OffKey:same], in[format.OffKey:same]) {
			t.Fatal("recovered block differs from the buffer")
		}
	})
}
