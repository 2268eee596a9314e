package linefmt

import (
	"testing"
	"time"
)

func BenchmarkAppendLine(b *testing.B) {
	r := Record{Letter: 'I', Time: time.Now(), Pid: 25038, Tid: 25041, Tag: "bench", File: "bench.cc",
		Func: "worker", Line: 41,
		Message: "t=0 seq=0000000 h=9e3779b1 action=upload_chunk status=ok retry=0 region=ap-south net=wifi the q"}
	buf := make([]byte, 0, 512)
	var f Formatter
	b.ReportAllocs()
	for b.Loop() {
		buf = f.AppendLine(buf[:0], &r)
	}
	b.SetBytes(int64(len(buf)))
}
