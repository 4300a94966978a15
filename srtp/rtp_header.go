package srtp

import "encoding/binary"

// rtpHeader is what SRTP needs from an RTP header (RFC 3550 §5.1): where the
// payload starts, and where the header extension (RFC 3550 §5.3.1) lies.
type rtpHeader struct {
	seq    uint16
	ssrc   uint32
	length int // bytes up to the payload: 12 + 4*CC (+ 4 + 4*extension length)
	extOff int // offset of the extension's 16-bit profile field, or -1
}

// parseRTPHeader walks the fixed header, the CSRC list and the header
// extension (RFC 3550 §5.1, §5.3.1) of b. It reads nothing else.
func parseRTPHeader(b []byte, h *rtpHeader) error {
	if len(b) < 12 {
		return ErrShortRTP
	}
	if b[0]>>6 != 2 {
		return ErrRTPVersion
	}
	n := 12 + 4*int(b[0]&0x0f)
	h.seq = binary.BigEndian.Uint16(b[2:4])
	h.ssrc = binary.BigEndian.Uint32(b[8:12])
	h.extOff = -1
	if b[0]&0x10 != 0 {
		if len(b) < n+4 {
			return ErrRTPHeader
		}
		h.extOff = n
		n += 4 + 4*int(binary.BigEndian.Uint16(b[n+2:n+4]))
	}
	if len(b) < n {
		return ErrRTPHeader
	}
	h.length = n
	return nil
}
