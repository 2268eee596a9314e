package engine

import (
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestDefaultConfigSpellsOutMarsNumbers(t *testing.T) {
	c := DefaultConfig()
	for name, c := range map[string]struct{ got, want time.Duration }{
		"HeartbeatInterval": {c.HeartbeatInterval, 210 * time.Second},
		"NoopTimeout":       {c.NoopTimeout, 8 * time.Second},
		"NoopTimeoutLate":   {c.NoopTimeoutLate, 5 * time.Second},
		"ConnectTimeout":    {c.ConnectTimeout, 10 * time.Second},
		"RetryInterval":     {c.RetryInterval, time.Second},
		"NewDnsTimeout":     {c.NewDnsTimeout, 2 * time.Second},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", name, c.got, c.want)
		}
	}
	if c.Network != NetworkWiFi || c.Codec != nil || c.Dialer == nil {
		t.Fatalf("defaults %+v", c)
	}
}

func TestWiFiTakesTheWiFiColumn(t *testing.T) {
	c := Config{}.withDefaults()
	if c.BaseFirstPacketTimeout != 12*time.Second || c.MaxFirstPacketTimeout != 22*time.Second ||
		c.MinRate != 12288 || c.PackageInterval != 8*time.Second || c.TaskDelay != 1500*time.Millisecond {
		t.Fatalf("Wi-Fi column %+v", c)
	}
}

func TestMobileNetworkTakesTheMobileColumn(t *testing.T) {
	c := Config{Network: NetworkMobile}.withDefaults()
	if c.BaseFirstPacketTimeout != 15*time.Second || c.MaxFirstPacketTimeout != 30*time.Second ||
		c.MinRate != 4096 || c.PackageInterval != 12*time.Second || c.TaskDelay != 3*time.Second {
		t.Fatalf("mobile column %+v", c)
	}
	own := Config{Network: NetworkMobile, MinRate: 1000}.withDefaults()
	if own.MinRate != 1000 {
		t.Fatal("an explicit value was replaced by a default")
	}
}

func TestNegativeDurationsAreRejected(t *testing.T) {
	_, err := New(Config{ConnectTimeout: -time.Second, RetryInterval: -1}, nil)
	if err == nil || !strings.Contains(err.Error(), "ConnectTimeout") || !strings.Contains(err.Error(), "RetryInterval") {
		t.Fatalf("New = %v, want both fields named", err)
	}
}

func TestValidateReportsErrorsInFieldOrder(t *testing.T) {
	bad := Config{NoopTimeout: -1, SignallingPeriod: -1, ConnectTimeout: -1, ResolverTimeout: -1,
		RetryInterval: -1, BaseFirstPacketTimeout: -1, TaskDelay: -1, MaxConnecting: -1, MinRate: -1}
	want := []string{"NoopTimeout", "SignallingPeriod", "ConnectTimeout", "ResolverTimeout", "RetryInterval",
		"BaseFirstPacketTimeout", "TaskDelay", "MaxConnecting", "MinRate"}
	for range 20 {
		lines := strings.Split(bad.withDefaults().validate().Error(), "\n")
		if len(lines) != len(want) {
			t.Fatalf("errors %q, want one per field of %v", lines, want)
		}
		for i, name := range want {
			if !strings.Contains(lines[i], "Config."+name+" ") {
				t.Fatalf("error %d is %q, want Config.%s (order %v)", i, lines[i], name, want)
			}
		}
	}
}

type memLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *memLogger) Enabled(level LogLevel) bool { return level >= LogInfo }
func (l *memLogger) Log(_ LogLevel, msg string) {
	l.mu.Lock()
	l.lines = append(l.lines, msg)
	l.mu.Unlock()
}

func TestLoggerReceivesStatusChanges(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		log := &memLogger{}
		r := newRig(t, Config{Logger: log})
		r.connect()
		synctest.Wait()
		log.mu.Lock()
		defer log.mu.Unlock()
		if len(log.lines) == 0 || !strings.Contains(strings.Join(log.lines, "\n"), "connecting -> connected") {
			t.Fatalf("log lines %q", log.lines)
		}
	})
}

func TestTaskErrorIsComparable(t *testing.T) {
	var err error = TaskError{EctLocal, EctLocalReset}
	if err != (TaskError{Type: EctLocal, Code: -9}) || err.Error() != "mars task error (type 9, code -9)" {
		t.Fatalf("TaskError %v", err)
	}
	if (TaskError{}).OK() != true || (TaskError{Type: EctSocket}).OK() {
		t.Fatal("OK")
	}
}

// A DoH URL the engine cannot use securely fails New with a message naming
// the field; plain http passes only with the test-only switch.
func TestDoHURLMustBeHTTPS(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:1/dns-query", "ftp://127.0.0.1/q", "not a url", "https:///q",
		"https://user@127.0.0.1/q", "://x"} {
		if e, err := New(Config{DoHURL: u}, nil); err == nil || !strings.Contains(err.Error(), "DoHURL") {
			if e != nil {
				e.Close()
			}
			t.Errorf("DoHURL %q: New = %v, want it rejected", u, err)
		}
	}
	for _, c := range []Config{{DoHURL: "https://127.0.0.1:1/dns-query"},
		{DoHURL: "http://127.0.0.1:1/dns-query", DoHAllowHTTP: true}} {
		e, err := New(c, nil)
		if err != nil {
			t.Fatalf("%+v: %v", c.DoHURL, err)
		}
		e.Close()
	}
}
