package marsd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mars-go/mars/wire"
)

func TestShortEcho(t *testing.T) {
	s := start(t, Config{})
	hc := httpClient(t, waitTimeout)
	resp, body := post(t, hc, "http://"+s.ShortAddr()+"/mars/hello2", []byte("ping"))
	if resp.StatusCode != 200 || string(body) != "ping" || resp.ContentLength != 4 {
		t.Fatalf("status %d body %q length %d", resp.StatusCode, body, resp.ContentLength)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/octet-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	if st := s.Stats(); st.ShortRequests != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestShortStatusScripted(t *testing.T) {
	s := start(t, Config{})
	hc := httpClient(t, waitTimeout)
	base := "http://" + s.ShortAddr()
	if resp, body := post(t, hc, base+"/x?marsd_status=503", []byte("b")); resp.StatusCode != 503 || string(body) != "b" {
		t.Fatalf("per-request status %d %q", resp.StatusCode, body)
	}
	if resp, _ := post(t, hc, base+"/x?marsd_status=abc", nil); resp.StatusCode != 400 {
		t.Fatalf("bad per-request status answered %d", resp.StatusCode)
	}
	s.SetBehavior(Behavior{Status: 500})
	if resp, _ := post(t, hc, base+"/x", nil); resp.StatusCode != 500 {
		t.Fatalf("server-wide status %d", resp.StatusCode)
	}
}

func TestShortDelay(t *testing.T) {
	s := start(t, Config{})
	hc := httpClient(t, waitTimeout)
	begin := time.Now()
	resp, _ := post(t, hc, "http://"+s.ShortAddr()+"/x?marsd_delay=120ms", []byte("d"))
	if d := time.Since(begin); resp.StatusCode != 200 || d < 120*time.Millisecond {
		t.Fatalf("status %d after %v", resp.StatusCode, d)
	}
}

func TestShortSilentClientTimesOut(t *testing.T) {
	s := start(t, Config{})
	hc := httpClient(t, shortWait)
	_, err := hc.Post("http://"+s.ShortAddr()+"/x?marsd_silent=1", "application/octet-stream", strings.NewReader("q"))
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("silent request: err %v, want a client timeout", err)
	}
}

func TestShortSilentAbortedOnClose(t *testing.T) {
	held := make(chan struct{}, 1)
	s := New(Config{ClientVersion: testVersion, Behavior: Behavior{Silent: true},
		OnShortRequest: func(*http.Request, []byte) { held <- struct{}{} }})
	if err := s.Start("", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	if s.LongAddr() != "" {
		t.Fatalf("long link on although disabled: %q", s.LongAddr())
	}
	hc := httpClient(t, waitTimeout)
	errc := make(chan error, 1)
	go func() {
		resp, err := hc.Post("http://"+s.ShortAddr()+"/x", "text/plain", strings.NewReader("q"))
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	select { // wait until the server holds the request, then close it
	case <-held:
	case <-time.After(waitTimeout):
		t.Fatal("request never reached the server")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err == nil {
		t.Fatal("silent request got an answer")
	}
}

func TestAdminEndpoints(t *testing.T) {
	hook, handled := packets()
	s := start(t, Config{OnPacket: hook})
	hc := httpClient(t, waitTimeout)
	base := "http://" + s.ShortAddr() + "/_marsd/"
	c := client(t, s)
	c.Send(wire.Packet{CmdID: 1, Seq: 1})
	awaitHandled(t, handled, 1)
	c.WantPacket(1)

	// behaviour: set by query, read back, reset by an empty POST.
	resp, body := post(t, hc, base+"behavior?delay=200ms&silent=1&status=502", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "delay=200ms") {
		t.Fatalf("behavior: %d %s", resp.StatusCode, body)
	}
	if b := s.Behavior(); b.Delay != 200*time.Millisecond || !b.Silent || b.Status != 502 {
		t.Fatalf("Behavior = %+v", b)
	}
	if resp, body := post(t, hc, base+"behavior?bogus=1", nil); resp.StatusCode != 400 {
		t.Fatalf("unknown field answered %d %s", resp.StatusCode, body)
	}
	post(t, hc, base+"behavior", nil)
	if b := s.Behavior(); b != (Behavior{}) {
		t.Fatalf("Behavior after reset = %+v", b)
	}

	// push to all, to one, to a missing connection.
	if _, body := post(t, hc, base+"push?cmdid=321", []byte("p")); !strings.Contains(string(body), `"delivered":1`) {
		t.Fatalf("push: %s", body)
	}
	if got := c.WantPacket(321); got.Seq != 0 || string(got.Body) != "p" {
		t.Fatalf("admin push %v", got)
	}
	id := s.Conns()[0].ID
	post(t, hc, base+"push?conn="+strconv.FormatUint(id, 10), []byte("q"))
	if got := c.WantPacket(PushCmdID); string(got.Body) != "q" {
		t.Fatalf("admin push to one %v", got)
	}
	if resp, _ := post(t, hc, base+"push?conn=999", nil); resp.StatusCode != 404 {
		t.Fatalf("push to a missing conn answered %d", resp.StatusCode)
	}

	// stats and conns as JSON.
	var st Stats
	getJSON(t, hc, base+"stats", &st)
	if st.Accepted != 1 || st.Requests != 1 || st.Pushes != 2 {
		t.Fatalf("stats %+v", st)
	}
	var conns []ConnInfo
	getJSON(t, hc, base+"conns", &conns)
	if len(conns) != 1 || conns[0].ID != id {
		t.Fatalf("conns %+v", conns)
	}
	if resp, _ := post(t, hc, base+"stats", nil); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST stats answered %d", resp.StatusCode)
	}
	if resp, _ := post(t, hc, base+"nothing", nil); resp.StatusCode != 404 {
		t.Fatalf("unknown endpoint answered %d", resp.StatusCode)
	}

	// close every long-link connection.
	if _, body := post(t, hc, base+"close", nil); !strings.Contains(string(body), `"closed":1`) {
		t.Fatalf("close: %s", body)
	}
	c.WantClosed()
}

func getJSON(t *testing.T, hc *http.Client, url string, v any) {
	t.Helper()
	resp, err := hc.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// TestShortKeepAliveForMarsClients pins what Mars's clients need: an explicit
// keep-alive answer with a timeout, and the connection reused.
func TestShortKeepAliveForMarsClients(t *testing.T) {
	s := start(t, Config{})
	conn, err := net.Dial("tcp", s.ShortAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	for i := range 2 {
		req, _ := wire.AppendShortRequest(nil, wire.ShortRequest{URL: "/mars/hello", Host: "localhost",
			Body: []byte("k"), Headers: []wire.Header{{Name: "Connection", Value: "Keep-Alive"}}})
		write(t, conn, req)
		_ = conn.SetReadDeadline(time.Now().Add(waitTimeout))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != "k" || resp.Header.Get("Connection") != "keep-alive" ||
			resp.Header.Get("Keep-Alive") != "timeout=5" || resp.ContentLength != 1 {
			t.Fatalf("request %d: %d %q headers %v", i, resp.StatusCode, body, resp.Header)
		}
	}
	if st := s.Stats(); st.ShortConns != 1 || st.ShortRequests != 2 {
		t.Fatalf("stats %+v", st)
	}
}

// TestShortMarsCloseRequest checks a request with Mars's default
// "Connection: close" gets its answer and then the close.
func TestShortMarsCloseRequest(t *testing.T) {
	s := start(t, Config{})
	conn, err := net.Dial("tcp", s.ShortAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req, _ := wire.AppendShortRequest(nil, wire.ShortRequest{URL: "/mars/hello", Host: "localhost", Body: []byte("c")})
	write(t, conn, req)
	_ = conn.SetReadDeadline(time.Now().Add(waitTimeout))
	raw, err := io.ReadAll(conn)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "c" || resp.ContentLength != 1 {
		t.Fatalf("%d %q", resp.StatusCode, body)
	}
}
