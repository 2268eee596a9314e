package engine

import (
	"testing"
	"testing/synctest"
	"time"
)

func TestFrequencyLimitRejectsThe106thIdenticalRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, rec := newPolicyRig(t, Config{}, false)
		r.rec.onReq2Buf = func(TaskRef) ([]byte, int, bool) { return []byte("same body"), 0, true }
		p := r.connect()
		var last Task
		for i := range 106 {
			if i == 105 {
				synctest.Wait()                     // the 105th has been counted…
				time.Sleep(1500 * time.Millisecond) // …1.5 s before the 106th
			}
			tk := r.task(7)
			tk.ChannelSelect = ChannelLong
			last = r.start(tk)
		}
		r.wantEnd(last.TaskID, EctLocal, EctLocalAntiAvalanche)
		select {
		case l := <-rec.limited:
			if l != (limited{LimitFrequency, last.TaskID, 1500}) {
				t.Fatalf("ReportTaskLimited%+v, want (1, %d, 1500 ms since the previous)", l, last.TaskID)
			}
		default:
			t.Fatal("no ReportTaskLimited")
		}
		for range 105 {
			p.Next() // the other 105 went out
		}
		r.wantNoEnd()
	})
}

func TestFrequencyLimitOffLetsEveryRequestThrough(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, rec := newPolicyRig(t, Config{}, false)
		r.rec.onReq2Buf = func(TaskRef) ([]byte, int, bool) { return []byte("same body"), 0, true }
		p := r.connect()
		for range 120 {
			tk := r.task(7)
			tk.ChannelSelect = ChannelLong
			tk.LimitFrequency = false
			r.start(tk)
		}
		for range 120 {
			p.Next()
		}
		synctest.Wait()
		r.wantNoEnd()
		if len(rec.limited) != 0 {
			t.Fatal("ReportTaskLimited without the limit")
		}
	})
}

func TestFlowLimitOnlyOnMobile(t *testing.T) {
	for _, network := range []NetworkType{NetworkMobile, NetworkWiFi} {
		synctest.Test(t, func(t *testing.T) {
			r, rec := newPolicyRig(t, Config{Network: network}, false)
			body := make([]byte, 1<<20)
			r.rec.onReq2Buf = func(ref TaskRef) ([]byte, int, bool) { return body, 0, true }
			r.e.MakesureLonglinkConnected()
			r.acceptRaw() // never read: the bytes only need to leave
			var ids []uint32
			for range 81 {
				tk := r.task(7)
				tk.ChannelSelect = ChannelLong
				tk.LimitFrequency = false
				ids = append(ids, r.start(tk).TaskID)
			}
			synctest.Wait()
			var rejected []uint32
			for len(r.rec.ends) > 0 {
				if e := <-r.rec.ends; e.typ == EctLocal && e.code == EctLocalAntiAvalanche {
					rejected = append(rejected, e.id)
				}
			}
			if network == NetworkWiFi {
				if len(rejected) != 0 || len(rec.limited) != 0 {
					t.Fatalf("WiFi: %d rejected", len(rejected))
				}
				return
			}
			if len(rejected) != 1 || rejected[0] != ids[80] {
				t.Fatalf("mobile: rejected %v, want only the 81st (%d)", rejected, ids[80])
			}
			if l := <-rec.limited; l != (limited{LimitFlow, ids[80], 1 << 20}) {
				t.Fatalf("ReportTaskLimited%+v, want (2, %d, 1048576)", l, ids[80])
			}
		})
	}
}
