package sdt

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"io"
	"net/netip"
	"strconv"
	"strings"
)

// Linux route flags (include/uapi/linux/route.h, ipv6_route.h).
const (
	rtfUp     = 0x0001
	rtfReject = 0x0200
)

// parseRoutes4 reads /proc/net/route and returns its usable default routes:
// up, not reject, destination and mask 0.0.0.0. Lines it cannot read are
// skipped, so a format change loses routes rather than failing the check.
func parseRoutes4(r io.Reader) []Route {
	var out []Route
	sc := bufio.NewScanner(r)
	for first := true; sc.Scan(); first = false {
		f := strings.Fields(sc.Text())
		if first || len(f) < 8 {
			continue
		}
		dest, err1 := strconv.ParseUint(f[1], 16, 32)
		gw, err2 := strconv.ParseUint(f[2], 16, 32)
		flags, err3 := strconv.ParseUint(f[3], 16, 32)
		mask, err4 := strconv.ParseUint(f[7], 16, 32)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			continue
		}
		if dest != 0 || mask != 0 || flags&rtfUp == 0 || flags&rtfReject != 0 {
			continue
		}
		rt := Route{Interface: f[0]}
		if gw != 0 {
			var b [4]byte
			binary.NativeEndian.PutUint32(b[:], uint32(gw)) // the kernel prints the network-order bytes as a host-order number
			rt.Gateway = netip.AddrFrom4(b).String()
		}
		out = append(out, rt)
	}
	return out
}

// parseRoutes6 reads /proc/net/ipv6_route (dest, dest_len, src, src_len,
// next_hop, metric, refcnt, use, flags, iface) and returns its usable
// default routes: ::/0, up, not reject.
func parseRoutes6(r io.Reader) []Route {
	var out []Route
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 10 {
			continue
		}
		dest, err1 := hex16(f[0])
		plen, err2 := strconv.ParseUint(f[1], 16, 8)
		hop, err3 := hex16(f[4])
		flags, err4 := strconv.ParseUint(f[8], 16, 32)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			continue
		}
		if !dest.IsUnspecified() || plen != 0 || flags&rtfUp == 0 || flags&rtfReject != 0 {
			continue
		}
		rt := Route{IPv6: true, Interface: f[9]}
		if !hop.IsUnspecified() {
			rt.Gateway = hop.String()
		}
		out = append(out, rt)
	}
	return out
}

// hex16 decodes 32 hex digits into an IPv6 address.
func hex16(s string) (netip.Addr, error) {
	var b [16]byte
	if len(s) != 32 {
		return netip.Addr{}, hex.ErrLength
	}
	if _, err := hex.Decode(b[:], []byte(s)); err != nil {
		return netip.Addr{}, err
	}
	return netip.AddrFrom16(b), nil
}
