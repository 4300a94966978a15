package endpoint

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu/datachannel"
	"github.com/plainrtc/plainrtc/sfu/transport"
)

// negotiation is the offer/answer state (RFC 3264, JSEP RFC 9429 §3.2),
// guarded by Endpoint.mu.
type negotiation struct {
	secs          []section
	sessID        uint64
	version       uint64
	local, remote *sdp.Session
	pendingOffer  bool // we sent an offer and wait for the answer
	transportSet  bool // ICE credentials, candidates, DTLS role taken from the peer
	role          transport.Role
	fingerprints  []transport.Fingerprint
	dataChannel   bool // an accepted m=application section
	peerMaxMsg    uint32
}

func (n *negotiation) init(cfg Config) {
	n.sessID = uint64(randomUint32())<<31 | uint64(randomUint32())
	mid := 0
	add := func(kind string, d sdp.Direction) {
		if d == "" {
			return
		}
		_, clock, _, pt := codecFor(kind)
		s := section{Track: Track{Kind: kind, MID: strconv.Itoa(mid), Direction: d, PayloadType: pt, ClockRate: clock}}
		if d.Sends() {
			s.SSRC = randomUint32()
		}
		n.secs = append(n.secs, s)
		mid++
	}
	add("audio", cfg.Audio)
	add("video", cfg.Video)
	if cfg.DataChannel {
		n.secs = append(n.secs, section{Track: Track{MID: strconv.Itoa(mid)}, application: true})
	}
}

func (e *Endpoint) agentCredentials() ice.Credentials { return e.agent.LocalCredentials() }

func (e *Endpoint) hostCandidate() sdp.Candidate {
	c := e.agent.LocalCandidates()[0]
	return sdp.Candidate{Foundation: c.Foundation, Component: int(c.Component), Transport: "udp", Priority: c.Priority,
		Address: c.Address.Addr().String(), Port: int(c.Address.Port()), Type: c.Type.String()}
}

// Offer returns our initial offer (RFC 9429 §5.2.1): one m= section per
// configured medium in the order audio, video, application, BUNDLE,
// a=setup:actpass (RFC 5763 §5), the host candidate. As the offerer our
// ICE agent is controlling (RFC 8445 §6.1.1).
func (e *Endpoint) Offer() ([]byte, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := &e.neg
	if n.local != nil {
		return nil, fmt.Errorf("endpoint: Offer after a description was applied; this endpoint makes only the initial offer")
	}
	if len(n.secs) == 0 {
		return nil, fmt.Errorf("endpoint: nothing to offer: set Config.Audio, Video or DataChannel")
	}
	n.version = 1
	s, err := e.describe(n.secs, sdp.SetupActpass, n.sessID, n.version)
	if err != nil {
		return nil, err
	}
	n.local, n.pendingOffer = s, true
	return s.Marshal(), nil
}

// SetAnswer applies the peer's answer to our offer (RFC 3264 §6, RFC 9429
// §5.10): the same m= sections in order, the peer's ICE credentials and
// candidates, its fingerprints, and the DTLS role its a=setup leaves us
// (active: we are the DTLS server; passive: the client, RFC 8842 §5).
func (e *Endpoint) SetAnswer(answer []byte) error {
	s, err := sdp.Parse(answer)
	if err != nil {
		return fmt.Errorf("endpoint: answer: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	n := &e.neg
	if !n.pendingOffer {
		return fmt.Errorf("endpoint: answer without an offer of ours (RFC 3264 §4)")
	}
	if len(s.Media) != len(n.secs) {
		return fmt.Errorf("endpoint: answer has %d m= sections, our offer %d (RFC 3264 §6)", len(s.Media), len(n.secs))
	}
	rp, err := readRemote(s)
	if err != nil {
		return err
	}
	var role transport.Role
	switch rp.setup {
	case sdp.SetupActive:
		role = transport.RoleServer
	case sdp.SetupPassive:
		role = transport.RoleClient
	default:
		return fmt.Errorf("endpoint: answer a=setup:%s, want active or passive (RFC 5763 §5, RFC 8842 §5.3)", rp.setup)
	}
	secs := append([]section(nil), n.secs...)
	for i := range secs {
		if err := applyRemoteSection(&secs[i], s, &s.Media[i], false); err != nil {
			return err
		}
	}
	if err := e.applyTransport(rp, role, ice.RoleControlling); err != nil {
		return err
	}
	n.secs, n.remote, n.pendingOffer = secs, s, false
	e.updateData(rp)
	return nil
}

// applyRemoteSection takes what the peer's m= section m says for our
// section sec: same mid, rejected or not, the payload type of our codec,
// its SSRCs, and the direction: ours limited by the reverse of theirs
// (RFC 3264 §6.1). asAnswerer: sec is answering m.
func applyRemoteSection(sec *section, s *sdp.Session, m *sdp.Media, asAnswerer bool) error {
	if mid, _ := m.MID(); mid != sec.MID {
		return fmt.Errorf("endpoint: m= section %q where %q was expected (RFC 3264 §6: same order)", mid, sec.MID)
	}
	ml := m.MediaLine()
	want := sec.Kind
	if sec.application {
		want = "application"
	}
	if ml.Media != want {
		return fmt.Errorf("endpoint: m= section %s is %s, want %s (RFC 3264 §6)", sec.MID, ml.Media, want)
	}
	if m.Rejected() {
		sec.Rejected = true
		return nil
	}
	if sec.application || sec.Rejected {
		return nil
	}
	pt, ssrcs, ok := remoteFormat(m, sec.Kind)
	if !ok {
		if asAnswerer {
			sec.Rejected = true
			return nil
		}
		return fmt.Errorf("endpoint: answer section %s has no %s format we offered (RFC 3264 §6.1)", sec.MID, sec.Kind)
	}
	sec.PayloadType, sec.RemoteSSRCs = pt, ssrcs
	theirs := s.Direction(m)
	sec.Direction = intersect(sec.Direction, theirs.Reverse())
	if !sec.Direction.Sends() {
		sec.SSRC = 0
	}
	return nil
}

// intersect is the direction both a and b allow.
func intersect(a, b sdp.Direction) sdp.Direction {
	send, recv := a.Sends() && b.Sends(), a.Receives() && b.Receives()
	switch {
	case send && recv:
		return sdp.SendRecv
	case send:
		return sdp.SendOnly
	case recv:
		return sdp.RecvOnly
	}
	return sdp.Inactive
}

// applyTransport gives the ICE agent the peer's credentials and
// candidates (RFC 8839 §5.1, §5.4) and records the DTLS role and the
// fingerprints the certificate must match (RFC 8122 §5). A full peer
// makes the offerer controlling; a lite one makes us controlling
// (RFC 8445 §6.1.1).
func (e *Endpoint) applyTransport(rp remoteParams, role transport.Role, iceRole ice.Role) error {
	n := &e.neg
	if n.transportSet {
		if creds, _ := e.remoteCreds(); creds.Ufrag != rp.ufrag || creds.Pwd != rp.pwd {
			return fmt.Errorf("endpoint: the peer changed its ICE credentials (an ICE restart, RFC 8445 §9), which this endpoint does not support")
		}
		return nil
	}
	var fps []transport.Fingerprint
	for _, f := range rp.fingerprints {
		tf, err := transport.ParseFingerprint(f.String())
		if err != nil {
			return fmt.Errorf("endpoint: a=fingerprint: %w", err)
		}
		fps = append(fps, tf)
	}
	if err := e.agent.SetRemoteCredentials(ice.Credentials{Ufrag: rp.ufrag, Pwd: rp.pwd}, time.Now()); err != nil {
		return err
	}
	if rp.lite {
		e.agent.SetRemoteLite(true)
	} else {
		e.agent.SetRole(iceRole)
	}
	added := 0
	for _, c := range rp.candidates {
		if c.Component != 1 || !strings.EqualFold(c.Transport, "udp") {
			continue
		}
		addr, err := netip.ParseAddr(c.Address)
		if err != nil || c.Port <= 0 || c.Port > 65535 {
			continue // mDNS names (RFC 8839 §5.1 allows FQDNs) are not resolved here
		}
		typ := ice.CandidateHost
		switch c.Type {
		case "srflx":
			typ = ice.CandidateServerReflexive
		case "prflx":
			typ = ice.CandidatePeerReflexive
		case "relay":
			typ = ice.CandidateRelayed
		}
		if e.agent.AddRemoteCandidate(ice.RemoteCandidate{Foundation: c.Foundation, Priority: c.Priority,
			Address: netip.AddrPortFrom(addr, uint16(c.Port)), Type: typ}) == nil {
			added++
		}
	}
	if added == 0 && rp.lite {
		return fmt.Errorf("endpoint: the ICE-lite peer signalled no usable UDP candidate (RFC 8445 §2.5: it never checks)")
	}
	n.role, n.fingerprints, n.transportSet = role, fps, true
	e.wake()
	return nil
}

func (e *Endpoint) remoteCreds() (ice.Credentials, bool) {
	r := e.neg.remote
	if r == nil {
		return ice.Credentials{}, false
	}
	u, p, ok := r.ICECredentials()
	return ice.Credentials{Ufrag: u, Pwd: p}, ok
}

func (e *Endpoint) updateData(rp remoteParams) {
	n := &e.neg
	n.dataChannel = false
	for _, s := range n.secs {
		if s.application && !s.Rejected {
			n.dataChannel = true
		}
	}
	n.peerMaxMsg = 0
	if n.dataChannel {
		n.peerMaxMsg = datachannel.MaxMessageSizeFromSDP(rp.hasMaxMsg, rp.maxMessage)
	}
}

// Answer answers an offer from the peer (RFC 3264 §6, RFC 9429 §5.3): the
// initial offer of another endpoint, or a subsequent offer of a server
// on an established session (its m= sections keep their order, new ones
// are appended, RFC 9429 §5.2.2). Each section is answered with our codec
// in the offer's payload type, the reverse of the offered direction
// limited by ours (new sections: receive only), rejected (port 0) when it
// has no Opus/VP8 or is not audio, video or a data channel. The DTLS
// role: active to actpass (RFC 9429 §5.3.1), the opposite of active or
// passive; on an established session the role stays.
func (e *Endpoint) Answer(offer []byte) ([]byte, error) {
	s, err := sdp.Parse(offer)
	if err != nil {
		return nil, fmt.Errorf("endpoint: offer: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	n := &e.neg
	if n.pendingOffer {
		return nil, fmt.Errorf("endpoint: offer while our own offer is pending (glare, RFC 9429 §4.1.8.1.1); not supported")
	}
	if len(s.Media) < len(n.secs) && n.remote != nil {
		return nil, fmt.Errorf("endpoint: subsequent offer has %d m= sections, fewer than the %d negotiated (RFC 9429 §5.2.2)", len(s.Media), len(n.secs))
	}
	rp, err := readRemote(s)
	if err != nil {
		return nil, err
	}
	role := n.role
	if !n.transportSet {
		switch rp.setup {
		case sdp.SetupActpass, sdp.SetupPassive:
			role = transport.RoleClient
		case sdp.SetupActive:
			role = transport.RoleServer
		default:
			return nil, fmt.Errorf("endpoint: offer a=setup:%s, want actpass, active or passive (RFC 5763 §5)", rp.setup)
		}
	}
	secs := make([]section, len(s.Media))
	used := map[string]bool{}
	for i := range s.Media {
		m := &s.Media[i]
		mid, _ := m.MID()
		if i < len(n.secs) && n.remote != nil {
			secs[i] = n.secs[i]
			if secs[i].MID != mid {
				// RFC 9429 §5.2.2: a recycled (port 0) section may get a new mid.
				secs[i] = section{}
			}
		}
		if secs[i].MID == "" {
			secs[i] = e.newAnswerSection(m, mid, used)
		}
		if err := applyRemoteSection(&secs[i], s, m, true); err != nil {
			return nil, err
		}
		if !secs[i].application && !secs[i].Rejected && secs[i].Direction.Sends() && secs[i].SSRC == 0 {
			secs[i].SSRC = randomUint32()
		}
	}
	iceRole := ice.RoleControlled
	if err := e.applyTransport(rp, role, iceRole); err != nil {
		return nil, err
	}
	setup := sdp.SetupActive
	if role == transport.RoleServer {
		setup = sdp.SetupPassive
	}
	n.version++
	ans, err := e.describe(secs, setup, n.sessID, n.version)
	if err != nil {
		return nil, err
	}
	n.secs, n.remote, n.local = secs, s, ans
	e.updateData(rp)
	return ans.Marshal(), nil
}

// newAnswerSection makes our section for an offered m= section we have
// not negotiated before: our configured direction for the first audio
// and video sections of an initial offer, receive-only otherwise.
func (e *Endpoint) newAnswerSection(m *sdp.Media, mid string, used map[string]bool) section {
	ml := m.MediaLine()
	sec := section{Track: Track{MID: mid}}
	switch ml.Media {
	case "application":
		sec.application = true
		if !e.cfg.DataChannel || !strings.Contains(ml.Proto, "SCTP") {
			sec.Rejected = true
		}
		return sec
	case "audio", "video":
		sec.Kind = ml.Media
		_, sec.ClockRate, _, sec.PayloadType = codecFor(ml.Media)
		sec.Direction = sdp.RecvOnly
		want := e.cfg.Audio
		if ml.Media == "video" {
			want = e.cfg.Video
		}
		if e.neg.remote == nil && want != "" && !used[ml.Media] {
			sec.Direction = want
			used[ml.Media] = true
		}
		return sec
	}
	sec.Kind = ml.Media
	sec.Rejected = true
	return sec
}

// Tracks returns the audio and video sections as negotiated so far.
func (e *Endpoint) Tracks() []Track {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Track
	for _, s := range e.neg.secs {
		if !s.application {
			t := s.Track
			t.RemoteSSRCs = append([]uint32(nil), s.RemoteSSRCs...)
			out = append(out, t)
		}
	}
	return out
}

// Track returns the first negotiated, not rejected section of kind.
func (e *Endpoint) Track(kind string) (Track, bool) {
	for _, t := range e.Tracks() {
		if t.Kind == kind && !t.Rejected {
			return t, true
		}
	}
	return Track{}, false
}
