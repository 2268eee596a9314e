package sdt

import (
	"net"
	"strconv"
	"strings"
)

// NetCheckRequest builds the active check the engine runs when its net-check
// trigger fires (Mars's __StartNetCheck): every
// long-link host on every long-link port, and a GET of cgi on every
// short-link host the host app names (RequestNetCheckShortLinkHosts) at the
// short-link port. Mars runs it with no timeout; ours is DefaultTimeout.
func NetCheckRequest(longHosts []string, longPorts []uint16, shortHosts []string, shortPort uint16, cgi string) Request {
	var req Request
	for _, h := range longHosts {
		for _, p := range longPorts {
			req.Servers = append(req.Servers, net.JoinHostPort(h, strconv.Itoa(int(p))))
		}
	}
	if !strings.HasPrefix(cgi, "/") {
		cgi = "/" + cgi
	}
	for _, h := range shortHosts {
		req.HTTP = append(req.HTTP, "http://"+net.JoinHostPort(h, strconv.Itoa(int(shortPort)))+cgi)
	}
	return req
}
