package sfu

import (
	"net/netip"

	"github.com/plainrtc/plainrtc/sfu/transport"
)

// dtlsRole picks the SFU's DTLS role and the answer's a=setup from the
// offer's a=setup (RFC 8842 §5.3, RFC 5763 §5, RFC 4145 §4):
//
//   - actpass: the answerer chooses; RFC 9429 §5.3.1 says it SHOULD take
//     "active", as RFC 5763 §5 recommends, so the SFU is the DTLS client.
//     A peer that is the DTLS server then opens its data channels on odd
//     stream ids (RFC 8832 §6), which is what werift does.
//   - passive: the SFU must be the client (active).
//   - active, or no a=setup (RFC 4145 §4: absent means active): the SFU
//     is the server (passive).
//   - holdconn: the offerer does not want the connection set up yet; a
//     WHIP/WHEP session needs it now, so the offer is refused (400).
func dtlsRole(offered string) (transport.Role, string, error) {
	switch offered {
	case "actpass", "passive":
		return transport.RoleClient, "active", nil
	case "active", "":
		return transport.RoleServer, "passive", nil
	case "holdconn":
		return 0, "", badf("a=setup:holdconn: the offerer holds the DTLS connection back, but a WHIP/WHEP session needs it now; offer actpass, active or passive (RFC 4145 §4, RFC 8842 §5.3)")
	}
	return 0, "", badf("a=setup:%s, want actpass, active or passive (RFC 4145 §4, RFC 8842 §5.3)", offered)
}

// nominatedLocked runs when an authenticated check with USE-CANDIDATE from
// from nominated a pair (RFC 8445 §7.3.1.5). As the DTLS client under
// ICE-lite the SFU has no address to send its ClientHello to before that:
// it starts the handshake now, towards the nominated address. It selects
// that address itself first (the mux does so only after HandleSTUN
// returns), so the first flight goes there; later flights go wherever a
// renomination moved the peer (transport.Peer writes to its selected
// address). Called with its room lock held.
func (x *session) nominatedLocked(from netip.AddrPort) {
	if x.role != transport.RoleClient || x.handshakeStarted || x.ended {
		return
	}
	x.tp.Select(from)
	x.startHandshakeLocked()
}
