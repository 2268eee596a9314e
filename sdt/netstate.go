package sdt

import (
	"context"
	"net"
	"net/netip"
	"slices"
)

// NetState is the local network as the device sees it: what a support
// engineer asks first ("is Wi-Fi on, is there a route, is there IPv6?").
type NetState struct {
	Interfaces []Interface `json:"interfaces"`
	// DefaultRoutes are the usable default routes; RoutesKnown is false
	// where the platform gives no way to read them.
	DefaultRoutes []Route `json:"default_routes"`
	RoutesKnown   bool    `json:"routes_known"`
	// IPv4 and IPv6 tell whether the family can reach beyond the device:
	// an up interface with a global address of that family carries a
	// default route of that family (or has such an address, where routes
	// are unknown).
	IPv4 bool `json:"ipv4"`
	IPv6 bool `json:"ipv6"`
}

// Interface is one network interface and its addresses (CIDR notation).
type Interface struct {
	Name     string   `json:"name"`
	Up       bool     `json:"up"`
	Loopback bool     `json:"loopback"`
	MTU      int      `json:"mtu"`
	Addrs    []string `json:"addrs,omitempty"`
}

// Route is a default route: through Gateway (empty for a direct link) on
// Interface.
type Route struct {
	IPv6      bool   `json:"ipv6"`
	Interface string `json:"interface"`
	Gateway   string `json:"gateway,omitempty"`
}

// netState reports the local state; it is OK when IPv4 or IPv6 can reach
// beyond the device.
func (r *run) netState(ctx context.Context, _ string) Result {
	ifaces, err := localInterfaces()
	if err != nil {
		return failure(ctx, KindNetState, "local", err)
	}
	routes, known, err := defaultRoutes()
	if err != nil {
		return failure(ctx, KindNetState, "local", err)
	}
	st := assess(ifaces, routes, known)
	out := Result{Net: &st, OK: st.IPv4 || st.IPv6}
	if !out.OK {
		out.Reason, out.Error = ReasonNoAddress, "no interface with a global address and a default route"
	}
	return out
}

// localInterfaces lists the interfaces with their addresses.
func localInterfaces() ([]Interface, error) {
	sys, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	out := make([]Interface, 0, len(sys))
	for _, s := range sys {
		in := Interface{Name: s.Name, Up: s.Flags&net.FlagUp != 0, Loopback: s.Flags&net.FlagLoopback != 0, MTU: s.MTU}
		addrs, err := s.Addrs()
		if err != nil {
			return nil, err
		}
		for _, a := range addrs {
			in.Addrs = append(in.Addrs, a.String())
		}
		out = append(out, in)
	}
	return out, nil
}

// assess decides IPv4 and IPv6 availability from interfaces and routes.
func assess(ifaces []Interface, routes []Route, routesKnown bool) NetState {
	st := NetState{Interfaces: ifaces, DefaultRoutes: routes, RoutesKnown: routesKnown}
	if st.Interfaces == nil {
		st.Interfaces = []Interface{}
	}
	if st.DefaultRoutes == nil {
		st.DefaultRoutes = []Route{}
	}
	for _, in := range ifaces {
		if !in.Up || in.Loopback {
			continue
		}
		has4, has6 := globalFamilies(in.Addrs)
		if !routesKnown {
			st.IPv4, st.IPv6 = st.IPv4 || has4, st.IPv6 || has6
			continue
		}
		st.IPv4 = st.IPv4 || (has4 && hasRoute(routes, in.Name, false))
		st.IPv6 = st.IPv6 || (has6 && hasRoute(routes, in.Name, true))
	}
	return st
}

// globalFamilies tells whether addrs (CIDR or bare) hold a global unicast
// address of each family.
func globalFamilies(addrs []string) (v4, v6 bool) {
	for _, a := range addrs {
		ip, err := netip.ParseAddr(a)
		if p, perr := netip.ParsePrefix(a); perr == nil {
			ip, err = p.Addr(), nil
		}
		if err != nil || !ip.IsGlobalUnicast() {
			continue
		}
		if ip.Unmap().Is4() {
			v4 = true
		} else {
			v6 = true
		}
	}
	return v4, v6
}

func hasRoute(routes []Route, iface string, v6 bool) bool {
	return slices.ContainsFunc(routes, func(r Route) bool { return r.Interface == iface && r.IPv6 == v6 })
}
