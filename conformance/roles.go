package conformance

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/stun"
)

// Side is one of the two peers of a session, named by the description it
// sent (RFC 3264 §2): the offerer or the answerer.
type Side uint8

// The two sides.
const (
	Offerer  Side = 0
	Answerer Side = 1
)

func (s Side) String() string {
	if s == Offerer {
		return "offerer"
	}
	return "answerer"
}

// Other is the opposite side.
func (s Side) Other() Side { return 1 - s }

// Peer is what one side of a session did, as its SDP and the capture show.
type Peer struct {
	Side    Side
	Browser bool           // the browser (see Roles.BrowserRule); else the server
	ICE     ICECredentials // its a=ice-ufrag / a=ice-pwd (RFC 8839 §5.4)
	// LaterICE are the credentials its later descriptions brought (ICE
	// restarts, RFC 8445 §9), in order; see Credentials.
	LaterICE []ICECredentials
	ICELite  bool   // a=ice-lite (RFC 8839 §5.3, RFC 8445 §2.5)
	Setup    string // its a=setup value (RFC 8842 §5), "" if none
	// Addrs are the transport addresses it used in the capture, in order of
	// first appearance.
	Addrs []netip.AddrPort
	// MediaAddr is the address it sent DTLS (else anything but STUN) from:
	// the selected pair's end; else its first address.
	MediaAddr netip.AddrPort
	// Binding requests it sent (RFC 8445 §7.2.4) and what they carried:
	// ICE-CONTROLLING, ICE-CONTROLLED (§7.1.3) and USE-CANDIDATE (§7.1.2).
	Requests, Controlling, Controlled, Nominations int
	Responses                                      int  // Binding responses it sent (§7.3.1.4)
	DTLSClient                                     bool // sent the ClientHello (RFC 6347 §4.2.1)
	// Sends lists the media kinds ("audio", "video", "application") of the
	// accepted m= sections in which its direction attribute sends (RFC 3264
	// §5.1, §6); a data channel counts for both sides.
	Sends []string
	// Sent counts the datagrams it sent, by RFC 7983 class.
	Sent map[demux.Class]int
}

// SendsKind reports whether kind is in p.Sends.
func (p *Peer) SendsKind(kind string) bool { return slices.Contains(p.Sends, kind) }

// MediaSection is one m= section seen from both sides.
type MediaSection struct {
	MID, Kind string
	Accepted  bool    // the answer's port is not 0 (RFC 3264 §6)
	Sends     [2]bool // by Side: its direction attribute sends
}

// Roles is who did what in a session, derived from the session itself.
// Every corpus test and cmd/rtcdump take the roles from here.
type Roles struct {
	Peers [2]Peer // indexed by Side
	// Browser is the browser's side; BrowserRule says how it was decided:
	// meta.json's "browser" ("offerer" or "answerer") when present; else
	// the side without a=ice-lite when exactly one side has it (browsers
	// are full ICE agents, RFC 8445 §2.5); else the offerer.
	Browser     Side
	BrowserRule string
	// ICEControlling is the side whose Binding requests carry
	// ICE-CONTROLLING (RFC 8445 §7.1.3); known when exactly one side's do.
	ICEControlling      Side
	ICEControllingKnown bool
	// DTLSClient is the side that sent the ClientHello; known when the
	// capture has one from an attributed address.
	DTLSClient      Side
	DTLSClientKnown bool
	// SetupClient is the DTLS client the a=setup values make (RFC 8842
	// §5.3: an answer's "active" makes the answerer the client, "passive"
	// the offerer); known when the answer says one of the two.
	SetupClient      Side
	SetupClientKnown bool
	Sections         []MediaSection
	// SDP reports whether both descriptions were given; without them the
	// sender of the first Binding request is labelled the offerer.
	SDP bool
	// Renegotiations counts the later exchanges taken in (offer-2.sdp…,
	// DeriveRolesExchanges).
	Renegotiations int

	fingerprints [2]string       // each side's first a=fingerprint
	laterKinds   map[string]bool // kinds of sections a later exchange accepted
	// recvUfrag is each Binding request's receiver ufrag (the first half
	// of its USERNAME), by transaction ID: the credentials that sign it
	// and its response.
	recvUfrag map[stun.TransactionID]string

	side map[netip.AddrPort]Side
}

// Peer returns the peer of a side.
func (r *Roles) Peer(s Side) *Peer { return &r.Peers[s&1] }

// BrowserPeer and ServerPeer return the browser's and the other side's peer.
func (r *Roles) BrowserPeer() *Peer { return r.Peer(r.Browser) }

// ServerPeer returns the peer that is not the browser.
func (r *Roles) ServerPeer() *Peer { return r.Peer(r.Browser.Other()) }

// SideOf returns the side that used a transport address.
func (r *Roles) SideOf(a netip.AddrPort) (Side, bool) {
	s, ok := r.side[a]
	return s, ok
}

// Sender returns the side that sent d: the owner of its source address, or
// the opposite of its destination's owner.
func (r *Roles) Sender(d Datagram) (Side, bool) {
	if s, ok := r.side[d.Src]; ok {
		return s, true
	}
	if s, ok := r.side[d.Dst]; ok {
		return s.Other(), true
	}
	return 0, false
}

// HasKind reports whether an accepted m= section of that kind exists.
func (r *Roles) HasKind(kind string) bool {
	for _, m := range r.Sections {
		if m.Kind == kind && m.Accepted {
			return true
		}
	}
	return r.laterKinds[kind]
}

// DeriveRoles works out who did what from a session's datagrams and, when
// given, its offer and answer (both or neither), DTLS hellos (nil if none)
// and meta.json (nil if none):
//
//   - Sides by ICE username (RFC 8445 §7.2.2): a Binding request's
//     USERNAME is "<receiver ufrag>:<sender ufrag>", so its source belongs
//     to the side whose SDP has the second ufrag and its destination to the
//     other; a response goes back along its request's pair (same
//     transaction ID). Other datagrams are attributed by address.
//   - ICE: lite or full from a=ice-lite; who sends requests and who
//     answers from the capture; the controlling side from ICE-CONTROLLING.
//   - DTLS: the client is the ClientHello's sender, cross-checked with
//     a=setup by Check.
//   - Media: what each side's direction attributes send, and counts of
//     what each side sent by RFC 7983 class.
func DeriveRoles(datagrams []Datagram, offer, answer []byte, hello *DTLSHello, meta map[string]any) (Roles, error) {
	return DeriveRolesExchanges(datagrams, offer, answer, nil, hello, meta)
}

// DeriveRolesExchanges is DeriveRoles for a session that renegotiated:
// later are its later exchanges (offer-2.sdp, …), whose Offerer fields it
// sets. Their ICE credentials attribute Binding requests after an ICE
// restart, and what their directions send counts in Peer.Sends.
func DeriveRolesExchanges(datagrams []Datagram, offer, answer []byte, later []Exchange, hello *DTLSHello, meta map[string]any) (Roles, error) {
	r := Roles{side: map[netip.AddrPort]Side{}}
	r.Peers[Offerer].Side, r.Peers[Answerer].Side = Offerer, Answerer
	for i := range r.Peers {
		r.Peers[i].Sent = map[demux.Class]int{}
	}
	if offer != nil || answer != nil {
		if err := r.readSDPs(offer, answer); err != nil {
			return r, err
		}
		if err := r.readExchanges(later); err != nil {
			return r, err
		}
	}
	r.readSTUN(datagrams)
	// DTLS: the ClientHello's source; if STUN did not place it, a=setup does.
	if hello != nil && hello.Client.IsValid() {
		if s, ok := r.side[hello.Client]; ok {
			r.DTLSClient, r.DTLSClientKnown = s, true
		} else if s, ok := r.side[hello.Server]; ok {
			r.DTLSClient, r.DTLSClientKnown = s.Other(), true
		} else if r.SetupClientKnown {
			r.DTLSClient, r.DTLSClientKnown = r.SetupClient, true
		}
		if r.DTLSClientKnown {
			r.addAddr(hello.Client, r.DTLSClient)
			r.addAddr(hello.Server, r.DTLSClient.Other())
			r.Peer(r.DTLSClient).DTLSClient = true
		}
	}
	for _, d := range datagrams {
		s, ok := r.Sender(d)
		if !ok {
			continue
		}
		r.addAddr(d.Src, s)
		r.addAddr(d.Dst, s.Other())
		c := demux.Classify(d.Payload)
		p := r.Peer(s)
		p.Sent[c]++
		if !p.MediaAddr.IsValid() && c == demux.DTLS {
			p.MediaAddr = d.Src
		}
	}
	for i := range r.Peers {
		if p := &r.Peers[i]; !p.MediaAddr.IsValid() && len(p.Addrs) > 0 {
			p.MediaAddr = p.Addrs[0]
		}
	}
	r.decideBrowser(meta)
	return r, nil
}

func (r *Roles) addAddr(a netip.AddrPort, s Side) {
	if !a.IsValid() {
		return
	}
	if _, ok := r.side[a]; ok {
		return
	}
	r.side[a] = s
	r.Peer(s).Addrs = append(r.Peer(s).Addrs, a)
}

// readSDPs takes credentials, ice-lite, setup and media directions.
func (r *Roles) readSDPs(offer, answer []byte) error {
	var sess [2]*sdp.Session
	for i, b := range [][]byte{offer, answer} {
		s, err := sdp.Parse(b)
		if err != nil {
			return fmt.Errorf("%s SDP: %w", Side(i), err)
		}
		sess[i] = s
		p := &r.Peers[i]
		if u, pw, ok := s.ICECredentials(); ok {
			p.ICE = ICECredentials{Ufrag: u, Pwd: pw}
		}
		p.ICELite = s.ICELite()
		var first *sdp.Media
		if len(s.Media) > 0 {
			first = &s.Media[0]
		}
		if v, ok := s.Setup(first); ok {
			p.Setup = string(v)
		}
		r.fingerprints[i] = firstFingerprint(s)
	}
	r.SDP = true
	switch r.Peers[Answerer].Setup {
	case string(sdp.SetupActive):
		r.SetupClient, r.SetupClientKnown = Answerer, true
	case string(sdp.SetupPassive):
		r.SetupClient, r.SetupClientKnown = Offerer, true
	}
	o, a := sess[Offerer], sess[Answerer]
	for i := range o.Media {
		m := &o.Media[i]
		ms := MediaSection{Kind: m.MediaLine().Media}
		ms.MID, _ = m.MID()
		var am *sdp.Media
		if i < len(a.Media) {
			am = &a.Media[i]
			ms.Accepted = am.MediaLine().Port != 0
		}
		if ms.Accepted {
			ms.Sends[Offerer] = ms.Kind == "application" || o.Direction(m).Sends()
			ms.Sends[Answerer] = ms.Kind == "application" || a.Direction(am).Sends()
		}
		r.Sections = append(r.Sections, ms)
		for s := range ms.Sends {
			if p := &r.Peers[s]; ms.Sends[s] && !p.SendsKind(ms.Kind) {
				p.Sends = append(p.Sends, ms.Kind)
			}
		}
	}
	return nil
}

// readSTUN attributes addresses by the USERNAME of Binding requests and
// counts what each side's requests and responses carried.
func (r *Roles) readSTUN(datagrams []Datagram) {
	var m stun.Message
	byUfrag := map[string]Side{}
	for i := range r.Peers {
		if u := r.Peers[i].ICE.Ufrag; u != "" {
			byUfrag[u] = Side(i)
		}
		for _, c := range r.Peers[i].LaterICE {
			byUfrag[c.Ufrag] = Side(i)
		}
	}
	requests := map[stun.TransactionID]Side{}
	r.recvUfrag = map[stun.TransactionID]string{}
	for _, d := range datagrams {
		if demux.Classify(d.Payload) != demux.STUN || m.Unmarshal(d.Payload) != nil || m.Type.Method != stun.MethodBinding {
			continue
		}
		switch m.Type.Class {
		case stun.ClassRequest:
			u, err := m.Username()
			if err != nil {
				continue
			}
			recv, send, ok := cutUfrags(string(u))
			if !ok {
				continue
			}
			s, known := byUfrag[send]
			if !known {
				if rs, ok := byUfrag[recv]; ok {
					s, known = rs.Other(), true
				}
			}
			if !known && !r.SDP && len(byUfrag) == 0 {
				// No SDPs: the first requester is labelled the offerer.
				byUfrag[send], byUfrag[recv] = Offerer, Answerer
				r.Peers[Offerer].ICE.Ufrag, r.Peers[Answerer].ICE.Ufrag = send, recv
				s, known = Offerer, true
			}
			if !known {
				continue
			}
			r.addAddr(d.Src, s)
			r.addAddr(d.Dst, s.Other())
			requests[m.TransactionID] = s
			r.recvUfrag[m.TransactionID] = recv
			p := r.Peer(s)
			p.Requests++
			if m.Contains(stun.AttrICEControlling) {
				p.Controlling++
			}
			if m.Contains(stun.AttrICEControlled) {
				p.Controlled++
			}
			if m.UseCandidate() {
				p.Nominations++
			}
		case stun.ClassSuccessResponse, stun.ClassErrorResponse:
			if s, ok := requests[m.TransactionID]; ok {
				r.addAddr(d.Src, s.Other())
				r.addAddr(d.Dst, s)
				r.Peer(s.Other()).Responses++
			}
		}
	}
	o, a := r.Peers[Offerer].Controlling > 0, r.Peers[Answerer].Controlling > 0
	if o != a {
		r.ICEControlling, r.ICEControllingKnown = Answerer, true
		if o {
			r.ICEControlling = Offerer
		}
	}
}

// SigningPassword returns the ice-pwd that signs the Binding request or
// response with transaction ID tid (RFC 8445 §7.2.2: the request's
// receiver's password, from the credentials its USERNAME names, which an
// ICE restart changes): ok is false when the capture has no attributed
// request with that ID or its ufrag is none of the receiver's.
func (r *Roles) SigningPassword(tid stun.TransactionID, receiver Side) (string, bool) {
	u, ok := r.recvUfrag[tid]
	if !ok {
		return "", false
	}
	c, ok := r.Peer(receiver).Credentials(u)
	return c.Pwd, ok
}

// cutUfrags splits a short-term USERNAME "receiver:sender" (RFC 8445 §7.2.2).
func cutUfrags(u string) (recv, send string, ok bool) {
	for i := 0; i < len(u); i++ {
		if u[i] == ':' {
			return u[:i], u[i+1:], i > 0 && i < len(u)-1
		}
	}
	return "", "", false
}

func (r *Roles) decideBrowser(meta map[string]any) {
	switch v, _ := meta["browser"].(string); v {
	case "offerer":
		r.Browser, r.BrowserRule = Offerer, `meta.json "browser": "offerer"`
	case "answerer":
		r.Browser, r.BrowserRule = Answerer, `meta.json "browser": "answerer"`
	default:
		switch ol, al := r.Peers[Offerer].ICELite, r.Peers[Answerer].ICELite; {
		case ol && !al:
			r.Browser, r.BrowserRule = Answerer, "the offerer is ICE-lite and a browser is a full ICE agent (RFC 8445 §2.5)"
		case al && !ol:
			r.Browser, r.BrowserRule = Offerer, "the answerer is ICE-lite and a browser is a full ICE agent (RFC 8445 §2.5)"
		default:
			r.Browser, r.BrowserRule = Offerer, "neither meta.json nor a=ice-lite tells: the offerer is taken as the browser"
		}
	}
	r.Peers[r.Browser].Browser = true
	r.Peers[r.Browser.Other()].Browser = false
}

// Check returns every way the roles contradict the RFCs or each other:
// an ICE-lite agent that sends checks (RFC 8445 §2.5) or is controlling
// against a full agent (§6.1.1), both sides claiming one role (§7.3.1.1
// conflict left unresolved), a full agent against a lite one that is not
// controlling, a controlling side other than the offerer when both are full
// (§6.1.1), requests nobody answered, and a ClientHello from the side
// a=setup does not make the DTLS client (RFC 8842 §5.3, RFC 5763 §5).
func (r *Roles) Check() []error {
	var errs []error
	for i := range r.Peers {
		p := &r.Peers[i]
		if p.ICELite && p.Requests > 0 {
			errs = append(errs, fmt.Errorf("%s is ICE-lite (a=ice-lite) but sent %d Binding requests (RFC 8445 §2.5)", p.Side, p.Requests))
		}
		if p.Controlling > 0 && p.Controlled > 0 {
			errs = append(errs, fmt.Errorf("%s sent both ICE-CONTROLLING and ICE-CONTROLLED (RFC 8445 §7.1.3)", p.Side))
		}
		if o := r.Peer(p.Side.Other()); p.Requests > 0 && o.Responses == 0 {
			errs = append(errs, fmt.Errorf("%s's %d Binding requests got no response (RFC 8445 §7.3.1.4)", p.Side, p.Requests))
		}
	}
	if r.Peers[0].Controlling > 0 && r.Peers[1].Controlling > 0 {
		errs = append(errs, fmt.Errorf("both sides sent ICE-CONTROLLING (RFC 8445 §7.3.1.1 role conflict)"))
	}
	if r.ICEControllingKnown {
		c := r.Peer(r.ICEControlling)
		o := r.Peer(r.ICEControlling.Other())
		switch {
		case c.ICELite && !o.ICELite:
			errs = append(errs, fmt.Errorf("%s is ICE-lite but controlling against a full agent (RFC 8445 §6.1.1)", c.Side))
		case r.SDP && !c.ICELite && !o.ICELite && c.Side != Offerer:
			errs = append(errs, fmt.Errorf("both agents are full and the answerer is controlling; the offerer must be (RFC 8445 §6.1.1)"))
		}
	}
	if r.DTLSClientKnown && r.SetupClientKnown && r.DTLSClient != r.SetupClient {
		errs = append(errs, fmt.Errorf("the %s sent the ClientHello but the answer's a=setup:%s makes the %s the DTLS client (RFC 8842 §5.3)",
			r.DTLSClient, r.Peers[Answerer].Setup, r.SetupClient))
	}
	if r.SDP && r.Peers[Offerer].Setup != "" && r.Peers[Offerer].Setup != string(sdp.SetupActpass) {
		errs = append(errs, fmt.Errorf("the offer has a=setup:%s; an offerer must use actpass (RFC 8842 §5.2)", r.Peers[Offerer].Setup))
	}
	return errs
}

// String is a one-line summary, e.g. for rtcdump's header.
func (r *Roles) String() string {
	b, s := r.BrowserPeer(), r.ServerPeer()
	lite := func(p *Peer) string {
		if p.ICELite {
			return "ICE-lite"
		}
		return "full ICE"
	}
	out := fmt.Sprintf("browser=%s (%s), %s; server=%s, %s", r.Browser, r.BrowserRule, lite(b), r.Browser.Other(), lite(s))
	if r.ICEControllingKnown {
		out += fmt.Sprintf("; ICE-controlling: %s", r.roleName(r.ICEControlling))
	}
	if r.DTLSClientKnown {
		out += fmt.Sprintf("; DTLS client: %s", r.roleName(r.DTLSClient))
	}
	return out
}

func (r *Roles) roleName(s Side) string {
	if s == r.Browser {
		return "browser"
	}
	return "server"
}
