package marsd_test

import (
	"fmt"
	"io"
	"net"

	"github.com/mars-go/mars/marsd"
	"github.com/mars-go/mars/wire"
)

// Start a server in-process, send one request over the long link and read
// the echo and the push that cmdid 10002 asks for.
func Example() {
	srv := marsd.New(marsd.Config{ClientVersion: 200})
	if err := srv.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		panic(err)
	}
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.LongAddr())
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	codec := wire.NewMars(200)
	req, _ := codec.Append(nil, wire.Packet{CmdID: marsd.CmdPushEcho, Seq: 1, Body: []byte("hello")})
	if _, err := conn.Write(req); err != nil {
		panic(err)
	}

	stream := wire.NewStream(codec)
	if _, err := io.CopyN(stream, conn, 2*int64(len(req))); err != nil {
		panic(err)
	}
	for {
		p, ok, err := stream.Next()
		if err != nil || !ok {
			break
		}
		fmt.Printf("cmdid=%d seq=%d body=%s push=%v\n", p.CmdID, p.Seq, p.Body, codec.IsPush(p))
	}
	// Output:
	// cmdid=10002 seq=1 body=hello push=false
	// cmdid=10001 seq=0 body=hello push=true
}
