package timeout

import (
	"testing"
	"time"
)

var wifi = Params{
	BaseFirstPacket: 12 * time.Second,
	MaxFirstPacket:  22 * time.Second,
	MinRate:         12288,
	TaskDelay:       1500 * time.Millisecond,
	MaxQueued:       5,
	MaxRecvLen:      65536,
	ReadWriteBase:   15 * time.Second,
	TaskSlack:       5 * time.Second,
}

var mobile = Params{
	BaseFirstPacket: 15 * time.Second,
	MaxFirstPacket:  30 * time.Second,
	MinRate:         4096,
	TaskDelay:       3 * time.Second,
	MaxQueued:       5,
	MaxRecvLen:      65536,
	ReadWriteBase:   15 * time.Second,
	TaskSlack:       5 * time.Second,
}

func ms(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

func TestTaskTimeoutFollowsMarsFormula(t *testing.T) {
	for _, c := range []struct {
		name    string
		spc     time.Duration
		retries int
		total   time.Duration
		want    time.Duration
	}{
		{"default task is 40 s", -1, 1, -1, ms(40000)},
		{"no retry", -1, 0, 0, ms(20000)},
		{"server cost adds per attempt", ms(30000), 0, 0, ms(50000)},
		{"server cost with retries", ms(1000), 2, 0, ms(63000)},
		{"smaller total caps", -1, 1, ms(5000), ms(5000)},
		{"larger total does not raise", -1, 1, ms(90000), ms(40000)},
		{"30 retries", -1, 30, 0, ms(620000)},
	} {
		if got := Task(wifi, c.spc, c.retries, c.total); got != c.want {
			t.Errorf("%s: Task = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestFirstPacketMatchesReferenceExamples(t *testing.T) {
	for _, c := range []struct {
		name   string
		p      Params
		spc    time.Duration
		len, n int
		want   time.Duration
	}{
		{"100 bytes alone", wifi, -1, 100, 0, ms(12008)},
		{"100 KiB capped at 22 s", wifi, -1, 100 << 10, 0, ms(20333)},
		{"1 MiB hits the cap", wifi, -1, 1 << 20, 0, ms(22000)},
		{"third task in a burst", wifi, -1, 100, 2, ms(15008)},
		{"queue term capped at 5", wifi, -1, 100, 9, ms(19508)},
		{"server cost has no cap", wifi, ms(30000), 100, 0, ms(30008)},
		{"server cost zero uses base", wifi, 0, 100, 0, ms(12008)},
		{"mobile column", mobile, -1, 100, 1, ms(15024 + 3000)},
	} {
		if got := FirstPacket(c.p, c.spc, c.len, c.n); got != c.want {
			t.Errorf("%s: FirstPacket = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestReadWriteAddsMaxRecvLenAtMinRate(t *testing.T) {
	if got := ReadWrite(wifi, ms(12008)); got != ms(17341) {
		t.Errorf("WiFi ReadWrite = %v, want 17.341s", got)
	}
	if got := ReadWrite(mobile, ms(15000)); got != ms(31000) {
		t.Errorf("mobile ReadWrite = %v, want 31s", got)
	}
}
