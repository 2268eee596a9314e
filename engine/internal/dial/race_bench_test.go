package dial

import (
	"context"
	"testing"

	"github.com/mars-go/mars/engine/internal/fakenet"
)

// BenchmarkRaceFirstWins is the race's own cost when the first candidate
// connects at once (in-memory network).
func BenchmarkRaceFirstWins(b *testing.B) {
	n := fakenet.NewNetwork()
	l := n.Listen("a:1")
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	addrs := []string{"a:1", "b:1", "c:1"}
	b.ReportAllocs()
	for b.Loop() {
		res := Race(context.Background(), n, "tcp", addrs, mars)
		if res.Conn == nil {
			b.Fatal(res.Err)
		}
		res.Conn.Close()
	}
}
