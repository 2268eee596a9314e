// Package limit holds the anti-avalanche limits that protect servers from a
// client gone wild: a frequency limit on
// byte-identical requests, a flow limit on mobile bytes, and a generic
// "N events per window" counter. Each type is a pure decision over the
// times it is given; none owns a timer.
package limit

import (
	"hash/adler32"
	"time"
)

// FrequencyParams are the frequency limit's constants (frequency_limit.cc:27-33).
type FrequencyParams struct {
	Records       int           // MAX_RECORD_COUNT: 30 distinct requests tracked
	Intercept     int           // RECORD_INTERCEPT_COUNT: a count above 105 is rejected
	ClearInterval time.Duration // RUN_CLEAR_RECORDS_INTERVAL_MINUTE: purge every 60 min
	KeepRecent    time.Duration // a purge keeps records updated within 10 min…
	KeepCount     int           // …whose count is at least 75…
	KeepCap       int           // …with the count capped at 99
}

// Frequency rejects a request whose bytes were sent too often.
// The key is the adler32 of the encoded request. A new key starts at count
// 1 and each repeat adds one; the request that takes the count above
// Intercept — the 106th identical one — is the first rejected, and so is
// every later one until a purge. When all Records slots are taken the least
// recently updated record makes room. Every ClearInterval the records are
// purged except those updated within KeepRecent with a count of at least
// KeepCount, whose count is capped at KeepCap so they stay near the limit.
type Frequency struct {
	p         FrequencyParams
	recs      []freqRecord
	lastClear time.Time
}

type freqRecord struct {
	key     uint32
	count   int
	updated time.Time
}

// NewFrequency returns an empty frequency limit whose purge clock starts at now.
func NewFrequency(p FrequencyParams, now time.Time) *Frequency {
	return &Frequency{p: p, lastClear: now}
}

// Check counts buf and reports whether it may be sent. since is the time
// since the previous identical request (0 for a new one), Mars's
// ReportTaskLimited parameter.
func (f *Frequency) Check(buf []byte, now time.Time) (ok bool, since time.Duration) {
	if now.Sub(f.lastClear) >= f.p.ClearInterval {
		f.purge(now)
	}
	key := adler32.Checksum(buf)
	for i := range f.recs {
		r := &f.recs[i]
		if r.key != key {
			continue
		}
		since = now.Sub(r.updated)
		r.count++
		r.updated = now
		return r.count <= f.p.Intercept, since
	}
	if len(f.recs) >= f.p.Records {
		f.recs[f.oldest()] = freqRecord{key: key, count: 1, updated: now}
	} else {
		f.recs = append(f.recs, freqRecord{key: key, count: 1, updated: now})
	}
	return true, 0
}

func (f *Frequency) oldest() int {
	o := 0
	for i, r := range f.recs {
		if r.updated.Before(f.recs[o].updated) {
			o = i
		}
	}
	return o
}

func (f *Frequency) purge(now time.Time) {
	f.lastClear = now
	kept := f.recs[:0]
	for _, r := range f.recs {
		if now.Sub(r.updated) <= f.p.KeepRecent && r.count >= f.p.KeepCount {
			r.count = min(r.count, f.p.KeepCap)
			kept = append(kept, r)
		}
	}
	f.recs = kept
}
