package sdp

import (
	"hash/fnv"
	"strconv"
	"strings"
)

// Config describes the local side (an ICE-lite, BUNDLE-only, rtcp-mux
// server) for Answer and Offer.
type Config struct {
	// SessionID and SessionVersion fill the o= line (RFC 8866 §5.2). A
	// zero SessionID is derived from ICEUfrag, so answers are deterministic.
	SessionID, SessionVersion uint64
	ICEUfrag, ICEPwd          string        // RFC 8839 §5.4
	Fingerprints              []Fingerprint // our DTLS certificate(s), RFC 8122 §5
	// Setup is the DTLS role taken when the offer says actpass: SetupActive
	// (the default, as RFC 9429 §5.3.1 says the answerer SHOULD, and RFC
	// 5763 §5 lets the answerer start the handshake at once) or
	// SetupPassive. Offers of active or passive get the opposite role.
	Setup Setup
	// Candidates are the server's host candidates (RFC 8839 §5.1); the
	// first UDP one is the default candidate written on the m= and c=
	// lines. a=end-of-candidates follows them: an ICE-lite server has no
	// more (RFC 8840 §8.2).
	Candidates       []Candidate
	Codecs           []Codec  // DefaultCodecs() when nil
	HeaderExtensions []string // supported extmap URIs; DefaultHeaderExtensions() when nil
	DataChannel      bool     // accept a UDP/DTLS/SCTP webrtc-datachannel m= section
	SCTPPort         int      // a=sctp-port, default 5000 (RFC 8841 §5.1)
	MaxMessageSize   uint64   // a=max-message-size, default 262144 (RFC 8841 §6.1)
	// Tracks are the media the server sends, by mid. An m= section whose
	// mid is here is answered with a sending direction when the offer
	// lets the browser receive (RFC 3264 §6.1).
	Tracks map[string]LocalTrack
	// StrictBundle writes ICE credentials, fingerprints and a=setup only
	// in the BUNDLE-tagged m= section, as RFC 9429 §5.2.2 and §5.3.2 say
	// ("If the m= section is bundled into another m= section, it still
	// MUST NOT contain any ICE credentials"). By default they are repeated,
	// with identical values, in every bundled section (RFC 8859 category
	// TRANSPORT/IDENTICAL), as browsers write their own descriptions:
	// Chromium 156 rejects (port 0) every non-tagged bundled section of a
	// subsequent remote offer that lacks them, and Firefox 153 ESR never
	// settles setRemoteDescription of a strict answer (both measured with
	// cmd/sdpinterop). Candidates and a=end-of-candidates are only ever
	// in the tagged section.
	StrictBundle bool
}

// LocalTrack is a track the server sends on one m= section.
type LocalTrack struct {
	StreamID, TrackID string // a=msid (RFC 8830 §2)
	SSRC, RTXSSRC     uint32 // a=ssrc / a=ssrc-group:FID (RFC 5576); 0 omits them
	CNAME             string // a=ssrc cname (RFC 7022)
}

func (c *Config) codecs() []Codec {
	if c.Codecs == nil {
		return DefaultCodecs()
	}
	return c.Codecs
}

func (c *Config) extensions() []string {
	if c.HeaderExtensions == nil {
		return DefaultHeaderExtensions()
	}
	return c.HeaderExtensions
}

func (c *Config) sessionID() uint64 {
	if c.SessionID != 0 {
		return c.SessionID
	}
	h := fnv.New64a()
	h.Write([]byte(c.ICEUfrag))
	return h.Sum64() >> 2 // RFC 9429 §5.2.1: less than 2^63 (and never 0 in practice)
}

// defaultCandidate returns the address and port for m= and c= lines
// (RFC 8839 §4.2.1.2, §5.1): the first UDP candidate, or the JSEP dummy
// 0.0.0.0:9 when there is none (RFC 8840 §4.1.1.1).
func (c *Config) defaultCandidate() (string, int) {
	for _, cand := range c.Candidates {
		if strings.EqualFold(cand.Transport, "udp") {
			return cand.Address, cand.Port
		}
	}
	return "0.0.0.0", 9
}

func (c *Config) check() error {
	if !isICEChars(c.ICEUfrag, 4) || !isICEChars(c.ICEPwd, 22) {
		return errorString("sdp: Config ICEUfrag must be 4-256 and ICEPwd 22-256 ice-chars (RFC 8839 §5.4)")
	}
	if len(c.Fingerprints) == 0 {
		return errorString("sdp: Config needs at least one fingerprint (RFC 8122 §5, RFC 5763 §5)")
	}
	for _, f := range c.Fingerprints {
		if _, err := ParseFingerprint(f.String()); err != nil {
			return err
		}
		// What we write follows the grammar exactly: 2UHEX pairs
		// (RFC 8122 §5); ParseFingerprint also takes lower case from peers.
		if strings.ContainsAny(f.Value, "abcdef") {
			return errorString("sdp: Config fingerprint " + f.Hash + " must be upper-case hex pairs (RFC 8122 §5 UHEX)")
		}
	}
	if c.Setup != "" && c.Setup != SetupActive && c.Setup != SetupPassive {
		return errorString("sdp: Config Setup must be active or passive (RFC 5763 §5)")
	}
	return nil
}

// Protocol identifiers the server accepts (RFC 9429 §5.1.2, RFC 8841 §4).
const (
	ProtoRTP  = "UDP/TLS/RTP/SAVPF"
	ProtoSCTP = "UDP/DTLS/SCTP"
)

// answeredSection is the plan for one m= section of an answer.
type answeredSection struct {
	accept  bool
	formats []string // accepted formats, offer order
}

// Answer builds the answer to a browser offer that RFC 9429 §5.3.1
// requires from an ICE-lite, BUNDLE-only, rtcp-mux server:
//
//   - one m= section per offered one, in order, same media and proto
//     (RFC 3264 §6);
//   - sections it cannot take are rejected with port 0 and left out of
//     BUNDLE: unsupported proto or media, no common format, no rtcp-mux
//     (mandatory, RFC 8834 §4.5), offered with port 0, or outside the
//     first BUNDLE group (the server has one transport: bundle policy
//     max-bundle, RFC 9429 §4.1.1);
//   - a=group:BUNDLE with the accepted mids, the offerer-tagged one first:
//     the first mid of the offered group the server accepts with a
//     non-zero port (RFC 9143 §7.3.1; normally the offer's first);
//     a=ice-lite at session level (RFC 8839 §5.3);
//   - candidates and a=end-of-candidates only in the tagged section (RFC
//     9429 §5.3.2); ICE credentials, fingerprints and a=setup there too,
//     and repeated with identical values in the other bundled sections
//     unless Config.StrictBundle (see there: Chromium needs them);
//   - in each accepted RTP section: mid, direction, rtcp-mux, rtcp-rsize
//     when offered, the supported formats in offer order with their
//     rtpmap/fmtp, RTX whose apt was accepted, rtcp-fb present in both,
//     supported extmaps with the offer's IDs (the MID extension always,
//     RFC 9143 §9.1), msid and ssrc lines when the server sends, and for
//     simulcast offers a=rid:<id> recv plus a=simulcast:recv (RFC 8853 §5.3);
//   - the data channel section with sctp-port and max-message-size
//     (RFC 8841 §5.1, §6.1).
func Answer(offer *Session, cfg *Config) (*Session, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	plan := make([]answeredSection, len(offer.Media))
	group, hasGroup := offer.BundleGroup("")
	for i := range offer.Media {
		m := &offer.Media[i]
		mid, _ := m.MID()
		inGroup := hasGroup && mid != "" && group.Has(mid)
		if hasGroup && !inGroup || !hasGroup && i > 0 {
			continue // max-bundle: only the first group (or first section)
		}
		plan[i] = planSection(offer, m, cfg)
	}
	tagged := -1
	if hasGroup {
		// RFC 9143 §7.3.1: the offerer-tagged section is the first one in
		// the tag list that the answerer neither rejects nor moves out and
		// that has a non-zero port; it becomes the answerer-tagged one.
		for mid := range group.Each() {
			if m, ok := offer.MediaByMID(mid); ok {
				if i := m.index(offer); plan[i].accept && m.MediaLine().Port != 0 {
					tagged = i
					break
				}
			}
		}
		if tagged < 0 {
			// "If there are no more identification-tags ... the answerer
			// MUST NOT create the BUNDLE group"; with one transport the
			// server rejects them all.
			for i := range plan {
				plan[i].accept = false
			}
		}
	} else if len(plan) > 0 && plan[0].accept {
		tagged = 0
	}
	if tagged < 0 {
		return nil, errorString("sdp: offer has no m= section this server can accept as its BUNDLE transport (RFC 9143 §7.3.1)")
	}
	tm := &offer.Media[tagged]
	if _, _, ok := tm.ICECredentials(); !ok {
		if _, _, ok := iceCredentials(offer.SessionLines()); !ok {
			return nil, errorString("sdp: offer has no a=ice-ufrag/a=ice-pwd for its tagged m= section (RFC 8839 §5.4)")
		}
	}
	hasFP := false
	for range offer.Fingerprints(tm) {
		hasFP = true
	}
	if !hasFP {
		return nil, errorString("sdp: offer has no a=fingerprint for its tagged m= section (RFC 8122 §5)")
	}
	setup, err := answerSetup(offer, tm, cfg.Setup)
	if err != nil {
		return nil, err
	}

	var b Builder
	addr, port := cfg.defaultCandidate()
	b.Line('v', "0").Line('o', Origin(cfg.sessionID(), cfg.SessionVersion, "0.0.0.0")).Line('s', "-").Line('t', "0 0")
	if hasGroup {
		v := "BUNDLE"
		mid, _ := tm.MID()
		v += " " + mid
		for i := range offer.Media {
			if mid2, _ := offer.Media[i].MID(); plan[i].accept && i != tagged {
				v += " " + mid2
			}
		}
		b.Attr("group", v)
	}
	b.Flag("ice-lite")
	if offer.HasAttribute("extmap-allow-mixed") {
		b.Flag("extmap-allow-mixed") // RFC 8285 §6: only when offered
	}
	for i := range offer.Media {
		m := &offer.Media[i]
		ml := m.MediaLine()
		if !plan[i].accept {
			b.Line('m', ml.Media+" 0 "+ml.Proto+" "+ml.Formats).Line('c', "IN IP4 0.0.0.0")
			if mid, ok := m.MID(); ok {
				b.Attr("mid", mid)
			}
			if ml.Proto == ProtoRTP && m.RTCPMux() {
				// Keeps rtcp-mux "in the most recent answer" for this slot,
				// which a recycling offer inherits (RFC 9429 §5.2.2);
				// Chromium 156 fails to apply its answer to such an offer
				// otherwise ("Failed to setup RTCP mux").
				b.Flag("rtcp-mux")
			}
			continue
		}
		b.Line('m', ml.Media+" "+strconv.Itoa(port)+" "+ml.Proto+" "+strings.Join(plan[i].formats, " "))
		b.Line('c', Connection(addr))
		if i == tagged || !cfg.StrictBundle {
			b.Attr("ice-ufrag", cfg.ICEUfrag).Attr("ice-pwd", cfg.ICEPwd)
			for _, f := range cfg.Fingerprints {
				b.Attr("fingerprint", f.String())
			}
			b.Attr("setup", string(setup))
		}
		if mid, ok := m.MID(); ok {
			b.Attr("mid", mid)
		}
		if ml.Proto == ProtoSCTP {
			answerDataChannel(&b, cfg)
		} else {
			answerRTP(&b, offer, m, plan[i].formats, cfg)
		}
		if i == tagged {
			for _, c := range cfg.Candidates {
				b.Attr("candidate", c.String())
			}
			b.Flag("end-of-candidates")
		}
	}
	return b.Session()
}

// index returns m's position in s.Media.
func (m *Media) index(s *Session) int {
	for i := range s.Media {
		if s.Media[i].Start == m.Start {
			return i
		}
	}
	return -1
}

// answerSetup picks the answer's a=setup (RFC 5763 §5, RFC 8842 §5.3).
func answerSetup(offer *Session, m *Media, pref Setup) (Setup, error) {
	offered, ok := offer.Setup(m)
	if !ok {
		offered = SetupActive // RFC 4145 §4: absent means active
	}
	switch offered {
	case SetupActpass:
		if pref == "" {
			return SetupActive, nil
		}
		return pref, nil
	case SetupActive:
		return SetupPassive, nil
	case SetupPassive:
		return SetupActive, nil
	}
	return "", errorString("sdp: offer a=setup:" + string(offered) + " leaves no DTLS role to take (RFC 5763 §5)")
}

// planSection decides whether to accept m and with which formats.
func planSection(offer *Session, m *Media, cfg *Config) answeredSection {
	ml := m.MediaLine()
	if ml.Port == 0 && !m.BundleOnly() {
		return answeredSection{} // disabled by the offerer (RFC 9143 §7.5.3)
	}
	switch {
	case ml.Media == "application" && ml.Proto == ProtoSCTP && ml.Formats == "webrtc-datachannel":
		if cfg.DataChannel {
			return answeredSection{accept: true, formats: []string{ml.Formats}}
		}
	case (ml.Media == "audio" || ml.Media == "video") && ml.Proto == ProtoRTP:
		if !m.RTCPMux() {
			return answeredSection{}
		}
		formats := acceptedFormats(m, ml, cfg.codecs())
		return answeredSection{accept: len(formats) > 0, formats: formats}
	}
	return answeredSection{}
}

// acceptedFormats returns the offered formats the server supports, in
// offer order (RFC 9429 §5.3.1), RTX only for accepted primaries.
func acceptedFormats(m *Media, ml MediaLine, codecs []Codec) []string {
	var out []string
	primary := map[string]*Codec{}
	for f := range fields(ml.Formats) {
		r, ok := formatRTPMap(m, f)
		if !ok || strings.EqualFold(r.Encoding, "rtx") {
			continue
		}
		fm, _ := m.FMTP(f)
		for i := range codecs {
			if codecs[i].Kind == ml.Media && codecs[i].Matches(r, fm) {
				primary[f] = &codecs[i]
				break
			}
		}
	}
	for f := range fields(ml.Formats) {
		if primary[f] != nil {
			out = append(out, f)
			continue
		}
		r, ok := formatRTPMap(m, f)
		if !ok || !strings.EqualFold(r.Encoding, "rtx") {
			continue
		}
		fm, _ := m.FMTP(f)
		apt, _ := fm.Param("apt")
		if c := primary[apt]; c != nil && c.RTXPayloadType != 0 {
			out = append(out, f)
		}
	}
	return out
}

// codecFor returns the supported codec an accepted format maps to.
func codecFor(m *Media, kind, f string, codecs []Codec) *Codec {
	r, ok := formatRTPMap(m, f)
	if !ok {
		return nil
	}
	fm, _ := m.FMTP(f)
	for i := range codecs {
		if codecs[i].Kind == kind && codecs[i].Matches(r, fm) {
			return &codecs[i]
		}
	}
	return nil
}

func answerDataChannel(b *Builder, cfg *Config) {
	port := cfg.SCTPPort
	if port == 0 {
		port = 5000
	}
	size := cfg.MaxMessageSize
	if size == 0 {
		size = 262144
	}
	b.Attr("sctp-port", strconv.Itoa(port))
	b.Attr("max-message-size", strconv.FormatUint(size, 10))
}
