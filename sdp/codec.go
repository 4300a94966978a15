package sdp

import (
	"strconv"
	"strings"
)

// Codec is a media format the local side supports, used to answer offers
// (RFC 3264 §6.1, RFC 9429 §5.3.1) and to build offers.
type Codec struct {
	Kind        string // "audio" or "video"
	Name        string // encoding name: "opus", "VP8", "VP9", "H264"
	ClockRate   uint32
	Channels    string // encoding parameters, "2" for Opus; "" for video
	FMTP        string // parameters; for H264 and VP9 those that must match (see Matches)
	PayloadType uint8  // used when offering
	// RTXPayloadType enables RTP retransmission (RFC 4588) for the codec:
	// offered rtx formats whose apt names this codec are accepted, and
	// offers use this payload type. 0 means no RTX.
	RTXPayloadType uint8
	Feedback       []RTCPFB // supported RTCP feedback (RFC 4585 §4.2); Format is ignored
}

// Matches reports whether an offered format (its rtpmap and fmtp
// parameters) is this codec: same encoding name (case-insensitive, RFC
// 4855 §3), clock rate and channels (an Opus rtpmap without channels
// counts as 2, see channelsOf), and for
//   - H264: the same packetization-mode (default 0) and profile (see
//     h264Profile: profile_idc and the constraint flags) of profile-level-id; the
//     level may differ (RFC 6184 §8.2.2 lets the answerer pick its level),
//   - VP9: the same profile-id (default 0, RFC 9628).
func (c *Codec) Matches(r RTPMap, fmtp FMTP) bool {
	if !strings.EqualFold(c.Name, r.Encoding) || c.ClockRate != r.ClockRate {
		return false
	}
	if c.Kind == "audio" && channelsOf(c.Name, c.Channels) != channelsOf(r.Encoding, r.Params) {
		return false
	}
	mine := FMTP{Params: c.FMTP}
	switch strings.ToUpper(c.Name) {
	case "H264":
		a, _ := mine.Param("packetization-mode")
		b, _ := fmtp.Param("packetization-mode")
		if def(a, "0") != def(b, "0") {
			return false
		}
		pa, _ := mine.Param("profile-level-id")
		pb, _ := fmtp.Param("profile-level-id")
		return h264Profile(def(pa, "42000a")) == h264Profile(def(pb, "42000a"))
	case "VP9":
		a, _ := mine.Param("profile-id")
		b, _ := fmtp.Param("profile-id")
		return def(a, "0") == def(b, "0")
	}
	return true
}

func def(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

func channels(s string) string { return def(s, "1") }

// channelsOf is the channel count of an rtpmap's encoding parameters:
// absent means 1 (RFC 8866 §6.6), except for Opus, whose rtpmap RFC 7587 §7
// fixes as opus/48000/2 whatever is sent. GStreamer's webrtcbin writes
// "opus/48000": that is read as the same stereo Opus, not as a mono
// format that would match nothing.
func channelsOf(name, params string) string {
	if params == "" && strings.EqualFold(name, "opus") {
		return "2"
	}
	return channels(params)
}

// h264Profile reduces a profile-level-id (RFC 6184 §8.1: profile_idc,
// profile-iop, level_idc as hex) to the profile it names, by RFC 6184 §8.1
// Table 5 (constraint_set0..3 flags are the top bits of profile-iop):
//
//	Constrained Baseline  42 x1xx…, 4D 1xxx…, 58 11xx…
//	Baseline              42 x0xx…, 58 10xx…
//	Extended              58 0xxx…
//	Main                  4D 0xxx…
//
// plus Constrained High, 64 with constraint_set4 and set5 (ITU-T H.264
// Annex A, later than RFC 6184; libwebrtc offers it beside High as a
// different format). Any other profile_idc stands for itself. Returns -1 when malformed.
func h264Profile(plid string) int {
	if len(plid) != 6 {
		return -1
	}
	v, err := strconv.ParseUint(plid, 16, 32)
	if err != nil {
		return -1
	}
	const (
		constrainedBaseline = 0x142
		constrainedHigh     = 0x164
		set0, set1          = 0x80, 0x40
		set4and5            = 0x0c
	)
	idc, iop := int(v>>16), int(v>>8&0xff)
	switch {
	case idc == 0x42 && iop&set1 != 0,
		idc == 0x4d && iop&set0 != 0,
		idc == 0x58 && iop&(set0|set1) == set0|set1:
		return constrainedBaseline
	case idc == 0x58 && iop&set0 != 0:
		return 0x42 // Baseline
	case idc == 0x64 && iop&set4and5 == set4and5:
		return constrainedHigh
	}
	return idc
}

// staticRTPMap gives the rtpmap of the static payload types WebRTC
// offers without a=rtpmap (RFC 3551 §6).
func staticRTPMap(pt uint8) (RTPMap, bool) {
	switch pt {
	case 0:
		return RTPMap{PayloadType: 0, Encoding: "PCMU", ClockRate: 8000}, true
	case 8:
		return RTPMap{PayloadType: 8, Encoding: "PCMA", ClockRate: 8000}, true
	case 9:
		return RTPMap{PayloadType: 9, Encoding: "G722", ClockRate: 8000}, true
	case 13:
		return RTPMap{PayloadType: 13, Encoding: "CN", ClockRate: 8000}, true
	}
	return RTPMap{}, false
}

// formatRTPMap returns the rtpmap for format f of m, falling back to the
// static assignments.
func formatRTPMap(m *Media, f string) (RTPMap, bool) {
	pt, err := parsePT(f)
	if err != nil {
		return RTPMap{}, false
	}
	if r, ok := m.RTPMap(pt); ok {
		return r, true
	}
	return staticRTPMap(pt)
}

// webrtcFeedback is the feedback a WebRTC SFU typically supports for video.
var webrtcFeedback = []RTCPFB{
	{Type: "goog-remb"}, {Type: "transport-cc"}, {Type: "ccm", Param: "fir"},
	{Type: "nack"}, {Type: "nack", Param: "pli"},
}

// DefaultCodecs returns the codecs an SFU forwards: Opus, and VP8, VP9
// profile 0, H264 Constrained Baseline packetization-mode 1 with RTX, all
// with the payload types Chromium uses.
func DefaultCodecs() []Codec {
	return []Codec{
		{Kind: "audio", Name: "opus", ClockRate: 48000, Channels: "2", FMTP: "minptime=10;useinbandfec=1", PayloadType: 111,
			Feedback: []RTCPFB{{Type: "transport-cc"}}},
		{Kind: "video", Name: "VP8", ClockRate: 90000, PayloadType: 96, RTXPayloadType: 97, Feedback: webrtcFeedback},
		{Kind: "video", Name: "VP9", ClockRate: 90000, FMTP: "profile-id=0", PayloadType: 98, RTXPayloadType: 99, Feedback: webrtcFeedback},
		{Kind: "video", Name: "H264", ClockRate: 90000, FMTP: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
			PayloadType: 102, RTXPayloadType: 103, Feedback: webrtcFeedback},
	}
}

// DefaultHeaderExtensions are the RTP header extensions an SFU uses
// (RFC 8285 URIs).
func DefaultHeaderExtensions() []string {
	return []string{
		ExtMID, ExtRTPStreamID, ExtRepairedRTPStreamID, ExtAudioLevel, ExtTransportCC, ExtAbsSendTime,
	}
}

// Header extension URIs.
const (
	ExtMID                 = "urn:ietf:params:rtp-hdrext:sdes:mid"                    // RFC 9143 §15
	ExtRTPStreamID         = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"          // RFC 8852 §3.1
	ExtRepairedRTPStreamID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id" // RFC 8852 §3.2
	ExtAudioLevel          = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"            // RFC 6464
	ExtTransportCC         = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
	ExtAbsSendTime         = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
)
