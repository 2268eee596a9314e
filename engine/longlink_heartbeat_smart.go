package engine

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/mars-go/mars/engine/internal/heartbeat"
	"github.com/mars-go/mars/wire"
)

// HeartbeatMode picks how the long link's heartbeat interval is chosen.
type HeartbeatMode int

// Heartbeat modes.
const (
	// HeartbeatFixed sends a noop after Config.HeartbeatInterval of write
	// idleness (210 s by default; negative: none). Mars on desktop.
	HeartbeatFixed HeartbeatMode = 0
	// HeartbeatSmart learns, per network label, the longest interval the
	// network's NAT keeps a quiet connection for: 210 s up to 580 s
	// in +60 s steps, −80 s on failure, persisted in
	// Config.AppFilePath/Heartbeat.ini. As Mars on Android, the learned
	// interval applies only while the process is inactive (10 min after
	// OnForeground(false)); while active the heartbeat stays at 210 s, whose
	// answers still teach the learner when it is probing 210 s.
	HeartbeatSmart HeartbeatMode = 1
	// HeartbeatPassive sends no periodic noop; the host sends one with
	// TrigNoop (Android's trigNooping, e.g. from an alarm it already has).
	HeartbeatPassive HeartbeatMode = 2
)

// SetHeartbeatMode switches the main long link's heartbeat mode; the next
// slot uses it. Other links keep LongLinkConfig.HeartbeatMode.
func (e *Engine) SetHeartbeatMode(mode HeartbeatMode) {
	e.runOnOwner(func(o *owner) {
		if mode < HeartbeatFixed || mode > HeartbeatPassive {
			o.logf(LogError, "heartbeat: unknown mode %d ignored", mode)
			return
		}
		o.main.hbMode = mode
		o.main.rearmHeartbeat()
	})
}

// TrigNoop sends one noop now if the main long link is connected and no
// heartbeat is outstanding; unanswered within NoopTimeout it closes the
// link as any heartbeat does. It is how the host drives HeartbeatPassive,
// and works in every mode.
func (e *Engine) TrigNoop() {
	e.runOnOwner(func(o *owner) {
		if o.main.link == nil || o.main.awaitingAnswer {
			return
		}
		if !o.main.link.SendIfIdle(wire.NoopSeq, o.main.noopPkt) {
			return
		}
		o.main.awaitingAnswer = true
		o.main.hbUsed, o.main.hbSentAt, o.main.hbTrigged = 0, time.Now(), true
		o.main.noopTimer.Reset(o.e.cfg.NoopTimeout)
	})
}

// HeartbeatInterval reports the main long link's periodic heartbeat
// interval in force now: the fixed interval, the smart heartbeat's current
// value (210 s while the process is active or a new connection warms up)
// or 0 when there is no periodic heartbeat. It waits for the owner, like
// HasTask.
func (e *Engine) HeartbeatInterval() time.Duration {
	return askOwner(e, 0, func(o *owner) time.Duration { return max(o.main.heartbeatInterval(), 0) })
}

// heartbeatInterval is the periodic interval in force; ≤ 0 means none.
func (ll *longLink) heartbeatInterval() time.Duration {
	switch ll.hbMode {
	case HeartbeatPassive:
		return 0
	case HeartbeatSmart:
		l := ll.learner()
		if ll.o.active {
			return ll.cfg.SmartHeartbeat.Min // Mars: an active process keeps MinHeartInterval
		}
		return l.Interval()
	}
	return ll.cfg.HeartbeatInterval
}

// heartbeatActiveChanged re-arms a smart heartbeat when the process turns
// active or inactive, since its interval depends on that.
func (o *owner) heartbeatActiveChanged() {
	for _, ll := range o.linkList {
		if ll.hbMode == HeartbeatSmart {
			ll.rearmHeartbeat()
		}
	}
}

// heartbeatConnected starts a connection for the learner (warm-up).
func (ll *longLink) heartbeatConnected() {
	if ll.hbMode == HeartbeatSmart {
		ll.learner().Connected()
	}
}

// heartbeatResult feeds a periodic heartbeat's outcome to the learner and
// the quality estimate; connect-slot and TrigNoop noops teach the learner
// nothing.
func (ll *longLink) heartbeatResult(ok bool, now time.Time) {
	if ok {
		ll.o.pol.quality.RTT(now.Sub(ll.hbSentAt))
		ll.o.checkQuality(now)
	}
	used := ll.hbUsed
	ll.hbUsed = 0
	if used <= 0 || ll.hbMode != HeartbeatSmart {
		return
	}
	l := ll.learner()
	before := l.Interval()
	if l.Result(used, ok, now) {
		ll.o.logf(LogInfo, "smart heartbeat: %q now %v (%s)", l.Record().Label, l.Record().Interval,
			map[bool]string{true: "answered", false: "unanswered"}[ok])
		ll.o.saveHeartbeat(l.Record())
	}
	if ok && l.Interval() != before {
		ll.rearmHeartbeat()
	}
}

// learner returns the learner for the current network label, loading the
// stored record when the label changed.
func (ll *longLink) learner() *heartbeat.Learner {
	label := ll.learnerLabel()
	if l := ll.hbLearner; l != nil && l.Record().Label == label {
		return l
	}
	if l := ll.hbLearner; l != nil {
		ll.o.pol.hbStore.Put(l.Record())
	}
	rec, ok := ll.o.pol.hbStore[label]
	if !ok {
		rec = heartbeat.Record{Label: label}
	}
	ll.hbLearner = heartbeat.New(ll.cfg.SmartHeartbeat.params(), rec, time.Now())
	ll.hbLearner.Connected()
	return ll.hbLearner
}

// heartbeatFile is the store's path, "" when nothing is persisted.
func (o *owner) heartbeatFile() string {
	if o.e.cfg.AppFilePath == "" {
		return ""
	}
	return filepath.Join(o.e.cfg.AppFilePath, heartbeat.FileName)
}

// loadHeartbeatStore reads the store; a missing file is an empty store and
// a corrupt one is logged and replaced.
func (o *owner) loadHeartbeatStore() heartbeat.Store {
	path := o.heartbeatFile()
	if path == "" {
		return heartbeat.Store{}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			o.logf(LogWarn, "smart heartbeat: %v", err)
		}
		return heartbeat.Store{}
	}
	s, err := heartbeat.Parse(data)
	if err != nil {
		o.logf(LogWarn, "smart heartbeat: %s ignored: %v", path, err)
		return heartbeat.Store{}
	}
	return s
}

// saveHeartbeat stores rec and hands the store to the state-file writer
// (which renames over the old file, so a crash leaves the old or the new
// one). Failures are logged there: the learner keeps working in memory.
func (o *owner) saveHeartbeat(rec heartbeat.Record) {
	o.pol.hbStore.Put(rec)
	if path := o.heartbeatFile(); path != "" {
		o.e.files.put(path, o.pol.hbStore.Marshal())
	}
}

// networkLabel names the current network for the learner: the label the
// host gave (Config.NetworkLabel, OnNetworkChange) or the type's name.
func (o *owner) networkLabel() string {
	if o.label != "" {
		return o.label
	}
	return networkName(o.network)
}

// learnerLabel keys the link's learned interval in the heartbeat store:
// the network label for the default link, as before there were several,
// and the label with the link's name for the others, so links that keep
// different NAT paths do not share one record.
func (ll *longLink) learnerLabel() string {
	if ll.name == DefaultChannelName {
		return ll.o.networkLabel()
	}
	return ll.o.networkLabel() + "@" + ll.name
}
