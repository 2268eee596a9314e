package prefixconn

import (
	"io"
	"net"
	"testing"
)

func TestReadsTheRestThenTheConnection(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	go func() {
		_, _ = server.Write([]byte(" world"))
		_ = server.Close()
	}()
	c := New(client, []byte("hello"))
	b := make([]byte, 3)
	if n, err := c.Read(b); n != 3 || err != nil || string(b) != "hel" {
		t.Fatalf("first read %q, %v", b[:n], err)
	}
	all, err := io.ReadAll(c)
	if err != nil || string(all) != "lo world" {
		t.Fatalf("then %q, %v; want the rest and the connection's bytes", all, err)
	}
}

func TestNothingInFrontIsTheConnectionItself(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	defer server.Close()
	if c := New(client, nil); c != client {
		t.Fatalf("New with no bytes wrapped the connection: %T", c)
	}
}
