package sfu

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/plainrtc/plainrtc/annotate"
	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu/transport"
)

// handshakeInfo is what a session's DTLS handshake established, for the
// observers that implement handshakeObserver.
type handshakeInfo struct {
	Role           transport.Role // the SFU's
	CipherSuite    string
	Profile        uint16 // use_srtp (RFC 5764 §4.1.2)
	KeyingMaterial []byte // the exporter's output (RFC 5764 §4.2); the observer's copy
	PeerCert       []byte // the participant's certificate (DER), nil if unknown
	Fingerprints   []transport.Fingerprint
}

// sdpState is what the inspector keeps of the exchanges: the last one,
// to diff the next against and for the STUN passwords of both.
type sdpState struct {
	n                int
	offer, answer    []byte
	sections         []sdpSection
	participantUfrag string // its ICE ufrag: a new one is an ICE restart
}

// sdpSection is one m= section as the participant sees it.
type sdpSection struct {
	mid, kind string
	dir       sdp.Direction // the participant's: sendonly means it sends
	rejected  bool
	codecs    []string
}

// parseSections reads the negotiated sections from an answer; reverse
// turns the SFU's directions into the participant's.
func parseSections(s *sdp.Session, reverse bool) []sdpSection {
	var out []sdpSection
	for i := range s.Media {
		m := &s.Media[i]
		mid, _ := m.MID()
		sec := sdpSection{mid: mid, kind: m.MediaLine().Media, rejected: m.Rejected()}
		if sec.kind != "application" {
			sec.dir = s.Direction(m)
			if reverse {
				sec.dir = sec.dir.Reverse()
			}
			for rm := range m.RTPMaps() {
				if len(sec.codecs) < 4 && !strings.EqualFold(rm.Encoding, "rtx") {
					sec.codecs = append(sec.codecs, rm.Encoding+"/"+strconv.Itoa(int(rm.ClockRate)))
				}
			}
		}
		out = append(out, sec)
	}
	return out
}

func (sec sdpSection) String() string {
	s := "mid " + sec.mid + " " + sec.kind
	switch {
	case sec.rejected:
		s += " stopped (port 0)"
	case sec.kind == "application":
		s += " (data channels)"
	default:
		s += " " + string(sec.dir)
		if len(sec.codecs) > 0 {
			s += " " + strings.Join(sec.codecs, ",")
		}
	}
	return s
}

func sdpUfrag(s *sdp.Session) string {
	if u, _, ok := s.ICECredentials(); ok {
		return u
	}
	for i := range s.Media {
		if u, _, ok := s.Media[i].ICECredentials(); ok {
			return u
		}
	}
	return ""
}

// exchange shows a completed offer/answer with what it changed, and gives
// the annotator its ICE passwords and codec names.
func (b *lineBuilder) exchange(now time.Time, offer, answer []byte) {
	st := &b.sdp
	st.n++
	info := annotate.NewSDPInfo()
	err := info.Add("answer", answer)
	if err == nil {
		err = info.Add("offer", offer)
	}
	if err == nil && st.answer != nil {
		// The previous exchange's passwords: checks of the old ICE
		// generation may still arrive after a restart.
		_ = info.Add("previous answer", st.answer)
		_ = info.Add("previous offer", st.offer)
	}
	if err == nil {
		b.ann.SetSDP(info)
	}
	o, oerr := sdp.Parse(offer)
	a, aerr := sdp.Parse(answer)
	if oerr != nil || aerr != nil {
		b.emit(now, &inspectLine{Layer: "sdp", Count: 1, Ref: "RFC 8866 §5",
			Summary: fmt.Sprintf("offer/answer %d does not parse: offer %v, answer %v", st.n, oerr, aerr)})
		return
	}
	sfuOffered := b.in.sfuFP != "" && bytes.Contains(offer, []byte(b.in.sfuFP))
	who := "participant offered, SFU answered"
	if sfuOffered {
		who = "SFU offered, participant answered"
	}
	secs := parseSections(a, !sfuOffered)
	ou, au := sdpUfrag(o), sdpUfrag(a)
	var d []annotate.Line
	for _, sec := range secs {
		d = append(d, detail(0, "m=", sec.String(), "RFC 8866 §5.14"))
	}
	d = append(d, detail(0, "offer ice-ufrag", ou, "RFC 8839 §5.4"), detail(0, "answer ice-ufrag", au, "RFC 8839 §5.4"))
	var sum, ref string
	if st.n == 1 {
		var parts []string
		for _, sec := range secs {
			parts = append(parts, sec.String())
		}
		sum = fmt.Sprintf("offer/answer 1 (%s): %d sections: %s", who, len(secs), strings.Join(parts, "; "))
		ref = "RFC 3264 §6"
	} else {
		changes := diffSections(st.sections, secs)
		if pu := partyUfrag(ou, au, sfuOffered); st.participantUfrag != "" && pu != st.participantUfrag {
			changes = append(changes, "ICE restart: the participant's ice-ufrag "+st.participantUfrag+" → "+pu)
			ref = "RFC 8445 §9"
		}
		if len(changes) == 0 {
			changes = []string{"no section changed"}
		}
		sum = fmt.Sprintf("renegotiation %d (%s): %s", st.n, who, strings.Join(changes, "; "))
		if ref == "" {
			ref = "RFC 3264 §8"
		}
	}
	st.offer, st.answer, st.sections, st.participantUfrag = offer, answer, secs, partyUfrag(ou, au, sfuOffered)
	b.emit(now, &inspectLine{Layer: "sdp", Count: 1, Summary: truncate(sum, 400), Ref: ref, Detail: d})
}

// partyUfrag is the participant's ufrag of an exchange: in its offer, or
// in its answer to the SFU's offer.
func partyUfrag(offerUfrag, answerUfrag string, sfuOffered bool) string {
	if sfuOffered {
		return answerUfrag
	}
	return offerUfrag
}

// diffSections lists what changed from before to after, by mid:
// sections added, stopped, and direction changes (the participant's view).
func diffSections(before, after []sdpSection) []string {
	old := map[string]sdpSection{}
	for _, s := range before {
		old[s.mid] = s
	}
	var out []string
	for _, s := range after {
		p, ok := old[s.mid]
		switch {
		case !ok:
			out = append(out, "added "+s.String())
		case s.rejected && !p.rejected:
			out = append(out, "stopped mid "+s.mid+" "+s.kind)
		case !s.rejected && p.dir != s.dir:
			out = append(out, fmt.Sprintf("mid %s %s %s → %s", s.mid, s.kind, p.dir, s.dir))
		}
	}
	return out
}

// handshake shows the DTLS result, checks the participant's certificate
// against its a=fingerprint again for the reader, and gives the annotator
// the SRTP keys.
func (b *lineBuilder) handshake(now time.Time, h handshakeInfo) {
	us, them := "client", "server"
	if h.Role == transport.RoleServer {
		us, them = "server", "client"
	}
	profile := transport.SRTPProfile(h.Profile).String()
	b.emit(now, &inspectLine{Layer: "dtls", Count: 1, Ref: "RFC 5764 §4.1.2",
		Summary: fmt.Sprintf("DTLS handshake complete: SFU is DTLS %s, participant %s; cipher suite %s; SRTP profile %s", us, them, h.CipherSuite, profile),
		Detail: []annotate.Line{
			detail(0, "role", "SFU "+us+" (a=setup, RFC 8842 §5)", "RFC 8842 §5"),
			detail(0, "cipher_suite", h.CipherSuite, "RFC 5246 §7.4.1.3"),
			detail(0, "srtp_profile", profile, "RFC 5764 §4.1.2"),
			detail(0, "keys", fmt.Sprintf("%d bytes exported with label %q, split into client and server master keys and salts", len(h.KeyingMaterial), transport.ExporterLabel), "RFC 5764 §4.2"),
		}})
	if len(h.Fingerprints) > 0 {
		verdict := "the participant's certificate matches its a=fingerprint"
		if h.PeerCert == nil {
			verdict = "the participant's certificate was checked against its a=fingerprint during the handshake"
		} else if err := transport.VerifyFingerprint(h.PeerCert, h.Fingerprints); err != nil {
			verdict = "the participant's certificate does NOT match its a=fingerprint: " + err.Error()
		}
		b.emit(now, &inspectLine{Layer: "dtls", Count: 1, Ref: "RFC 8122 §5",
			Summary: "fingerprint: " + verdict + " (" + h.Fingerprints[0].Hash + ")",
			Detail:  []annotate.Line{detail(0, "a=fingerprint", h.Fingerprints[0].String(), "RFC 8122 §5")}})
	}
	keys, err := annotate.KeysFromKeyingMaterial(h.Profile, h.KeyingMaterial)
	if err == nil {
		err = b.ann.SetKeys(keys)
	}
	if err != nil {
		b.emit(now, &inspectLine{Layer: "session", Count: 1, Summary: "SRTP cannot be explained: " + err.Error(), Ref: "RFC 5764 §4.2"})
	}
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n - len("…")
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}
