package shortlink

import "time"

// Defaults.
const (
	// DefaultPort is the short-link port when none is set (net_source.cc's
	// default cgi debug port, HTTP's).
	DefaultPort = 80
	// DefaultMaxHeaderBytes bounds the response header block (Mars's parser
	// gives up at 128 KiB with -10194).
	DefaultMaxHeaderBytes = 128 << 10
	// DefaultMaxResponse bounds a response body. Mars has no limit; a body
	// past this fails with (5, -10194) rather than exhausting memory.
	DefaultMaxResponse = 16 << 20
	// DefaultIdleTimeout is how long a kept-alive connection waits for the
	// next attempt when the server's Keep-Alive header names no timeout
	// within 1..59 s: Mars's default (http.cc:403-427).
	DefaultIdleTimeout = 5 * time.Second
	// DefaultMaxIdlePerHost caps kept-alive connections per host.
	DefaultMaxIdlePerHost = 32
	// BanInterval: after a reused connection fails, new connections are used
	// for that host for this long (socket_pool.h BAN_INTERVAL, 5 min).
	BanInterval = 5 * time.Minute
)
