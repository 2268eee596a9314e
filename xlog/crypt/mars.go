package crypt

import (
	"encoding/hex"
	"errors"
	"fmt"
)

// Sizes of Mars keys in their printed (hex) form (gen_key.py).
const (
	MarsPublicKeyHexLen  = 128 // X‖Y, 32+32 bytes big-endian
	MarsPrivateKeyHexLen = 64
	marsPointSize        = 64
)

// ErrBadKey is wrapped by every key parsing failure.
var ErrBadKey = errors.New("crypt: bad key")

// MarsSession is the writer side of one appender open: an ephemeral client
// key agreed with the server key (one ECDH per open, as Mars does).
type MarsSession struct {
	// ClientKey is the raw X‖Y client public key every block header carries.
	ClientKey [marsPointSize]byte
	// Cipher is TEA keyed with the first 16 bytes of the shared X.
	Cipher TEA
}

// ParseMarsPublicKey parses the 128-hex-char X‖Y form the config takes.
func ParseMarsPublicKey(s string) (*MarsPublicKey, error) {
	if len(s) != MarsPublicKeyHexLen {
		return nil, fmt.Errorf("%w: mars public key needs %d hex chars, got %d", ErrBadKey, MarsPublicKeyHexLen, len(s))
	}
	raw, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	return parsePoint(raw)
}

// parsePoint turns a raw 64-byte X‖Y into a curve point, rejecting points
// off the curve.
func parsePoint(xy []byte) (*MarsPublicKey, error) {
	pub, ok := marsPoint(xy)
	if !ok {
		return nil, fmt.Errorf("%w: not a secp256k1 point", ErrBadKey)
	}
	return pub, nil
}

// ParseMarsPrivateKey parses the 64-hex-char private key.
func ParseMarsPrivateKey(s string) (*MarsPrivateKey, error) {
	if len(s) != MarsPrivateKeyHexLen {
		return nil, fmt.Errorf("%w: mars private key needs %d hex chars, got %d", ErrBadKey, MarsPrivateKeyHexLen, len(s))
	}
	raw, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	d := scalarFromBytes(raw) // as decred's PrivKeyFromBytes did: a key >= n wraps
	if d == (scalar{}) {
		return nil, fmt.Errorf("%w: zero private key", ErrBadKey)
	}
	return &MarsPrivateKey{d}, nil
}

// NewMarsSession makes an ephemeral client key and agrees a TEA key with
// the server's public key.
func NewMarsSession(server *MarsPublicKey) (*MarsSession, error) {
	client, err := newMarsPrivateKey()
	if err != nil {
		return nil, err
	}
	s := &MarsSession{Cipher: teaFromShared(client.sharedX(server))}
	copy(s.ClientKey[:], client.public().bytes())
	return s, nil
}

// MarsReaderCipher is the decoder side: TEA from the server private key and
// the client key found in a block header.
func MarsReaderCipher(server *MarsPrivateKey, clientKey []byte) (TEA, error) {
	pub, err := parsePoint(clientKey)
	if err != nil {
		return TEA{}, err
	}
	return teaFromShared(server.sharedX(pub)), nil
}

// teaFromShared keys TEA with the first 16 bytes of the shared X coordinate.
func teaFromShared(x []byte) TEA {
	var k [TEAKeySize]byte
	copy(k[:], x)
	return NewTEA(k)
}

// GenerateMarsKey makes a server key pair in printed form: private key as
// 64 hex chars, public key as the 128 hex chars the appender config takes.
func GenerateMarsKey() (priv, pub string, err error) {
	k, err := newMarsPrivateKey()
	if err != nil {
		return "", "", err
	}
	return hex.EncodeToString(k.bytes()), hex.EncodeToString(k.public().bytes()), nil
}
