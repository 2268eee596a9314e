// Package marsd is the reference server: a real Mars long-link and short-link
// server on loopback for users and every test tier. It is a library first;
// cmd/marsd is a thin main over it, and Go tests start it in-process:
//
//	srv := marsd.New(marsd.Config{ClientVersion: 200})
//	if err := srv.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil { ... }
//	defer srv.Close()
//	// dial srv.LongAddr(), POST to http://srv.ShortAddr()/any/path
//
// # Long link
//
// Packets use the Mars 20-byte header (wire) with
// Config.ClientVersion; a packet with another version, a
// head_length below 20 or one larger than Config.MaxPacket (16 MiB by
// default) closes the connection. The stream is properly reassembled: packets
// may arrive split over many reads or several in one read. Answers leave each
// connection in request order; a delayed answer holds back later ones on
// that connection.
//
// By default every request is answered with the same cmdid, the same seq and
// the same body. Heartbeats (cmdid 6) are answered with cmdid 6 and the
// request's seq (0xFFFFFFFF), empty body. An identify request (seq
// 0xFFFFFFFE) is answered like any request: same cmdid, seq and body.
//
// Request cmdids with a special meaning (an answer, where one is sent,
// echoes the request's cmdid, seq and body):
//
//	10001  PushCmdID: the cmdid of every push the server sends (seq 0).
//	       As a request it is echoed like any other.
//	10002  push-echo: answer, then push the body (cmdid 10001, seq 0) to the
//	       same connection.
//	10003  push-all: answer, then push the body to every open connection.
//	10004  silence: never answered.
//	10005  close: the server closes the connection without answering.
//	10006  wrong version: the answer carries client_version + 1.
//	10007  oversize: the answer's header announces head+body > 1 MiB.
//	10008  trickle: the answer is written one byte at a time, 5 ms apart.
//	10009  partial: the answer's header announces 100 more body bytes than
//	       are sent; the rest never comes.
//	10010  long header: the answer has head_length 28 (8 extension bytes
//	       0xEE before the body).
//	11000-11999  delay: answered after (cmdid-11000) x 100 ms.
//
// Signalling keeper datagrams (UDP, 20 bytes, cmdid 243, seq 0) sent
// to the long-link address are received on a UDP socket bound to the same
// port, counted in Stats.Signals and reported to Config.OnPacket with
// connection id 0; they are never answered.
//
// # Short link
//
// An HTTP/1.1 server (net/http, keep-alive as net/http does it). Any request
// outside /_marsd/ is answered 200 with its body echoed, Content-Type
// application/octet-stream and Content-Length. A request carrying
// "Connection: Keep-Alive" (Mars's opt-in) is answered with
// "Connection: keep-alive" and "Keep-Alive: timeout=5", and the connection
// is kept; otherwise net/http's defaults apply. The query parameters
// marsd_status=N, marsd_delay=D and marsd_silent=1 on a request script that
// request only.
//
// # Behaviour scripting
//
// A [Behavior] applies to every later request on both sides until changed:
// Go: [Server.SetBehavior]; command line: the behaviour flags of cmd/marsd;
// HTTP: POST /_marsd/behavior with query or form fields (missing fields reset
// to zero, so an empty POST restores normal service):
//
//	delay=200ms      wait before each answer (long and short link)
//	silent=1         read requests, answer nothing (long: also heartbeats)
//	ignore_noop=1    answer requests but not heartbeats
//	close_after=N    close a long-link connection once N bytes were written
//	                 to it (the last answer is cut at that byte)
//	trickle=1ms      write long-link answers one byte at a time, this gap
//	wrong_version=1  long-link answers carry client_version + 1
//	oversize=1       long-link answers announce more than 1 MiB
//	status=500       short-link answers use this HTTP status
//	one_per_read=1   parse only the first long-link packet each read
//	                 completes and drop the rest of that read (a server
//	                 that takes a read for a packet, like Mars's Java
//	                 sample); counted in Stats.DroppedBytes
//
// Other admin endpoints on the short-link listener:
//
//	POST /_marsd/push?cmdid=N[&conn=ID]  push the request body (seq 0) to all
//	                                     connections, or to connection ID;
//	                                     cmdid defaults to 10001. Answers
//	                                     {"delivered":n}.
//	POST /_marsd/flood?seconds=S[&cmdid=N]
//	                                     push the request body to every
//	                                     connection back to back for S seconds
//	                                     (default 1, at most 600), as fast as
//	                                     each socket takes them; answers
//	                                     {"pushed":n} when it is over.
//	POST /_marsd/close                   close every long-link connection;
//	                                     answers {"closed":n}.
//	GET  /_marsd/stats                   Stats as JSON.
//	GET  /_marsd/conns                   open connections as JSON.
//	GET  /_marsd/behavior                the current behaviour in the query
//	                                     form: {"behavior":"delay=1s"}.
package marsd
