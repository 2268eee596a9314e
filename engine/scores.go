package engine

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/mars-go/mars/engine/internal/dial"
	"github.com/mars-go/mars/engine/internal/ipsort"
)

// IP scoring and the measured connect times behind the adaptive
// stagger, both per network label and kept under Config.AppFilePath.

// rttFile holds the connect-time estimates per network label.
const rttFile = "host/connectrtt.json"

// networkName is the label of a network the host did not name.
func networkName(n NetworkType) string {
	switch n {
	case NetworkMobile:
		return "mobile"
	case NetworkNone:
		return "none"
	}
	return "wifi"
}

// initScores loads what AppFilePath holds; a broken file is logged and
// ignored (the history only orders candidates).
func (o *owner) initScores() {
	o.label = o.e.cfg.NetworkLabel
	if o.label == "" {
		o.label = networkName(o.e.cfg.Network)
	}
	o.scores = ipsort.New(o.label, 0)
	o.rtt = map[string]dial.AttemptDelay{}
	dir := o.e.cfg.AppFilePath
	if dir == "" {
		return
	}
	if err := o.scores.Load(dir, time.Now()); err != nil {
		o.logf(LogWarn, "ip history: %v (starting empty)", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, rttFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		o.logf(LogWarn, "connect times: %v", err)
	}
	if err == nil {
		if err := json.Unmarshal(b, &o.rtt); err != nil {
			o.logf(LogWarn, "connect times: %v (starting empty)", err)
			o.rtt = map[string]dial.AttemptDelay{}
		}
	}
}

// saveScores hands the history and connect times to the state-file writer;
// failures are logged.
func (o *owner) saveScores() {
	dir := o.e.cfg.AppFilePath
	if dir == "" {
		return
	}
	b, err := o.scores.Encode(time.Now())
	if err != nil {
		o.logf(LogWarn, "ip history not saved: %v", err)
		return
	}
	o.e.files.put(filepath.Join(dir, ipsort.FileName), b)
	if b, err = json.Marshal(o.rtt); err != nil {
		o.logf(LogWarn, "connect times not saved: %v", err)
		return
	}
	o.e.files.put(filepath.Join(dir, rttFile), b)
}

// resetScores is Mars's ClearCache on network change and RedoTasks: save,
// then rebuild from the history of label (nothing banned afterwards).
func (o *owner) resetScores(label string) {
	o.saveScores()
	if label != "" {
		o.label = label
	}
	now := time.Now()
	o.scores.Reset(o.label, now)
	for _, ll := range o.linkList {
		if ll.scores != o.scores {
			ll.scores.Reset(o.label, now)
		}
	}
}

// netReport tells the host about a network event of ll
// (OnLongLinkNetworkError for the main link, LongLinkReporter for every
// link) and scores the address in the link's IP history. Like Mars it skips
// dial, HTTP, server and local errors; unlike Mars it also
// skips what the engine or the user did on purpose: a cancel or a
// network change is not the address's fault.
func (ll *longLink) netReport(typ ErrType, code int, a Address) {
	o, cb, name, isMain := ll.o, ll.o.cb, ll.name, ll.isMain()
	r, named := cb.(LongLinkReporter)
	o.toHost(func() {
		if isMain {
			cb.OnLongLinkNetworkError(typ, code, a.IP, a.Port)
		}
		if named {
			r.OnLongLinkNetworkErrorOf(name, typ, code, a.IP, a.Port)
		}
	})
	if isMain {
		o.netCheckLong(typ, code)
	}
	switch {
	case a.IP == "" || a.Port == 0 || o.network == NetworkNone:
		return
	case typ == EctDial || typ == EctHttp || typ == EctServer || typ == EctLocal || typ == EctCanceld:
		return
	case code == EctSocketNetworkChange || code == EctSocketUserBreak || isProxyCode(code):
		return
	}
	ll.scores.Update(ipsort.Item{IP: a.IP, Port: a.Port}, typ == EctOK, time.Now())
}
