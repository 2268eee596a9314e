package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
)

var errNoAddress = errors.New("engine: no long-link address configured")

// StaticAddresses is an AddressSource without DNS: the SetDebugIP entry for
// the long-link host, else the long-link debug IP, else the host itself
// (left to the Dialer to resolve), then the host's backup IPs, each with
// every configured port in order.
type StaticAddresses struct{}

// LongLinkCandidates implements AddressSource.
func (StaticAddresses) LongLinkCandidates(_ context.Context, s AddressSettings) ([]Address, error) {
	if ip := debugIP(s); ip != "" {
		return withPorts(s, []string{ip})
	}
	return withPorts(s, append([]string{s.LongLinkHost}, s.BackupIPs[s.LongLinkHost]...))
}

func debugIP(s AddressSettings) string {
	if ip := s.DebugIPs[s.LongLinkHost]; ip != "" {
		return ip
	}
	return s.LongLinkDebugIP
}

// withPorts crosses ips (deduplicated, in order) with the long-link ports.
func withPorts(s AddressSettings, ips []string) ([]Address, error) {
	var out []Address
	seen := map[string]bool{}
	for _, ip := range ips {
		if ip == "" || seen[ip] {
			continue
		}
		seen[ip] = true
		for _, p := range s.LongLinkPorts {
			out = append(out, Address{Host: s.LongLinkHost, IP: ip, Port: p})
		}
	}
	if len(out) == 0 {
		return nil, errNoAddress
	}
	return out, nil
}

// Address is one connect candidate.
type Address struct {
	Host string // the name it stands for (for logs); may equal IP
	IP   string // IP literal, or a hostname the Dialer resolves
	Port int
	// Kind says where the address came from; zero for addresses from a
	// custom AddressSource that does not say.
	Kind AddressKind
}

// AddressKind is where a candidate came from (Mars's IPSourceType).
type AddressKind int

// Address kinds.
const (
	AddressDebug  AddressKind = 1 // SetDebugIP or the server address's debug IP
	AddressNewDns AddressKind = 2 // the host's OnNewDns
	AddressDNS    AddressKind = 3 // the system resolver
	AddressBackup AddressKind = 4 // SetBackupIPs, or the resolver standing in
	AddressName   AddressKind = 5 // the bare host name, for the Dialer to resolve
)

// String is "ip:port".
func (a Address) String() string { return net.JoinHostPort(a.IP, fmt.Sprint(a.Port)) }

// AddressSettings are the host's address calls (SetLonglinkSvrAddr and
// friends). They survive Reset.
type AddressSettings struct {
	LongLinkHost    string
	LongLinkPorts   []int
	LongLinkDebugIP string
	ShortLinkPort   int
	ShortLinkDebug  string
	DebugIPs        map[string]string   // host → IP (SetDebugIP)
	BackupIPs       map[string][]string // host → IPs (SetBackupIPs)
}

// AddressSource turns the address settings into the long link's connect
// candidates, in the order to try them. It runs on the connect goroutine,
// never on the owner, so it may block (DNS) until ctx ends. The connect
// strategy (DNS, backups, scoring) plugs in here.
type AddressSource interface {
	LongLinkCandidates(ctx context.Context, s AddressSettings) ([]Address, error)
}
