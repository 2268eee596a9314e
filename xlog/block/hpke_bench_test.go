package block

import (
	"testing"

	"github.com/mars-go/mars/xlog/crypt"
)

func hpkeBenchPub(b *testing.B) string {
	_, pub, err := crypt.GenerateHPKEKey()
	if err != nil {
		b.Fatal(err)
	}
	return pub
}
