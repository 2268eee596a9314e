package ipsort

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// FileName is the history file under the app's file directory (Mars keeps
// host/ipportrecords2.xml there; ours is JSON, not Mars's format).
const FileName = "host/ipportrecords.json"

type file struct {
	Version int                           `json:"version"`
	Labels  map[string]map[string]history `json:"labels"`
}

const fileVersion = 1

// Encode is the content of dir/FileName at now: every label's history not
// older than RecordTimeout. The caller writes it (the engine does so off
// its owner goroutine).
func (t *Table) Encode(now time.Time) ([]byte, error) {
	f := file{Version: fileVersion, Labels: map[string]map[string]history{}}
	for l, h := range t.hist {
		for k, e := range h {
			if now.Sub(e.Updated) <= RecordTimeout {
				if f.Labels[l] == nil {
					f.Labels[l] = map[string]history{}
				}
				f.Labels[l][k] = e
			}
		}
	}
	return json.Marshal(f)
}

// Load reads dir/FileName into the history (a missing file is no error)
// and rebuilds the registers of the current label, as Reset does.
func (t *Table) Load(dir string, now time.Time) error {
	b, err := os.ReadFile(filepath.Join(dir, FileName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := t.Decode(b); err != nil {
		return err
	}
	t.Reset(t.label, now)
	return nil
}

// Decode merges a saved history file into the table's history; records
// already in memory win.
func (t *Table) Decode(b []byte) error {
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if f.Version != fileVersion {
		return errors.New("ipsort: unknown history file version")
	}
	for l, h := range f.Labels {
		dst := t.labelHistory(l)
		for k, e := range h {
			if _, ok := dst[k]; !ok {
				dst[k] = e
			}
		}
	}
	return nil
}
