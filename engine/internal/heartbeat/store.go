package heartbeat

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FileName is the store's file under the app's file directory, as Mars
// names it.
const FileName = "Heartbeat.ini"

// MaxRecords bounds the store; the least recently modified record goes
// first (Mars keeps ≤ 20 sections).
const MaxRecords = 20

// Store is the set of records by network label, in Mars's INI shape: one
// section per label (quoted), keys modifyTime (Unix seconds), curHeart and
// provenHeart (ms), phase, successHeartCount and failHeartCount.
type Store map[string]Record

// Put stores rec, evicting the least recently modified records beyond
// MaxRecords.
func (s Store) Put(rec Record) {
	s[rec.Label] = rec
	for len(s) > MaxRecords {
		oldest := ""
		first := true
		for label, r := range s {
			if first || r.Modified.Before(s[oldest].Modified) ||
				(r.Modified.Equal(s[oldest].Modified) && label < oldest) {
				oldest, first = label, false
			}
		}
		delete(s, oldest)
	}
}

// Marshal encodes the store, labels sorted.
func (s Store) Marshal() []byte {
	var b bytes.Buffer
	for _, label := range slices.Sorted(maps.Keys(s)) {
		r := s[label]
		fmt.Fprintf(&b, "[%s]\n", strconv.Quote(label))
		fmt.Fprintf(&b, "modifyTime=%d\n", max(r.Modified.Unix(), 0))
		fmt.Fprintf(&b, "curHeart=%d\n", r.Interval.Milliseconds())
		fmt.Fprintf(&b, "provenHeart=%d\n", r.Proven.Milliseconds())
		fmt.Fprintf(&b, "phase=%d\n", r.Phase)
		fmt.Fprintf(&b, "successHeartCount=%d\n", r.Successes)
		fmt.Fprintf(&b, "failHeartCount=%d\n", r.Failures)
	}
	return b.Bytes()
}

// Parse decodes a store written by Marshal. Unknown keys, comments and
// blank lines are skipped; a malformed line is an error, and so is a value
// out of range. The result never holds more than MaxRecords records.
func Parse(data []byte) (Store, error) {
	s := Store{}
	var cur *Record
	flush := func() {
		if cur != nil {
			s.Put(*cur)
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == ';' || line[0] == '#':
			continue
		case line[0] == '[':
			if len(line) < 2 || line[len(line)-1] != ']' {
				return nil, fmt.Errorf("heartbeat: line %d: bad section", n)
			}
			label, err := strconv.Unquote(line[1 : len(line)-1])
			if err != nil {
				return nil, fmt.Errorf("heartbeat: line %d: bad label: %w", n, err)
			}
			flush()
			cur = &Record{Label: label, Modified: time.Unix(0, 0)}
		default:
			if cur == nil {
				return nil, fmt.Errorf("heartbeat: line %d: key outside a section", n)
			}
			if err := setKey(cur, line); err != nil {
				return nil, fmt.Errorf("heartbeat: line %d: %w", n, err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("heartbeat: %w", err)
	}
	flush()
	return s, nil
}

// maxStoredMillis bounds stored durations (a day), so a corrupt file cannot
// overflow time.Duration.
const maxStoredMillis = 24 * 3600 * 1000

func setKey(r *Record, line string) error {
	key, val, ok := strings.Cut(line, "=")
	if !ok {
		return fmt.Errorf("missing '='")
	}
	v, err := strconv.ParseInt(strings.TrimSpace(val), 10, 64)
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	inRange := func(hi int64) error {
		if v < 0 || v > hi {
			return fmt.Errorf("%s=%d out of range", key, v)
		}
		return nil
	}
	switch strings.TrimSpace(key) {
	case "modifyTime":
		err = inRange(1 << 40)
		r.Modified = time.Unix(v, 0)
	case "curHeart":
		err = inRange(maxStoredMillis)
		r.Interval = time.Duration(v) * time.Millisecond
	case "provenHeart":
		err = inRange(maxStoredMillis)
		r.Proven = time.Duration(v) * time.Millisecond
	case "phase":
		err = inRange(int64(Refining))
		r.Phase = Phase(v)
	case "successHeartCount":
		err = inRange(1 << 20)
		r.Successes = int(v)
	case "failHeartCount":
		err = inRange(1 << 20)
		r.Failures = int(v)
	}
	return err
}
