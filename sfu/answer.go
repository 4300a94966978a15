package sfu

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/plainrtc/plainrtc/rtp"
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

// answerMedia is one m= section of an answer.
type answerMedia struct {
	Kind, Proto, Mid string
	Rejected         bool
	RejectFormats    string // echoed m= formats of a rejected section
	Direction        string // ours
	Codecs           []codec
	Extmaps          []extmap
	RTCPRsize        bool
	SSRC             uint32 // sending SSRC, 0 when not sending
	CNAME, MSID      string // "stream track"
	SCTPPort         int
}

// answerParams are the transport attributes shared by every section.
type answerParams struct {
	SessionID   uint64
	Ufrag, Pwd  string
	Fingerprint string // "sha-256 AB:..."
	Setup       string // active or passive (RFC 8842 §5.3)
	Candidates  []netip.AddrPort
}

// maxMessageSize is the a=max-message-size the SFU announces (RFC 8841 §6).
const maxMessageSize = 262144

// marshalAnswer writes the answer SDP (RFC 8829 §5.3, BUNDLE per RFC 8843
// §7.3, ICE-lite per RFC 8839 §5.3) with CRLF line ends.
func marshalAnswer(p answerParams, media []answerMedia) []byte {
	var b strings.Builder
	line := func(format string, a ...any) {
		fmt.Fprintf(&b, format, a...)
		b.WriteString("\r\n")
	}
	addr := "127.0.0.1"
	port := 9
	if len(p.Candidates) > 0 {
		addr = p.Candidates[0].Addr().String()
		port = int(p.Candidates[0].Port())
	}
	ipver := "IP4"
	if len(p.Candidates) > 0 && p.Candidates[0].Addr().Is6() {
		ipver = "IP6"
	}
	line("v=0")
	line("o=plainrtc %d 2 IN %s %s", p.SessionID, ipver, addr)
	line("s=-")
	line("t=0 0")
	line("a=ice-lite")
	var mids []string
	for _, m := range media {
		if !m.Rejected {
			mids = append(mids, m.Mid)
		}
	}
	if len(mids) > 0 {
		line("a=group:BUNDLE %s", strings.Join(mids, " "))
	}
	line("a=msid-semantic: WMS *")
	for _, m := range media {
		if m.Rejected {
			line("m=%s 0 %s %s", m.Kind, m.Proto, m.RejectFormats)
			line("c=IN %s 0.0.0.0", ipver)
			if m.Mid != "" {
				line("a=mid:%s", m.Mid)
			}
			line("a=inactive")
			continue
		}
		if m.Kind == "application" {
			line("m=application %d %s webrtc-datachannel", port, m.Proto)
		} else {
			pts := make([]string, len(m.Codecs))
			for i, c := range m.Codecs {
				pts[i] = fmt.Sprint(c.PT)
			}
			line("m=%s %d %s %s", m.Kind, port, m.Proto, strings.Join(pts, " "))
		}
		line("c=IN %s %s", ipver, addr)
		line("a=mid:%s", m.Mid)
		line("a=ice-ufrag:%s", p.Ufrag)
		line("a=ice-pwd:%s", p.Pwd)
		line("a=fingerprint:%s", p.Fingerprint)
		line("a=setup:%s", p.Setup)
		for i, c := range p.Candidates {
			line("a=candidate:%d 1 udp %d %s %d typ host", i+1, 2130706431-i, c.Addr(), c.Port())
		}
		line("a=end-of-candidates")
		if m.Kind == "application" {
			line("a=sctp-port:%d", m.SCTPPort)
			line("a=max-message-size:%d", maxMessageSize)
			continue
		}
		line("a=%s", m.Direction)
		line("a=rtcp-mux")
		if m.RTCPRsize {
			line("a=rtcp-rsize")
		}
		for _, e := range m.Extmaps {
			line("a=extmap:%d %s", e.ID, e.URI)
		}
		for _, c := range m.Codecs {
			if c.Channels > 0 {
				line("a=rtpmap:%d %s/%d/%d", c.PT, c.Name, c.Clock, c.Channels)
			} else {
				line("a=rtpmap:%d %s/%d", c.PT, c.Name, c.Clock)
			}
			if c.Fmtp != "" {
				line("a=fmtp:%d %s", c.PT, c.Fmtp)
			}
			for _, fb := range c.FB {
				line("a=rtcp-fb:%d %s", c.PT, fb)
			}
		}
		if m.SSRC != 0 {
			line("a=msid:%s", m.MSID)
			line("a=ssrc:%d cname:%s", m.SSRC, m.CNAME)
			line("a=ssrc:%d msid:%s", m.SSRC, m.MSID)
		}
	}
	return []byte(b.String())
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
				if name == "h264" && fmtpParams(c.Fmtp)["packetization-mode"] != "1" {
					continue
				}
				return c, true
			}
		}
	}
	return codec{}, false
}

// matchCodec finds in a subscriber's offered codecs the one that carries the
// source codec unchanged (same key), so only the payload type is rewritten.
func matchCodec(offered []codec, src codec) (codec, bool) {
	want := src.key()
	for _, c := range offered {
		if c.key() == want {
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

// rejectSection echoes an m= section the SFU does not take (RFC 8829 §5.3.1).
func rejectSection(m offerMedia) answerMedia {
	fmts := "0"
	if m.Kind == "application" {
		fmts = "webrtc-datachannel"
	} else if len(m.Codecs) > 0 {
		fmts = fmt.Sprint(m.Codecs[0].PT)
	}
	proto := m.Proto
	if proto == "" {
		proto = "UDP/TLS/RTP/SAVPF"
	}
	return answerMedia{Kind: m.Kind, Proto: proto, Mid: m.Mid, Rejected: true, RejectFormats: fmts}
}
