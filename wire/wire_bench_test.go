package wire

import "testing"

func BenchmarkAppend(b *testing.B) {
	c := NewMars(testVersion)
	p := Packet{CmdID: 7, Seq: 1, Body: make([]byte, 100)}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	b.SetBytes(int64(HeaderLen + len(p.Body)))
	for b.Loop() {
		buf, _ = c.Append(buf[:0], p)
	}
}

func BenchmarkParse(b *testing.B) {
	c := NewMars(testVersion)
	in, _ := c.Append(nil, Packet{CmdID: 7, Seq: 1, Body: make([]byte, 100)})
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, _, err := c.Parse(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStream(b *testing.B) {
	c := NewMars(testVersion)
	in, _ := c.Append(nil, Packet{CmdID: 7, Seq: 1, Body: make([]byte, 100)})
	s := NewStream(c)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		_, _ = s.Write(in)
		if _, ok, err := s.Next(); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
