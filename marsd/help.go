package marsd

// Help is the protocol summary cmd/marsd prints with -h: the reserved
// cmdids and admin endpoints, the same as the package doc (a test checks
// that both name every reserved cmdid).
const Help = `Long link (Mars 20-byte header, client_version must match):
  every request is answered with the same cmdid, seq and body;
  cmdid 6 (heartbeat) is answered with cmdid 6 and the request's seq;
  seq 0xFFFFFFFE (identify) is answered like any request.
  Answers leave a connection in request order.
  UDP datagrams to the long-link port (signalling keeper, cmdid 243) are
  counted in the stats, never answered.

Request cmdids with a special meaning:
  10001        the cmdid of every push (seq 0); echoed as a request
  10002        push-echo: answer, then push the body to this connection
  10003        push-all: answer, then push the body to every connection
  10004        silence: never answered
  10005        close: the server closes the connection, no answer
  10006        wrong version: answer carries client_version+1
  10007        oversize: answer header announces more than 1 MiB
  10008        trickle: answer written one byte every 5ms
  10009        partial: answer header announces 100 more body bytes than sent
  10010        long header: answer with head_length 28 (8 bytes 0xEE)
  11000-11999  delay: answered after (cmdid-11000) x 100ms

Short link (HTTP): any request outside /_marsd/ is answered 200 with its
  body echoed (Content-Length set); per request: ?marsd_status=N,
  ?marsd_delay=D, ?marsd_silent=1. "Connection: Keep-Alive" in a request
  gets "Connection: keep-alive" and "Keep-Alive: timeout=5" back.

Admin endpoints on the short-link listener:
  POST /_marsd/behavior?FIELDS   set the behaviour (missing fields reset):
       delay=D silent=1 ignore_noop=1 close_after=N trickle=D
       wrong_version=1 oversize=1 status=N one_per_read=1
  GET  /_marsd/behavior          current behaviour
  POST /_marsd/push?cmdid=N[&conn=ID]   push the body (default cmdid 10001)
  POST /_marsd/close             close every long-link connection
  GET  /_marsd/stats             counters as JSON
  GET  /_marsd/conns             open connections as JSON
`
