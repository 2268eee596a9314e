package marsd

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// adminEndpoint is one /_marsd/ endpoint: the method it takes ("" = any)
// and its handler.
type adminEndpoint struct {
	method string
	serve  http.HandlerFunc
}

// serveAdmin handles the /_marsd/ endpoints documented in the package doc.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	endpoints := map[string]adminEndpoint{
		"behavior": {"", s.adminBehavior},
		"push":     {http.MethodPost, s.adminPush},
		"flood":    {http.MethodPost, s.adminFlood},
		"close": {http.MethodPost, func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, map[string]int{"closed": s.CloseConns()})
		}},
		"stats": {http.MethodGet, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, s.Stats()) }},
		"conns": {http.MethodGet, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, s.Conns()) }},
	}
	e, ok := endpoints[strings.TrimPrefix(r.URL.Path, adminPrefix)]
	switch {
	case !ok:
		http.Error(w, "marsd: unknown admin endpoint", http.StatusNotFound)
	case e.method != "" && r.Method != e.method:
		http.Error(w, "marsd: use "+e.method, http.StatusMethodNotAllowed)
	default:
		e.serve(w, r)
	}
}

func (s *Server) adminBehavior(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		b, err := ParseBehavior(r.Form)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.SetBehavior(b)
	}
	writeJSON(w, map[string]string{"behavior": s.Behavior().String()})
}

func (s *Server) adminPush(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cmd := uint64(PushCmdID)
	var err error
	if v := q.Get("cmdid"); v != "" {
		if cmd, err = strconv.ParseUint(v, 10, 32); err != nil {
			http.Error(w, "marsd: bad cmdid: "+err.Error(), http.StatusBadRequest)
			return
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(s.cfg.MaxPacket)))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	delivered := 0
	if v := q.Get("conn"); v != "" {
		id, perr := strconv.ParseUint(v, 10, 64)
		if perr != nil {
			http.Error(w, "marsd: bad conn: "+perr.Error(), http.StatusBadRequest)
			return
		}
		if err := s.PushTo(id, uint32(cmd), body); errors.Is(err, ErrNoConn) {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		delivered = 1
	} else {
		delivered = s.Push(uint32(cmd), body)
	}
	writeJSON(w, map[string]int{"delivered": delivered})
}

// adminFlood runs Flood with the request body for ?seconds=S (default 1)
// and answers when it is over.
func (s *Server) adminFlood(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cmd, secs := uint64(PushCmdID), 1.0
	var err error
	if v := q.Get("cmdid"); v != "" {
		if cmd, err = strconv.ParseUint(v, 10, 32); err != nil {
			http.Error(w, "marsd: bad cmdid: "+err.Error(), http.StatusBadRequest)
			return
		}
	}
	if v := q.Get("seconds"); v != "" {
		if secs, err = strconv.ParseFloat(v, 64); err != nil || secs <= 0 || secs > MaxFlood.Seconds() {
			http.Error(w, "marsd: seconds must be in (0, 600]", http.StatusBadRequest)
			return
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(s.cfg.MaxPacket)))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	n := s.Flood(uint32(cmd), body, time.Duration(secs*float64(time.Second)))
	writeJSON(w, map[string]int{"pushed": n})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v) // a client gone mid-answer is its business
}
