package engine

import (
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// bothTask is a task that may use either link.
func (r *rig) bothTask() Task {
	tk := NewTask(r.e.GenTaskID(), 7)
	tk.Cgi, tk.ShortLinkHostList = "/mars/both", []string{"short.example.com"}
	return tk
}

// statusCalls lists the OnLongLinkStatusChange calls so far.
func (r *rig) statusCalls() []string {
	return slices.DeleteFunc(r.rec.logged(), func(s string) bool { return !strings.HasPrefix(s, "status ") })
}

func TestDisableLongLinkConfigSendsTasksShortAndNeverConnects(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{DisableLongLink: true})
		// Everything that would connect or use the link in Mars's engine.
		r.e.OnForeground(true)
		r.e.MakesureLonglinkConnected()
		r.e.KeepSignalling()
		r.e.RedoTasks()
		r.e.OnNetworkChange(NetworkWiFi)
		if err := r.e.CreateLongLink(LongLinkConfig{Name: "second", Host: "srv", Ports: []int{1}}); err != nil {
			t.Fatal(err)
		}
		if err := r.e.MakesureNamedLongLinkConnected("second"); err != nil {
			t.Fatal(err)
		}

		both := r.start(r.bothTask())
		c := f.next(t)
		if c.req.TaskID != both.TaskID || c.req.Cgi != "/mars/both" {
			t.Fatalf("short request %+v, want task %d's", c.req, both.TaskID)
		}
		c.sent()
		c.reply([]byte("resp"), nil)
		if got := r.wantEnd(both.TaskID, EctOK, 0); got.prof.Channel != ChannelShort {
			t.Fatalf("ended on channel %d, want the short link", got.prof.Channel)
		}

		long := r.task(7)
		long.ChannelSelect = ChannelLong
		r.start(long)
		r.wantEnd(long.TaskID, EctLocal, EctLocalLongLinkUnAvailable)

		time.Sleep(time.Hour)
		f.wantNone(t)
		r.wantNoEnd()
		if n := r.net.Dials(srvAddr); n != 0 {
			t.Fatalf("%d long-link connects with the long link disabled", n)
		}
		if s := r.statusCalls(); len(s) != 0 {
			t.Fatalf("long-link status changes %v with the long link disabled", s)
		}
		if r.e.LongLinkIsConnected() {
			t.Fatal("LongLinkIsConnected true")
		}
	})
}

func TestDisableLongLinkClosesTheLinkAndMovesItsTasksShort(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		p := r.connect()
		both := r.start(r.bothTask()) // connected: it goes long
		p.WantPacket(7)
		long := r.task(7)
		long.ChannelSelect = ChannelLong
		r.start(long)
		p.WantPacket(7)

		r.e.DisableLongLink()
		p.WantClosed()
		r.wantEnd(long.TaskID, EctLocal, EctLocalLongLinkUnAvailable)
		c := f.next(t)
		if c.req.TaskID != both.TaskID {
			t.Fatalf("short request for task %d, want %d", c.req.TaskID, both.TaskID)
		}
		c.sent()
		c.reply([]byte("resp"), nil)
		r.wantEnd(both.TaskID, EctOK, 0)

		// Nothing brings the link back: not the app coming to the
		// foreground, not a network change, not MakesureLonglinkConnected,
		// not Reset, and not the reconnect timers of the drop.
		statuses := r.statusCalls()
		for _, poke := range []func(){
			func() { r.e.OnForeground(false) },
			func() { r.e.OnForeground(true) },
			func() { r.e.OnNetworkChange(NetworkMobile) },
			r.e.MakesureLonglinkConnected,
			r.e.Reset,
			r.e.DisableLongLink, // twice is once
		} {
			poke()
			time.Sleep(10 * time.Minute)
		}
		if s := r.statusCalls(); !slices.Equal(s, statuses) {
			t.Fatalf("long-link status changes %v after DisableLongLink", s[len(statuses):])
		}
		if n := r.net.Dials(srvAddr); n != 1 {
			t.Fatalf("%d long-link connects, want only the one before DisableLongLink", n)
		}
		r.wantNoEnd()
		f.wantNone(t)
	})
}
