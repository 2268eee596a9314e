package sdt

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseRequest(t *testing.T) {
	req, err := ParseRequest([]byte(`{"servers":["127.0.0.1:8080"],"http":["http://127.0.0.1/x"],"ping":["::1"],"checks":3,"timeout_ms":1500}`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(req.Servers, []string{"127.0.0.1:8080"}) || !slices.Equal(req.HTTP, []string{"http://127.0.0.1/x"}) ||
		!slices.Equal(req.Ping, []string{"::1"}) || req.Checks != CheckDNS|CheckTCP || req.Timeout != 1500*time.Millisecond {
		t.Errorf("%+v", req)
	}
	if req, err := ParseRequest([]byte(`{"timeout_ms":-1}`)); err != nil || req.Timeout >= 0 {
		t.Errorf("negative timeout: %+v, %v", req, err)
	}
	if req, err := ParseRequest([]byte(`{}`)); err != nil || req.Timeout != 0 || req.Checks != 0 {
		t.Errorf("empty request: %+v, %v", req, err)
	}
	for _, bad := range []string{
		``, `[]`, `{"server":[]}`, `{"checks":64}`, `{"timeout_ms":"1s"}`, `{} {}`,
		`{"timeout_ms":9223372036854775807}`,
		`{"servers":[` + strings.TrimSuffix(strings.Repeat(`"a:1",`, maxRequestTargets+1), ",") + `]}`,
	} {
		if _, err := ParseRequest([]byte(bad)); err == nil {
			t.Errorf("ParseRequest(%.40q) accepted", bad)
		}
	}
}

func FuzzParseRequest(f *testing.F) {
	f.Add([]byte(`{"servers":["127.0.0.1:8080"],"http":["http://127.0.0.1/x"],"ping":["::1"],"checks":3,"timeout_ms":1500}`))
	f.Add([]byte(`{"timeout_ms":-5}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := ParseRequest(b)
		if err != nil {
			return
		}
		if req.Checks&^AllChecks != 0 || len(req.Servers) > maxRequestTargets {
			t.Fatalf("accepted %+v", req)
		}
	})
}
