package annotate

import (
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/plainrtc/plainrtc/rtp"
)

// RTP is an RTP header (RFC 3550 §5.1). In SRTP the header and its
// extension block travel in clear (RFC 3711 §3.1); the payload does not.
type RTP struct {
	Version    uint8    `json:"version"`
	Padding    bool     `json:"padding"`
	Extension  bool     `json:"extension"`
	Marker     bool     `json:"marker"`
	PT         uint8    `json:"pt"`
	Codec      string   `json:"codec,omitempty"` // from the SDP's a=rtpmap
	Seq        uint16   `json:"seq"`
	Timestamp  uint32   `json:"timestamp"`
	SSRC       uint32   `json:"ssrc"`
	CSRC       []uint32 `json:"csrc,omitempty"`
	ExtProfile string   `json:"ext_profile,omitempty"` // "0xbede" one-byte, "0x1000" two-byte (RFC 8285)
	Ext        []RTPExt `json:"ext,omitempty"`
	HeaderLen  int      `json:"header_len"`
	PayloadLen int      `json:"payload_len"`        // after the header; includes the SRTP tag unless decrypted
	Keyframe   *bool    `json:"keyframe,omitempty"` // decrypted video only
}

// RTPExt is one RFC 8285 header extension element.
type RTPExt struct {
	ID    uint8  `json:"id"`
	Name  string `json:"name"`          // short name from the URI, or "id N" without an SDP
	URI   string `json:"uri,omitempty"` // from a=extmap
	Ref   string `json:"ref,omitempty"`
	Value string `json:"value"`
}

// extNames maps extension URIs to a short name and the defining document.
var extNames = map[string][2]string{
	rtp.URIAudioLevel:                             {"ssrc-audio-level", "RFC 6464 §3"},
	rtp.URIMid:                                    {"mid", "RFC 9143 §15"},
	rtp.URIRtpStreamID:                            {"rtp-stream-id", "RFC 8852 §4.1"},
	rtp.URIRepairedRtpStreamID:                    {"repaired-rtp-stream-id", "RFC 8852 §4.2"},
	rtp.URIAbsSendTime:                            {"abs-send-time", "webrtc.org abs-send-time"},
	rtp.URITransportCC:                            {"transport-wide-cc", "draft-holmer-rmcat-transport-wide-cc-extensions-01 §2"},
	rtp.URIPlayoutDelay:                           {"playout-delay", "webrtc.org playout-delay"},
	rtp.URIVideoOrientation:                       {"video-orientation", "3GPP TS 26.114 §7.4.5"},
	"urn:ietf:params:rtp-hdrext:toffset":          {"toffset", "RFC 5450 §2"},
	"urn:ietf:params:rtp-hdrext:csrc-audio-level": {"csrc-audio-level", "RFC 6465 §3"},
	"http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time": {"abs-capture-time", "webrtc.org abs-capture-time"},
}

// decodeRTPHeader parses the clear RTP header of p.
func decodeRTPHeader(p []byte, info *SDPInfo) (*RTP, rtp.Header, error) {
	var h rtp.Header
	n, err := h.Unmarshal(p)
	if err != nil {
		return nil, h, err
	}
	r := &RTP{
		Version: h.Version, Padding: h.Padding, Extension: h.Extension, Marker: h.Marker,
		PT: h.PayloadType, Seq: h.SequenceNumber, Timestamp: h.Timestamp, SSRC: h.SSRC,
		HeaderLen: n, PayloadLen: len(p) - n,
	}
	if h.CSRCCount > 0 {
		r.CSRC = append(r.CSRC, h.CSRCs()...)
	}
	if info != nil {
		r.Codec = info.codecs[h.PayloadType]
	}
	if h.Extension {
		r.ExtProfile = fmt.Sprintf("0x%04x", h.ExtensionProfile)
		it := h.Extensions()
		for e, ok := it.Next(); ok; e, ok = it.Next() {
			x := RTPExt{ID: e.ID, Name: "id " + strconv.Itoa(int(e.ID)), Value: hex.EncodeToString(e.Value)}
			if info != nil {
				if uri, ok := info.extURIs[e.ID]; ok {
					x.URI, x.Name = uri, uri
					if nm, ok := extNames[uri]; ok {
						x.Name, x.Ref = nm[0], nm[1]
					}
					x.Value = extValue(uri, e.Value)
				}
			}
			r.Ext = append(r.Ext, x)
		}
	}
	return r, h, nil
}

// extValue formats an extension element's value by its URI.
func extValue(uri string, v []byte) string {
	switch uri {
	case rtp.URIAudioLevel:
		var a rtp.AudioLevel
		if a.Unmarshal(v) == nil {
			return fmt.Sprintf("voice=%v level=-%ddBov", a.Voice, a.Level)
		}
	case rtp.URIMid, rtp.URIRtpStreamID, rtp.URIRepairedRtpStreamID:
		return strconv.Quote(string(v))
	case rtp.URIAbsSendTime:
		var a rtp.AbsSendTime
		if a.Unmarshal(v) == nil {
			return a.Duration().String()
		}
	case rtp.URITransportCC:
		var t rtp.TransportCC
		if t.Unmarshal(v) == nil {
			return "seq " + strconv.Itoa(int(t))
		}
	case rtp.URIPlayoutDelay:
		var p rtp.PlayoutDelay
		if p.Unmarshal(v) == nil {
			return fmt.Sprintf("min %v max %v", p.MinDuration(), p.MaxDuration())
		}
	case rtp.URIVideoOrientation:
		var o rtp.VideoOrientation
		if o.Unmarshal(v) == nil {
			return fmt.Sprintf("rotation %d camera-back=%v flip=%v", o.Rotation, o.Camera, o.Flip)
		}
	}
	return hex.EncodeToString(v)
}
