package transport_test

import (
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/sfu/transport"
	"github.com/plainrtc/plainrtc/stun"
)

// corpusICE authenticates what the browser sent as the server's ICE agent
// would: its checks with the server's ice-pwd (the receiver's, RFC 8445
// §7.2.2), its answers to the server's own checks (full ICE) with the
// browser's (the responder's, §7.3).
type corpusICE struct {
	// server and browser are each side's credentials: the first
	// exchange's, then every ICE restart's.
	server, browser []conformance.ICECredentials
	stunOK, stunBad atomic.Int64
	rtp, rtcp       atomic.Int64
}

// credentials lists p's credential generations.
func credentials(p *conformance.Peer) []conformance.ICECredentials {
	return append([]conformance.ICECredentials{p.ICE}, p.LaterICE...)
}

func (h *corpusICE) HandleSTUN(msg []byte, _ netip.AddrPort) transport.STUNVerdict {
	var m stun.Message
	if m.Unmarshal(msg) != nil {
		h.stunBad.Add(1)
		return transport.STUNRejected
	}
	// A request is signed with the password of the server ufrag its
	// USERNAME names (RFC 8445 §7.2.2); an answer to the server's own
	// check with the browser's, of whichever generation.
	var pwds []string
	if m.Type.Class == stun.ClassRequest {
		u, _ := m.Username()
		recv, _, _ := strings.Cut(string(u), ":")
		for _, c := range h.server {
			if c.Ufrag == recv {
				pwds = append(pwds, c.Pwd)
			}
		}
	} else {
		for _, c := range h.browser {
			pwds = append(pwds, c.Pwd)
		}
	}
	ok := false
	for _, pwd := range pwds {
		ok = ok || stun.NewShortTermIntegrity(pwd).Check(&m) == nil
	}
	if !ok {
		h.stunBad.Add(1)
		return transport.STUNRejected
	}
	h.stunOK.Add(1)
	return transport.STUNAccepted
}
func (h *corpusICE) HandleRTP([]byte, netip.AddrPort)  { h.rtp.Add(1) }
func (h *corpusICE) HandleRTCP([]byte, netip.AddrPort) { h.rtcp.Add(1) }

// TestCorpusBrowserTrafficRouted replays every datagram the browser sent in
// each captured session into a mux, one loopback socket per browser source
// address: every STUN check must reach the peer by its USERNAME (answers to
// the server's checks by their bound address) and authenticate, and every
// DTLS, SRTP and SRTCP datagram from an authenticated address must be
// routed to it, with no drop. Which side is the browser, and so which
// datagrams are replayed, comes from the session's roles; the derived
// variants (browser as answerer, DTLS roles swapped, full ICE, audio or
// data only) run too.
func TestCorpusBrowserTrafficRouted(t *testing.T) {
	conformance.ForEachSession(t, routeBrowserTraffic)
}

func TestCorpusBrowserTrafficRoutedDerived(t *testing.T) {
	conformance.ForEachDerived(t, routeBrowserTraffic)
}

func routeBrowserTraffic(t *testing.T, s *conformance.Session) {
	{
		m, err := transport.Listen(transport.Config{
			Addr:   netip.MustParseAddrPort("127.0.0.1:0"),
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		})
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		h := &corpusICE{server: credentials(s.Roles.ServerPeer()), browser: credentials(s.Roles.BrowserPeer())}
		p, err := m.AddPeer(s.ServerICE.Ufrag, h)
		if err != nil {
			t.Fatal(err)
		}
		// An ICE restart's new ufrag routes to the same peer, as the SFU
		// adds it (sfu/ice_restart.go).
		for _, c := range h.server[1:] {
			if err := p.AddUfrag(c.Ufrag); err != nil {
				t.Fatal(err)
			}
		}
		socks := map[netip.AddrPort]*net.UDPConn{}
		bound := map[netip.AddrPort]bool{}
		var want struct{ stun, dtls, rtp, rtcp, unbound uint64 }
		sent := uint64(0)
		dst := net.UDPAddrFromAddrPort(m.LocalAddrPort())
		for _, d := range s.Datagrams {
			if !s.FromBrowser(d) {
				continue
			}
			c := socks[d.Src]
			if c == nil {
				if c, err = net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}); err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				socks[d.Src] = c
			}
			switch demux.Classify(d.Payload) {
			case demux.STUN:
				if _, ok := stunRequest(d.Payload); ok {
					bound[d.Src] = true
				} else if !bound[d.Src] {
					// An answer to the server's own check (full ICE) before
					// the browser's check bound its address: a mux that
					// sends no checks has no peer for it (no USERNAME).
					want.unbound++
					break
				}
				want.stun++
			case demux.DTLS:
				if bound[d.Src] {
					want.dtls++
				}
			case demux.RTP:
				if bound[d.Src] {
					want.rtp++
				}
			case demux.RTCP:
				if bound[d.Src] {
					want.rtcp++
				}
			}
			if _, err := c.WriteTo(d.Payload, dst); err != nil {
				t.Fatal(err)
			}
			sent++
			// Pace: let the read loop drain so the socket buffer never overflows.
			deadline := time.Now().Add(5 * time.Second)
			for m.Counters.Received.Load() < sent && time.Now().Before(deadline) {
				time.Sleep(50 * time.Microsecond)
			}
		}
		if got := m.Counters.Received.Load(); got != sent {
			t.Fatalf("mux received %d of %d datagrams", got, sent)
		}
		c := &m.Counters
		// Received counts a datagram before it is routed: let the read
		// loop finish routing the last one before the counts are compared.
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) && (c.STUN.Load() < want.stun || c.DTLS.Load()+c.Drops(transport.DropQueueFull) < want.dtls ||
			c.RTP.Load() < want.rtp || c.RTCP.Load() < want.rtcp || h.rtp.Load() < int64(want.rtp) || h.rtcp.Load() < int64(want.rtcp)) {
			time.Sleep(50 * time.Microsecond)
		}
		if c.STUN.Load() != want.stun || c.DTLS.Load()+c.Drops(transport.DropQueueFull) != want.dtls ||
			c.RTP.Load() != want.rtp || c.RTCP.Load() != want.rtcp {
			t.Errorf("routed stun %d dtls %d rtp %d rtcp %d, want %d %d %d %d", c.STUN.Load(), c.DTLS.Load(), c.RTP.Load(), c.RTCP.Load(), want.stun, want.dtls, want.rtp, want.rtcp)
		}
		if h.stunBad.Load() != 0 || h.stunOK.Load() == 0 {
			t.Errorf("STUN authenticated %d, refused %d", h.stunOK.Load(), h.stunBad.Load())
		}
		if h.rtp.Load() != int64(want.rtp) || h.rtcp.Load() != int64(want.rtcp) {
			t.Errorf("handler got rtp %d rtcp %d", h.rtp.Load(), h.rtcp.Load())
		}
		if want.dtls == 0 {
			t.Errorf("corpus session carries no browser DTLS: WebRTC needs it (RFC 8827 §6.5)")
		}
		if want.rtp == 0 && s.Roles.BrowserPeer().Sent[demux.RTP] == 0 {
			t.Logf("the browser sent no SRTP (it sends %v): nothing of that class to route", s.Roles.BrowserPeer().Sends)
		}
		for r := transport.DropReason(0); r.String() != "unknown"; r++ {
			if r == transport.DropQueueFull {
				continue
			}
			if r == transport.DropUnknownUfrag {
				if n := c.Drops(r); n != want.unbound {
					t.Errorf("%d drops for %s, want %d (answers arriving before any check bound their address)", n, r, want.unbound)
				}
				continue
			}
			if n := c.Drops(r); n != 0 {
				t.Errorf("%d drops for %s", n, r)
			}
		}
		t.Logf("routed %d browser datagrams: stun %d dtls %d rtp %d rtcp %d", sent, want.stun, want.dtls, want.rtp, want.rtcp)
	}
}

// stunRequest reports whether b is a Binding request (the kind that
// authenticates and binds an address).
func stunRequest(b []byte) (stun.MessageType, bool) {
	var m stun.Message
	if m.Unmarshal(b) != nil {
		return stun.MessageType{}, false
	}
	return m.Type, m.Type == stun.BindingRequest
}
