//go:build !mars_xlog_only

package main

import "testing"

// FuzzTaskConversion: any numbers in a C task either convert or give an
// error, never a panic; a list length with a NULL array is always an error,
// and an out-of-range duration is always an error.
func FuzzTaskConversion(f *testing.F) {
	f.Add(int32(2), int32(3), int32(-1), int64(-1), int64(-1), uint64(0), uint64(0), uint64(0))
	f.Add(int32(0), int32(99), int32(1000), int64(1)<<62, int64(-1)<<62, uint64(1), uint64(0), uint64(0))
	f.Add(int32(7), int32(-5), int32(0), int64(0), int64(600000), uint64(0), uint64(1)<<63, uint64(3))
	f.Fuzz(func(t *testing.T, chsel, prio, retry int32, spc, total int64, nShort, nLong, nHdr uint64) {
		err := testTaskFields(chsel, prio, retry, spc, total, nShort, nLong, nHdr)
		lists := nShort > 0 || nLong > 0 || nHdr > 0
		outOfRange := spc > maxDurationMs || spc < -maxDurationMs || total > maxDurationMs || total < -maxDurationMs
		if (lists || outOfRange) && err == nil {
			t.Fatalf("accepted lists=%v outOfRange=%v", lists, outOfRange)
		}
		if !lists && !outOfRange && err != nil {
			t.Fatalf("rejected a task the engine should judge: %v", err)
		}
	})
}

// FuzzConfigConversion: the same for the engine config's numbers.
func FuzzConfigConversion(f *testing.F) {
	f.Add(int32(1), int64(210000), int64(8000), int64(-1), int32(0), uint64(0))
	f.Add(int32(3), int64(1)<<62, int64(0), int64(0), int32(-1), uint64(65))
	f.Fuzz(func(t *testing.T, network int32, d0, d1, d2 int64, minRate int32, nPorts uint64) {
		err := testConfigFields(network, []int64{d0, d1, d2}, minRate, nPorts)
		netOK := network == 0 || network == 1 || network == 2 || network == -1
		inRange := func(v int64) bool { return v <= maxDurationMs && v >= -maxDurationMs }
		bad := !netOK || !inRange(d0) || !inRange(d1) || !inRange(d2) || nPorts > 0
		if bad && err == nil {
			t.Fatalf("accepted network=%d durations=%d,%d,%d ports=%d", network, d0, d1, d2, nPorts)
		}
		if !bad && err != nil {
			t.Fatalf("rejected a valid config: %v", err)
		}
	})
}
