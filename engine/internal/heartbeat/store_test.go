package heartbeat

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

func TestStoreRoundTrip(t *testing.T) {
	s := Store{}
	s.Put(Record{Label: "wifi \"home\"\n]", Interval: 330 * time.Second, Proven: 270 * time.Second,
		Phase: Refining, Successes: 2, Failures: 1, Modified: time.Unix(1700000000, 0)})
	s.Put(Record{Label: "mobile", Interval: 210 * time.Second, Modified: time.Unix(1700000100, 0)})
	got, err := Parse(s.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, s)
	}
}

func TestStoreEvictsTheOldestBeyondTwenty(t *testing.T) {
	s := Store{}
	for i := range 25 {
		s.Put(Record{Label: fmt.Sprint("net", i), Interval: 210 * time.Second, Modified: time.Unix(int64(1000+i), 0)})
	}
	if len(s) != MaxRecords {
		t.Fatalf("%d records, want %d", len(s), MaxRecords)
	}
	for i := range 5 {
		if _, ok := s[fmt.Sprint("net", i)]; ok {
			t.Fatalf("net%d kept; the five oldest should be gone", i)
		}
	}
}

func TestParseRejectsMalformedInput(t *testing.T) {
	for _, in := range []string{
		"curHeart=1\n",
		"[\"a\"]\ncurHeart\n",
		"[\"a\"]\ncurHeart=x\n",
		"[\"a\"]\ncurHeart=-5\n",
		"[\"a\"]\nphase=9\n",
		"[a]\n",
		"[\"a\"\n",
	} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%q) succeeded", in)
		}
	}
}

func TestParseSkipsCommentsAndUnknownKeys(t *testing.T) {
	s, err := Parse([]byte("; comment\n\n[\"w\"]\nnetType=1\ncurHeart=270000\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s["w"].Interval != 270*time.Second {
		t.Fatalf("got %+v", s["w"])
	}
}

func FuzzParse(f *testing.F) {
	s := Store{}
	s.Put(Record{Label: "wifi", Interval: 330 * time.Second, Proven: 270 * time.Second, Phase: Stable, Modified: time.Unix(1700000000, 0)})
	f.Add(s.Marshal())
	f.Add([]byte("[\"a\"]\ncurHeart=1\n[\"b\"]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			return
		}
		if len(s) > MaxRecords {
			t.Fatalf("%d records", len(s))
		}
		again, err := Parse(s.Marshal())
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if !reflect.DeepEqual(again, s) {
			t.Fatalf("not stable:\n%+v\n%+v", again, s)
		}
	})
}
