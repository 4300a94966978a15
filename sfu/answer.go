package sfu

import (
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/sdp"
)

// Header extensions the SFU negotiates (RFC 8285). Others in an offer are
// left out of the answer, so browsers never send them. From publishers the
// SFU takes the MID (RFC 9143 §14.2) to route packets of unsignalled SSRCs;
// towards subscribers it forwards only extensions whose value stays true
// after forwarding: the audio level (RFC 6464) and video orientation. The
// publisher's MID means nothing to a subscriber (it signals a=ssrc instead),
// and abs-send-time/transport-cc would need the SFU's own bandwidth
// estimation, which this version does not do.
var publishExtensions = map[string]bool{
	rtp.URIMid:              true,
	rtp.URIAudioLevel:       true,
	rtp.URIVideoOrientation: true,
}

var subscribeExtensions = map[string]bool{
	rtp.URIAudioLevel:       true,
	rtp.URIVideoOrientation: true,
}

// participantExtensions are negotiated with a participant, who both
// publishes and subscribes on one connection: the union (sections it sends
// on use the MID; sections the SFU sends on never carry it, forward.go).
var participantExtensions = map[string]bool{
	rtp.URIMid:              true,
	rtp.URIAudioLevel:       true,
	rtp.URIVideoOrientation: true,
}

// answerMedia is the SFU's plan for one m= section of its answer: what the
// engine accepted, with which codec, and (towards subscribers) the SSRC it
// sends with. The SDP itself is written by sdp.Answer.
type answerMedia struct {
	Kind, Proto, Mid string
	Rejected         bool
	Direction        string // ours
	Codecs           []codec
	Extmaps          []extmap
	SSRC             uint32 // sending SSRC, 0 when not sending
	CNAME            string
	StreamID         string // a=msid stream and track ids (RFC 8830 §2)
	TrackID          string
	SCTPPort         int
}

// answerParams are the transport attributes shared by every section.
type answerParams struct {
	Ufrag, Pwd  string
	Fingerprint string // "sha-256 AB:..."
	Setup       string // active or passive (RFC 8842 §5.3)
	Candidates  []netip.AddrPort
}

// writeAnswer has sdp.Answer write the answer to o (RFC 8829 §5.3 for an
// ICE-lite, BUNDLE-only, rtcp-mux server) with only what the engine planned:
// the chosen codec of each section, the supported extensions, the SSRCs
// of outgoing streams and the data channel.
func writeAnswer(o *offer, p answerParams, media []answerMedia, exts map[string]bool) ([]byte, error) {
	cfg := answerConfig(p, exts)
	for _, m := range media {
		if m.Rejected {
			continue
		}
		if m.Kind == "application" {
			cfg.DataChannel = true
			continue
		}
		for _, c := range m.Codecs {
			if hasCodec(cfg.Codecs, m.Kind, c) {
				continue
			}
			sc := sdp.Codec{Kind: m.Kind, Name: c.Name, ClockRate: c.Clock, FMTP: c.Fmtp}
			if c.Channels > 0 {
				sc.Channels = strconv.Itoa(c.Channels)
			}
			for _, fb := range c.FB {
				typ, param, _ := strings.Cut(fb, " ")
				sc.Feedback = append(sc.Feedback, sdp.RTCPFB{Type: typ, Param: param})
			}
			cfg.Codecs = append(cfg.Codecs, sc)
		}
		if m.SSRC != 0 {
			cfg.Tracks[m.Mid] = sdp.LocalTrack{StreamID: m.StreamID, TrackID: m.TrackID, SSRC: m.SSRC, CNAME: m.CNAME}
		}
	}
	a, err := sdp.Answer(o.SDP, cfg)
	if err != nil {
		return nil, &badSDP{err.Error()}
	}
	// sdp.Answer repeats a=fingerprint and a=setup in every accepted
	// bundled section (Config.StrictBundle is off): Firefox ESR 153 does
	// not start ICE for a recvonly (WHEP) offer otherwise.
	return a.Marshal(), nil
}

// answerConfig is the sdp.Config of our answers and later offers: the
// transport attributes shared by every section, the extensions.
func answerConfig(p answerParams, exts map[string]bool) *sdp.Config {
	hash, value, _ := strings.Cut(p.Fingerprint, " ")
	cfg := &sdp.Config{
		ICEUfrag:     p.Ufrag,
		ICEPwd:       p.Pwd,
		Fingerprints: []sdp.Fingerprint{{Hash: hash, Value: value}},
		Setup:        sdp.Setup(p.Setup),
		Codecs:       []sdp.Codec{},
		Tracks:       map[string]sdp.LocalTrack{},
		// RFC 8841 §6.1: what the data channel echo receives (and the
		// most it sends back to a peer that advertises 0, "any size").
		MaxMessageSize: localMaxMessageSize,
	}
	for uri := range exts {
		cfg.HeaderExtensions = append(cfg.HeaderExtensions, uri)
	}
	sort.Strings(cfg.HeaderExtensions)
	for i, c := range p.Candidates {
		cfg.Candidates = append(cfg.Candidates, sdp.Candidate{Foundation: strconv.Itoa(i + 1), Component: 1, Transport: "udp",
			Priority: uint32(2130706431 - i), Address: c.Addr().String(), Port: int(c.Port()), Type: "host"})
	}
	return cfg
}

// hasCodec reports whether cs already holds c's format for kind.
func hasCodec(cs []sdp.Codec, kind string, c codec) bool {
	for i := range cs {
		if cs[i].Kind == kind && cs[i].Matches(sdp.RTPMap{Encoding: c.Name, ClockRate: c.Clock, Params: channelsParam(c.Channels)}, sdp.FMTP{Params: c.Fmtp}) {
			return true
		}
	}
	return false
}

// supportedFeedback filters a codec's rtcp-fb to what the SFU handles:
// NACK (answered from a packet cache towards subscribers), PLI and FIR
// (RFC 4585 §6.2-6.3, RFC 5104 §3.5.1). transport-cc and goog-remb are not
// negotiated: the SFU sends no bandwidth feedback in this version.
func supportedFeedback(fb []string, kind string) []string {
	var out []string
	for _, f := range fb {
		switch f {
		case "nack", "nack pli", "ccm fir":
			if kind == "video" {
				out = append(out, f)
			}
		}
	}
	return out
}

// videoPreference orders video codecs the SFU prefers to receive: VP8 first,
// as both Chromium and Firefox decode it, then H264 and VP9.
var videoPreference = []string{"vp8", "h264", "vp9", "av1"}

// chooseReceiveCodec picks the codec a publisher should send on an m= line,
// or false when none is usable.
func chooseReceiveCodec(m offerMedia) (codec, bool) {
	switch m.Kind {
	case "audio":
		for _, c := range m.Codecs {
			if strings.EqualFold(c.Name, "opus") && c.Clock == 48000 {
				return c, true
			}
		}
	case "video":
		for _, name := range videoPreference {
			for _, c := range m.Codecs {
				if strings.ToLower(c.Name) != name {
					continue
				}
				if name == "h264" && c.fmtpParam("packetization-mode") != "1" {
					continue
				}
				return c, true
			}
		}
	}
	return codec{}, false
}

// matchCodec finds in a subscriber's offered codecs the one that carries the
// source codec unchanged (sameFormat), so only the payload type is rewritten.
func matchCodec(offered []codec, src codec) (codec, bool) {
	for _, c := range offered {
		if src.sameFormat(c) {
			return c, true
		}
	}
	return codec{}, false
}

// answerExtmaps keeps the offered extensions in the supported set.
func answerExtmaps(offered []extmap, supported map[string]bool) []extmap {
	var out []extmap
	for _, e := range offered {
		if supported[e.URI] {
			out = append(out, e)
		}
	}
	return out
}

// rejectSection records an m= section the SFU does not take; sdp.Answer
// rejects it unless another section's codec happens to fit it.
func rejectSection(m offerMedia) answerMedia {
	return answerMedia{Kind: m.Kind, Proto: m.Proto, Mid: m.Mid, Rejected: true}
}
