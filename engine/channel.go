package engine

// route is where a validated task goes.
type route int

const (
	routeNone  route = iota // no link kind can take it
	routeLong               // the long-link queue (waits for the link if needed)
	routeShort              // the short link, one HTTP attempt at a time
)

// chooseRoute is Mars's channel selection (net_core.cc:296-324),
// made once when the task starts. long_ok is the long link being connected
// and, for ChannelFastStrategy, having no task of its own (Mars's
// kFastSendUseLonglinkTaskCntLimit = 0). Minor long links do not exist, so
// All behaves as Both and Normal as Short; what is left of a mask whose bits
// validation dropped goes long if it can, else short, and MinorLong alone
// has nowhere to go.
func (o *owner) chooseRoute(t Task) route {
	switch t.ChannelSelect {
	case ChannelLong:
		return routeLong
	case ChannelShort, ChannelNormal:
		return routeShort
	case ChannelBoth, ChannelAll:
		if o.longOK(t) {
			return routeLong
		}
		return routeShort
	}
	switch {
	case t.ChannelSelect&ChannelLong != 0: // e.g. All without a cgi
		return routeLong
	case t.ChannelSelect&ChannelShort != 0:
		return routeShort
	}
	return routeNone
}

// longOK reports whether a Both/All task may use the long link now.
func (o *owner) longOK(t Task) bool {
	ll := o.links[t.ChannelName]
	if ll == nil || ll.link == nil || !ll.connected() {
		return false
	}
	return t.ChannelStrategy != ChannelFastStrategy || len(o.tasks) == 0
}
