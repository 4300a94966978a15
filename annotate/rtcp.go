package annotate

import (
	"encoding/binary"
	"fmt"

	"github.com/plainrtc/plainrtc/internal/dtlswire"
)

// RTCP is an RTCP (or SRTCP) datagram. Without keys only the first
// packet's header and sender SSRC are in clear (RFC 3711 §3.4), plus the
// SRTCP trailer (E flag and index).
type RTCP struct {
	PT        uint8        `json:"pt"`   // first packet's packet type (RFC 3550 §6.1)
	Type      string       `json:"type"` // its name: "SR", "RR", "SDES", "BYE", "APP", "RTPFB", "PSFB", "XR"
	Count     uint8        `json:"count"`
	Length    int          `json:"length"` // length field: 32-bit words minus one
	SSRC      uint32       `json:"ssrc"`
	Encrypted *bool        `json:"encrypted,omitempty"`   // SRTCP E flag (RFC 3711 §3.4)
	Index     *uint32      `json:"srtcp_index,omitempty"` // SRTCP index (RFC 3711 §3.4)
	Packets   []RTCPPacket `json:"packets,omitempty"`     // decrypted compound only
}

// rtcpTypeNames names the RTCP packet types.
var rtcpTypeNames = map[uint8][2]string{
	200: {"SR", "RFC 3550 §6.4.1"},
	201: {"RR", "RFC 3550 §6.4.2"},
	202: {"SDES", "RFC 3550 §6.5"},
	203: {"BYE", "RFC 3550 §6.6"},
	204: {"APP", "RFC 3550 §6.7"},
	205: {"RTPFB", "RFC 4585 §6.2"},
	206: {"PSFB", "RFC 4585 §6.3"},
	207: {"XR", "RFC 3611 §2"},
}

func rtcpTypeName(pt uint8) string {
	if n, ok := rtcpTypeNames[pt]; ok {
		return n[0]
	}
	return fmt.Sprintf("PT%d", pt)
}

// decodeRTCPHeader reads the clear part of an SRTCP datagram. profile, if
// known from the DTLS ServerHello, locates the trailer: E||index then the
// tag for AES-CM (10 bytes for both, RFC 5764 §4.1.2), E||index last for AEAD
// (RFC 7714 §9.3).
func decodeRTCPHeader(p []byte, profile uint16) (*RTCP, error) {
	if len(p) < 8 {
		return nil, fmt.Errorf("RTCP header %d bytes, want at least 8 (RFC 3550 §6.4.1)", len(p))
	}
	if v := p[0] >> 6; v != 2 {
		return nil, fmt.Errorf("RTCP version %d, want 2 (RFC 3550 §6.4.1)", v)
	}
	r := &RTCP{
		PT: p[1], Type: rtcpTypeName(p[1]), Count: p[0] & 0x1f,
		Length: int(binary.BigEndian.Uint16(p[2:])), SSRC: binary.BigEndian.Uint32(p[4:]),
	}
	tag := -1
	switch profile {
	case dtlswire.ProfileAES128CMSHA1_80, dtlswire.ProfileAES128CMSHA1_32:
		tag = 10 // RFC 5764 §4.1.2: SRTCP keeps the 80-bit tag for both HMAC-SHA1 profiles
	case dtlswire.ProfileAEADAES128GCM, dtlswire.ProfileAEADAES256GCM:
		tag = 0
	}
	if tag >= 0 && len(p) >= 8+4+tag {
		w := binary.BigEndian.Uint32(p[len(p)-tag-4:])
		enc, idx := w&0x80000000 != 0, w&0x7fffffff
		r.Encrypted, r.Index = &enc, &idx
	}
	return r, nil
}
