package endpoint

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/plainrtc/plainrtc/sdp"
)

// Payload types and formats the endpoint offers: Opus (RFC 7587) and VP8
// (RFC 7741), the two codecs every WebRTC endpoint implements (RFC 7874
// §3, RFC 7742 §5).
const (
	OpusPayloadType = 111
	VP8PayloadType  = 96
	sctpPort        = 5000   // RFC 8841 §5.1
	maxMessageSize  = 262144 // a=max-message-size we accept (RFC 8841 §6.1)
)

// Track is one audio or video m= section as negotiated.
type Track struct {
	Kind      string // "audio" or "video"
	MID       string
	Direction sdp.Direction // ours, after negotiation
	// PayloadType and ClockRate are the negotiated Opus or VP8 format:
	// what the caller writes into the RTP it sends, and what arrives.
	PayloadType uint8
	ClockRate   uint32
	// SSRC is the one we send with (a=ssrc of our description); 0 when
	// we do not send.
	SSRC uint32
	// RemoteSSRCs are the peer's a=ssrc ids in this section.
	RemoteSSRCs []uint32
	Rejected    bool // port 0 in the answer (RFC 3264 §6)
}

// section is one m= section of our side.
type section struct {
	Track
	application bool
}

func codecFor(kind string) (name string, clock uint32, channels string, pt uint8) {
	if kind == "audio" {
		return "opus", 48000, "2", OpusPayloadType
	}
	return "VP8", 90000, "", VP8PayloadType
}

func randomUint32() uint32 {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return binary.BigEndian.Uint32(b[:]) | 1
}

// describe writes our session description (offer or answer) for the
// sections: BUNDLE over every accepted section (RFC 9143), ICE
// credentials, our fingerprint and a=setup in each (RFC 8839 §5.4, RFC
// 8122 §5, RFC 8842 §5), our host candidate and a=end-of-candidates in
// the first (no trickle, RFC 8840 §8.2), rtcp-mux (RFC 8834 §4.5), the
// codec with its RTCP feedback, and a=msid/a=ssrc for what we send.
func (e *Endpoint) describe(secs []section, setup sdp.Setup, sessID, version uint64) (*sdp.Session, error) {
	host := e.laddr.Addr().String()
	creds := e.agentCredentials()
	cand := e.hostCandidate()
	var b sdp.Builder
	b.Line('v', "0").Line('o', sdp.Origin(sessID, version, host)).Line('s', "-").Line('t', "0 0")
	var bundle []string
	for _, s := range secs {
		if !s.Rejected {
			bundle = append(bundle, s.MID)
		}
	}
	if len(bundle) > 0 {
		b.Attr("group", "BUNDLE "+strings.Join(bundle, " "))
	}
	b.Attr("msid-semantic", " WMS plainrtc")
	first := true
	for _, s := range secs {
		port := e.laddr.Port()
		if s.Rejected {
			port = 0
		}
		if s.application {
			b.Line('m', "application "+strconv.Itoa(int(port))+" UDP/DTLS/SCTP webrtc-datachannel")
		} else {
			b.Line('m', s.Kind+" "+strconv.Itoa(int(port))+" UDP/TLS/RTP/SAVPF "+strconv.Itoa(int(s.PayloadType)))
		}
		b.Line('c', sdp.Connection(host))
		b.Attr("mid", s.MID)
		if s.Rejected {
			continue
		}
		b.Attr("ice-ufrag", creds.Ufrag).Attr("ice-pwd", creds.Pwd)
		b.Attr("fingerprint", e.cert.Fingerprint().String())
		b.Attr("setup", string(setup))
		if first {
			b.Attr("candidate", cand.String())
			b.Flag("end-of-candidates")
			first = false
		}
		if s.application {
			b.Attr("sctp-port", strconv.Itoa(sctpPort))
			b.Attr("max-message-size", strconv.Itoa(maxMessageSize))
			continue
		}
		b.Flag(string(s.Direction))
		cname := "plainrtc-" + creds.Ufrag
		if s.Direction.Sends() {
			b.Attr("msid", "plainrtc "+s.Kind+"-"+s.MID)
		}
		b.Flag("rtcp-mux")
		b.Flag("rtcp-rsize")
		name, clock, ch, _ := codecFor(s.Kind)
		rtpmap := strconv.Itoa(int(s.PayloadType)) + " " + name + "/" + strconv.Itoa(int(clock))
		if ch != "" {
			rtpmap += "/" + ch
		}
		b.Attr("rtpmap", rtpmap)
		pt := strconv.Itoa(int(s.PayloadType))
		if s.Kind == "audio" {
			b.Attr("fmtp", pt+" minptime=10;useinbandfec=1")
		} else {
			b.Attr("rtcp-fb", pt+" nack").Attr("rtcp-fb", pt+" nack pli").Attr("rtcp-fb", pt+" ccm fir")
		}
		if s.Direction.Sends() && s.SSRC != 0 {
			b.Attr("ssrc", strconv.FormatUint(uint64(s.SSRC), 10)+" cname:"+cname)
		}
	}
	return b.Session()
}

// remoteParams are what the peer's description says about the transport.
type remoteParams struct {
	ufrag, pwd   string
	lite         bool
	setup        sdp.Setup
	fingerprints []sdp.Fingerprint
	candidates   []sdp.Candidate
	maxMessage   uint64
	hasMaxMsg    bool
}

// readRemote collects the transport parameters of a remote description
// from its first accepted section (BUNDLE: one transport, RFC 9143).
func readRemote(s *sdp.Session) (remoteParams, error) {
	var p remoteParams
	var ok bool
	if p.ufrag, p.pwd, ok = s.ICECredentials(); !ok {
		return p, fmt.Errorf("endpoint: remote description has no a=ice-ufrag/a=ice-pwd (RFC 8839 §5.4)")
	}
	p.lite = s.ICELite()
	var first *sdp.Media
	for i := range s.Media {
		m := &s.Media[i]
		if m.Rejected() {
			continue
		}
		if first == nil {
			first = m
		}
		for c := range m.Candidates() {
			p.candidates = append(p.candidates, c)
		}
		if m.MediaLine().Media == "application" {
			p.maxMessage, p.hasMaxMsg = m.MaxMessageSize()
		}
	}
	if first == nil {
		return p, fmt.Errorf("endpoint: remote description accepts no m= section")
	}
	for f := range s.Fingerprints(first) {
		p.fingerprints = append(p.fingerprints, f)
	}
	if len(p.fingerprints) == 0 {
		return p, fmt.Errorf("endpoint: remote description has no a=fingerprint (RFC 8122 §5, RFC 8827 §6.5)")
	}
	p.setup, _ = s.Setup(first)
	return p, nil
}

// remoteFormat returns the payload type the remote section m uses for
// our codec of kind (Opus or VP8, by name and clock rate, RFC 3264 §6.1),
// and the peer's a=ssrc ids there.
func remoteFormat(m *sdp.Media, kind string) (pt uint8, ssrcs []uint32, ok bool) {
	name, clock, _, _ := codecFor(kind)
	m.MediaLine().EachFormat(func(f string) {
		if ok {
			return
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n > 127 {
			return
		}
		if r, has := m.RTPMap(uint8(n)); has && strings.EqualFold(r.Encoding, name) && r.ClockRate == clock {
			pt, ok = uint8(n), true
		}
	})
	for s := range m.SSRCs() {
		if len(ssrcs) == 0 || ssrcs[len(ssrcs)-1] != s.ID {
			ssrcs = append(ssrcs, s.ID)
		}
	}
	return pt, ssrcs, ok
}
