package decode_test

import (
	"bytes"
	"fmt"
	"os"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/decode"
)

// Write one async block with an HPKE key the way the logger does, then
// decode it with the private key.
func Example() {
	priv, pub, err := crypt.GenerateHPKEKey()
	if err != nil {
		panic(err)
	}
	b, err := block.NewBuilder(block.Options{Compression: block.LZ4, PublicKey: pub})
	if err != nil {
		panic(err)
	}
	buf := make([]byte, 0, 150<<10) // the logger's (mmap) buffer
	buf, err = b.Start(buf, 1, 12)
	if err != nil {
		panic(err)
	}
	for _, line := range []string{"first line\n", "second line\n"} {
		if buf, err = b.AppendLine(buf, []byte(line)); err != nil {
			panic(err) // block.ErrFull: Finish this block and start another
		}
	}
	file := b.Finish(buf, 12)

	st, err := decode.Decode(os.Stdout, bytes.NewReader(file), decode.Options{
		Keys:    crypt.PrivateKeys{HPKE: priv},
		OnEvent: func(e decode.Event) { fmt.Println("problem:", e) },
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(st.Blocks, "block,", st.Problems, "problems")
	// Output:
	// first line
	// second line
	// 1 block, 0 problems
}
