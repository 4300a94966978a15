package rtp

import (
	"encoding/binary"
	"fmt"
)

// H.264 NAL unit types this package names (ITU-T H.264 Table 7-1,
// RFC 6184 §5.4 for 24–29).
const (
	H264NALSlice = 1  // coded slice of a non-IDR picture
	H264NALIDR   = 5  // coded slice of an IDR picture
	H264NALSEI   = 6  // supplemental enhancement information
	H264NALSPS   = 7  // sequence parameter set
	H264NALPPS   = 8  // picture parameter set
	H264NALAUD   = 9  // access unit delimiter
	H264STAPA    = 24 // single-time aggregation packet (RFC 6184 §5.7.1)
	H264STAPB    = 25 // interleaved mode only
	H264MTAP16   = 26 // interleaved mode only
	H264MTAP24   = 27 // interleaved mode only
	H264FUA      = 28 // fragmentation unit A (RFC 6184 §5.8)
	H264FUB      = 29 // interleaved mode only
)

// H264Payload describes an H.264 RTP payload in single NAL unit or
// non-interleaved mode (RFC 6184 §5.2, §6.2, §6.3): which packetization it
// uses and which NAL unit types it carries.
type H264Payload struct {
	Type      uint8 // payload NAL type: 1–23 single NAL unit, 24 STAP-A, 28 FU-A
	Forbidden bool  // F bit of the payload header (RFC 6184 §5.3)
	NRI       uint8 // nal_ref_idc of the payload header

	NALCount int // NAL units aggregated (STAP-A), else 1

	// FU-A (RFC 6184 §5.8): the fragmented NAL unit's type and position.
	FUStart, FUEnd bool
	FUType         uint8

	// NAL unit types seen: for FU-A only when FUStart is set.
	HasIDR, HasSPS, HasPPS bool
}

// Unmarshal parses an H.264 RTP payload (RFC 6184 §5). It does not
// allocate. Interleaved-mode packets (STAP-B, MTAP, FU-B) and the reserved
// types 0, 30, 31 are errors: WebRTC uses packetization modes 0 and 1.
func (h *H264Payload) Unmarshal(payload []byte) error {
	if len(payload) < 1 {
		return fmt.Errorf("rtp: H264 payload empty, want a NAL unit header (RFC 6184 §5.3)")
	}
	b := payload[0]
	*h = H264Payload{Type: b & 0x1f, Forbidden: b&0x80 != 0, NRI: (b >> 5) & 0x03, NALCount: 1}
	switch t := h.Type; {
	case t >= 1 && t <= 23:
		h.see(t)
	case t == H264STAPA:
		h.NALCount = 0
		for p := 1; p < len(payload); {
			if p+2 > len(payload) {
				return fmt.Errorf("rtp: H264 STAP-A NALU size at offset %d truncated (RFC 6184 §5.7.1)", p)
			}
			size := int(binary.BigEndian.Uint16(payload[p:]))
			p += 2
			if size == 0 || p+size > len(payload) {
				return fmt.Errorf("rtp: H264 STAP-A NALU size %d at offset %d, %d bytes left (RFC 6184 §5.7.1)", size, p-2, len(payload)-p)
			}
			h.see(payload[p] & 0x1f)
			h.NALCount++
			p += size
		}
		if h.NALCount == 0 {
			return fmt.Errorf("rtp: H264 STAP-A without NAL units (RFC 6184 §5.7.1)")
		}
	case t == H264FUA:
		if len(payload) < 2 {
			return fmt.Errorf("rtp: H264 FU-A length %d, want a FU header (RFC 6184 §5.8)", len(payload))
		}
		fu := payload[1]
		h.FUStart = fu&0x80 != 0
		h.FUEnd = fu&0x40 != 0
		h.FUType = fu & 0x1f
		if h.FUStart && h.FUEnd {
			return fmt.Errorf("rtp: H264 FU-A with both S and E set (RFC 6184 §5.8)")
		}
		if h.FUStart {
			h.see(h.FUType)
		}
	case t == H264STAPB || t == H264MTAP16 || t == H264MTAP24 || t == 29:
		return fmt.Errorf("rtp: H264 NAL type %d is interleaved mode only, unsupported (RFC 6184 §6.4)", t)
	default:
		return fmt.Errorf("rtp: H264 NAL type %d is reserved (RFC 6184 §5.4)", t)
	}
	return nil
}

func (h *H264Payload) see(t uint8) {
	switch t {
	case H264NALIDR:
		h.HasIDR = true
	case H264NALSPS:
		h.HasSPS = true
	case H264NALPPS:
		h.HasPPS = true
	}
}

// IsKeyframe reports whether the payload starts a key frame as an SFU
// sees it: it carries an SPS or the start of an IDR slice.
func (h *H264Payload) IsKeyframe() bool { return h.HasSPS || h.HasIDR }
