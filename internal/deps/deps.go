//go:build tools

// Package deps pins the modules the project chose so that parallel work on the
// packages that use them starts from one go.mod. It is never built.
package deps

import (
	_ "github.com/decred/dcrd/dcrec/secp256k1/v4"
	_ "github.com/klauspost/compress/zstd"
	_ "github.com/pierrec/lz4/v4"
	_ "go.uber.org/goleak"
	_ "golang.org/x/crypto/tea"
	_ "golang.org/x/net/dns/dnsmessage"
	_ "golang.org/x/sys/unix"
	_ "golang.org/x/term"
)
