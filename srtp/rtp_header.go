package srtp

import (
	"encoding/binary"

	"github.com/plainrtc/plainrtc/rtp"
)

// rtpHeader is what SRTP needs from an RTP header (RFC 3550 §5.1): where the
// payload starts, and where the header extension (RFC 3550 §5.3.1) lies.
type rtpHeader struct {
	seq    uint16
	ssrc   uint32
	length int // bytes up to the payload: 12 + 4*CC (+ 4 + 4*extension length)
	extOff int // offset of the extension's 16-bit profile field, or -1
}

// parseRTPHeader reads the sequence number and SSRC of b and its framing
// (RFC 3550 §5.1, §5.3.1) with rtp.HeaderLength, which allocates nothing
// and does not judge the RFC 8285 elements: a packet is refused by its tag,
// not by its extension contents.
func parseRTPHeader(b []byte, h *rtpHeader) error {
	n, ext, err := rtp.HeaderLength(b)
	switch err {
	case nil:
	case rtp.ErrHeaderShort:
		return ErrShortRTP
	case rtp.ErrVersion:
		return ErrRTPVersion
	default:
		return ErrRTPHeader
	}
	h.seq = binary.BigEndian.Uint16(b[2:4])
	h.ssrc = binary.BigEndian.Uint32(b[8:12])
	h.length = n
	h.extOff = ext
	return nil
}
