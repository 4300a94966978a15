package sfu

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu/datachannel"
)

// codec is one payload format of an m= section: a=rtpmap, a=fmtp and
// a=rtcp-fb joined by payload type (RFC 8866 §6.6, §6.15; RFC 4585 §4.2).
type codec struct {
	PT       uint8
	Name     string // encoding name as written (e.g. "VP8", "opus")
	Clock    uint32
	Channels int    // 0 when absent
	Fmtp     string // a=fmtp parameters, "" when absent
	FB       []string
}

// sameFormat reports whether o carries the same media format as c, so that
// packets of one can be forwarded as the other with only the payload type
// rewritten: sdp.Codec.Matches decides (name, clock rate, channels, and the
// H264 profile and packetization-mode or VP9 profile-id, RFC 6184 §8.2.2).
func (c codec) sameFormat(o codec) bool {
	sc := sdp.Codec{Name: c.Name, ClockRate: c.Clock, FMTP: c.Fmtp}
	if c.Channels > 0 || o.Channels > 0 {
		sc.Kind = "audio"                       // channels compared
		sc.Channels = channelsParam(c.Channels) // absent: 1, or 2 for Opus (sdp.Codec.Matches)
	}
	return sc.Matches(sdp.RTPMap{Encoding: o.Name, ClockRate: o.Clock, Params: channelsParam(o.Channels)}, sdp.FMTP{Params: o.Fmtp})
}

func channelsParam(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// fmtpParam returns one a=fmtp parameter of c (RFC 8866 §6.15).
func (c codec) fmtpParam(key string) string {
	v, _ := sdp.FMTP{Params: c.Fmtp}.Param(key)
	return v
}

// extmap is one a=extmap line (RFC 8285 §8).
type extmap struct {
	ID  uint8
	URI string
}

// offerMedia is what the SFU needs from one m= section of an offer.
type offerMedia struct {
	Kind      string // audio, video, application
	Proto     string
	Mid       string
	Direction string // sendrecv, sendonly, recvonly, inactive
	Rejected  bool
	Codecs    []codec // in m= line preference order
	Extmaps   []extmap
	SSRCs     []uint32 // a=ssrc ids in order of appearance, deduplicated
	FIDs      [][2]uint32
	CNAME     string
	RTCPRsize bool
	SCTPPort  int
	// MaxMessageSize is a=max-message-size (RFC 8841 §6.1), when
	// HasMaxMessageSize.
	MaxMessageSize    uint64
	HasMaxMessageSize bool
}

// offer is a parsed remote offer.
type offer struct {
	Raw         []byte
	SDP         *sdp.Session
	Ufrag, Pwd  string
	Fingerprint string // "sha-256 AB:CD:..."
	Setup       string
	Media       []offerMedia
	// Quirks the SFU tolerates, counted and logged once per server
	// (noteOfferQuirks): ice-options it ignores (unknown, or not
	// space-separated tokens), and Opus rtpmaps without "/2".
	IgnoredICEOptions   []string
	OpusWithoutChannels bool
}

// badSDP is an offer the SFU cannot answer; signaling maps it to 400.
type badSDP struct{ reason string }

func (e *badSDP) Error() string { return "sfu: bad offer: " + e.reason }

func badf(format string, a ...any) error { return &badSDP{fmt.Sprintf(format, a...)} }

// parseOffer parses an SDP offer from a WebRTC client with the sdp
// package's accessors and checks that it is something a BUNDLE-only,
// rtcp-mux, ICE-lite server can answer (RFC 8829 §5.3, RFC 8843, RFC 8839
// §5.4, RFC 8842 §5).
func parseOffer(b []byte) (*offer, error) {
	s, err := sdp.Parse(b)
	if err != nil {
		return nil, &badSDP{err.Error()}
	}
	// a=ice-options is read leniently (iceOptions): the SFU uses none of
	// them, and libdatachannel writes "ice2,trickle".
	if err := s.ValidateExcept("ice-options"); err != nil {
		return nil, &badSDP{err.Error()}
	}
	o := &offer{Raw: b, SDP: s}
	o.IgnoredICEOptions = iceOptionsIgnored(s)
	var ok bool
	if o.Ufrag, o.Pwd, ok = s.ICECredentials(); !ok {
		return nil, badf("no a=ice-ufrag/a=ice-pwd (RFC 8839 §5.4)")
	}
	if len(s.Media) == 0 {
		return nil, badf("no m= sections")
	}
	for i := range s.Media {
		m := &s.Media[i]
		ml := m.MediaLine()
		om := offerMedia{Kind: ml.Media, Proto: ml.Proto, Rejected: m.Rejected(), Direction: string(s.Direction(m)), RTCPRsize: m.RTCPRsize()}
		om.Mid, _ = m.MID()
		om.SCTPPort, _ = m.SCTPPort()
		om.MaxMessageSize, om.HasMaxMessageSize = m.MaxMessageSize()
		ml.EachFormat(func(f string) {
			pt, err := strconv.Atoi(f)
			if err != nil || pt < 0 || pt > 127 {
				return
			}
			c := codec{PT: uint8(pt)}
			if r, ok := m.RTPMap(uint8(pt)); ok {
				c.Name, c.Clock = r.Encoding, r.ClockRate
				c.Channels, _ = strconv.Atoi(r.Params)
				if c.Channels == 0 && r.Params == "" && strings.EqualFold(c.Name, "opus") {
					// RFC 7587 §7 requires opus/48000/2; GStreamer's
					// webrtcbin writes opus/48000. Same format: stereo
					// Opus (sdp.Codec.Matches reads it so too).
					c.Channels = 2
					o.OpusWithoutChannels = true
				}
			}
			if fm, ok := m.FMTP(f); ok {
				c.Fmtp = fm.Params
			}
			for fb := range m.RTCPFeedback(f) {
				c.FB = append(c.FB, strings.TrimSpace(fb.Type+" "+fb.Param))
			}
			om.Codecs = append(om.Codecs, c)
		})
		for e := range s.ExtMaps(m) {
			if e.ID > 0 && e.ID < 256 {
				om.Extmaps = append(om.Extmaps, extmap{ID: uint8(e.ID), URI: e.URI})
			}
		}
		seen := map[uint32]bool{}
		for x := range m.SSRCs() {
			if !seen[x.ID] {
				seen[x.ID] = true
				om.SSRCs = append(om.SSRCs, x.ID)
			}
			if x.Attribute == "cname" {
				om.CNAME = x.Value
			}
		}
		for g := range m.SSRCGroups() {
			var ids []uint32
			for id := range g.Each() {
				ids = append(ids, id)
			}
			if g.Semantics == "FID" && len(ids) == 2 {
				om.FIDs = append(om.FIDs, [2]uint32{ids[0], ids[1]})
			}
		}
		if om.Rejected {
			o.Media = append(o.Media, om)
			continue
		}
		if om.Mid == "" {
			return nil, badf("m= section %d has no a=mid (RFC 8843 §9.1, RFC 8829 §5.2.1)", i)
		}
		var fp string
		for f := range s.Fingerprints(m) {
			fp = f.Hash + " " + f.Value
			if strings.EqualFold(f.Hash, "sha-256") {
				break
			}
		}
		if fp == "" {
			return nil, badf("m= section %d (mid %s) has no a=fingerprint (RFC 8122 §5)", i, om.Mid)
		}
		if o.Fingerprint == "" {
			o.Fingerprint = fp
		}
		if setup, ok := s.Setup(m); ok && o.Setup == "" {
			o.Setup = string(setup)
		}
		if !strings.Contains(ml.Proto, "TLS") && !strings.Contains(ml.Proto, "DTLS") {
			return nil, badf("m= section %d (mid %s) proto %q is not DTLS-SRTP or DTLS/SCTP (RFC 8827 §6.5)", i, om.Mid, ml.Proto)
		}
		o.Media = append(o.Media, om)
	}
	if _, _, err := dtlsRole(o.Setup); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(strings.ToLower(o.Fingerprint), "sha-256 ") {
		return nil, badf("a=fingerprint %q: want a sha-256 fingerprint (RFC 8122 §5)", o.Fingerprint)
	}
	return o, nil
}

// peerMaxMessageSize is the largest data channel message the peer accepts
// (RFC 8841 §6.1): its a=max-message-size, 64 KiB when absent, and for 0
// ("any size") the most the SFU itself takes.
func (o *offer) peerMaxMessageSize() uint32 {
	for _, m := range o.Media {
		if m.Kind == "application" && !m.Rejected {
			return datachannel.MaxMessageSizeFromSDP(m.HasMaxMessageSize, m.MaxMessageSize)
		}
	}
	return datachannel.DefaultMaxMessageSize
}

// knownICEOptions are the a=ice-options tags the SFU recognises; an
// ICE-lite server acts on none of them (RFC 8839 §5.6: unknown options are
// ignored).
var knownICEOptions = map[string]bool{
	"trickle":      true, // RFC 8838 §4.1.1
	"ice2":         true, // RFC 8445 §10
	"renomination": true, // draft-thatcher-ice-renomination, libwebrtc
}

// iceOptionsIgnored lists the a=ice-options parts of s, session and media
// level, that are unknown or malformed (not space-separated tokens, as
// libdatachannel's "ice2,trickle"). They are ignored, not refused.
func iceOptionsIgnored(s *sdp.Session) []string {
	var out []string
	add := func(v string, ok bool) {
		if !ok {
			return
		}
		tags, malformed := sdp.ICEOptionTags(v)
		for _, t := range tags {
			if !knownICEOptions[t] && !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
		for _, t := range malformed {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	add(s.Attribute("ice-options"))
	for i := range s.Media {
		v, ok := s.Media[i].Attribute("ice-options")
		add(v, ok)
	}
	return out
}
