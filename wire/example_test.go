package wire_test

import (
	"fmt"

	"github.com/mars-go/mars/wire"
)

// Encode two packets, then reassemble them from reads that split them
// anywhere: the way a long-link reader uses the codec.
func Example() {
	codec := wire.NewMars(200)
	var out []byte
	out, _ = codec.Append(out, wire.Packet{CmdID: 7, Seq: 1, Body: []byte("abc")})
	out, _ = codec.Append(out, codec.Noop())
	fmt.Printf("% x\n", out[:23])

	stream := wire.NewStream(codec)
	for _, read := range [][]byte{out[:5], out[5:30], out[30:]} {
		_, _ = stream.Write(read)
		for {
			p, ok, err := stream.Next()
			if err != nil || !ok {
				break
			}
			fmt.Println(p, "noop response:", codec.IsNoopResponse(p))
		}
	}
	// Output:
	// 00 00 00 14 00 00 00 c8 00 00 00 07 00 00 00 01 00 00 00 03 61 62 63
	// packet{cmd=7 seq=0x1 body=3B} noop response: false
	// packet{cmd=6 seq=0xffffffff body=0B} noop response: true
}
