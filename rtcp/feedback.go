package rtcp

import (
	"encoding/binary"
	"fmt"
)

// Feedback messages share one layout (RFC 4585 §6.1):
//
//	|V=2|P|   FMT   |       PT      |          length               |
//	|                  SSRC of packet sender                        |
//	|                  SSRC of media source                         |
//	:            Feedback Control Information (FCI)                 :
//
// parseFeedback checks PT and FMT and returns the two SSRCs, the FCI and the
// padding.
func parseFeedback(b []byte, t PacketType, fmtv uint8, what string) (sender, media uint32, fci, pad []byte, err error) {
	h, body, pad, err := parsePacket(b, t, what)
	if err != nil {
		return 0, 0, nil, nil, err
	}
	if h.Count != fmtv {
		return 0, 0, nil, nil, fmt.Errorf("rtcp: %s: FMT %d, want %d (RFC 4585 §6.1)", what, h.Count, fmtv)
	}
	if len(body) < 8 {
		return 0, 0, nil, nil, errTruncated(what+" SSRCs", 8, len(body), "RFC 4585 §6.1")
	}
	return binary.BigEndian.Uint32(body), binary.BigEndian.Uint32(body[4:]), body[8:], pad, nil
}

// putFeedback writes the common feedback header and both SSRCs and returns
// the offset of the FCI.
func putFeedback(b []byte, pad []byte, fmtv uint8, t PacketType, size int, sender, media uint32, what string) (int, error) {
	if err := putHeader(b, pad, fmtv, t, size, what); err != nil {
		return 0, err
	}
	binary.BigEndian.PutUint32(b[4:], sender)
	binary.BigEndian.PutUint32(b[8:], media)
	return 12, nil
}

const feedbackHeaderLength = 12
