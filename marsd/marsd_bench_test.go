package marsd

import (
	"net"
	"testing"

	"github.com/mars-go/mars/wire"
)

// BenchmarkEchoRoundTrip measures one request/answer over loopback: what a
// test pays per long-link round trip against marsd.
func BenchmarkEchoRoundTrip(b *testing.B) { benchEcho(b, 1) }

// BenchmarkPipelined measures server throughput with 64 requests in flight
// per write: packets/s is the figure to compare.
func BenchmarkPipelined(b *testing.B) { benchEcho(b, 64) }

// benchEcho writes batch echo requests of 100 bytes at once to an
// in-process marsd and reads all the answers back, per iteration.
func benchEcho(b *testing.B, batch int) {
	s := New(Config{ClientVersion: testVersion})
	if err := s.Start("127.0.0.1:0", ""); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	conn, err := net.Dial("tcp", s.LongAddr())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	var req []byte
	for i := range batch {
		req, _ = codec.Append(req, wire.Packet{CmdID: 7, Seq: uint32(i + 1), Body: make([]byte, 100)})
	}
	buf := make([]byte, len(req))
	b.ReportAllocs()
	b.SetBytes(int64(len(req)))
	for b.Loop() {
		if _, err := conn.Write(req); err != nil {
			b.Fatal(err)
		}
		for n := 0; n < len(buf); {
			m, err := conn.Read(buf[n:])
			if err != nil {
				b.Fatal(err)
			}
			n += m
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "packets/s")
}
