package marsd

import (
	"errors"
	"net"

	"github.com/mars-go/mars/wire"
)

// listenSignalling opens a UDP socket on the long link's address, where
// Mars's signalling keeper sends its 20-byte datagrams (cmdid 243, seq 0). Failure only disables counting.
// Called with mu held.
func (s *Server) listenSignalling() {
	addr, ok := s.longLn.Addr().(*net.TCPAddr)
	if !ok {
		return
	}
	pc, err := net.ListenUDP("udp", &net.UDPAddr{IP: addr.IP, Port: addr.Port, Zone: addr.Zone})
	if err != nil {
		s.log.Warn("signalling datagrams not counted", "err", err)
		return
	}
	s.udp = pc
	s.wg.Go(s.signalLoop)
}

// signalLoop counts signalling datagrams until the socket is closed. Each
// valid one is also reported to OnPacket with connection id 0.
func (s *Server) signalLoop() {
	codec := wire.Mars{ClientVersion: s.cfg.ClientVersion}
	buf := make([]byte, datagramSize)
	for {
		n, from, err := s.udp.ReadFromUDP(buf)
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.log.Error("signalling socket", "err", err)
			}
			return
		}
		p, used, perr := codec.Parse(buf[:n])
		if perr != nil || used != n || p.CmdID != wire.SignallingCmdID {
			s.stats.badSignals.Add(1)
			s.log.Warn("bad signalling datagram", "from", from.String(), "bytes", n, "err", perr)
			continue
		}
		s.stats.signals.Add(1)
		s.log.Debug("signalling datagram", "from", from.String())
		if s.cfg.OnPacket != nil {
			s.cfg.OnPacket(0, p)
		}
	}
}
