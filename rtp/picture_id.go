package rtp

import "fmt"

// The picture ID field that VP8 (RFC 7741 §4.2) and VP9 (RFC 9628 §4.2)
// payload descriptors share, present when the descriptor's I bit is set:
//
//	 0 1 2 3 4 5 6 7
//	+-+-+-+-+-+-+-+-+
//	|M| PICTURE ID  |   M = 0: 7-bit picture ID
//	+-+-+-+-+-+-+-+-+
//	|   EXTENDED    |   M = 1: a second byte, 15-bit picture ID
//	+-+-+-+-+-+-+-+-+

// pictureIDSize is the field's length in bytes.
func pictureIDSize(long bool) int {
	if long {
		return 2
	}
	return 1
}

// readPictureID reads the field at payload[n] and returns the picture ID,
// whether it is the 15-bit form, and the offset after it. codec and rfc
// name the payload format in errors.
func readPictureID(payload []byte, n int, codec, rfc string) (id uint16, long bool, next int, err error) {
	if len(payload) < n+1 {
		return 0, false, n, fmt.Errorf("rtp: %s descriptor I bit set but length %d, want %d (%s)", codec, len(payload), n+1, rfc)
	}
	if payload[n]&0x80 == 0 {
		return uint16(payload[n]), false, n + 1, nil
	}
	if len(payload) < n+2 {
		return 0, false, n, fmt.Errorf("rtp: %s descriptor M bit set but length %d, want %d (%s)", codec, len(payload), n+2, rfc)
	}
	return uint16(payload[n]&0x7f)<<8 | uint16(payload[n+1]), true, n + 2, nil
}

// putPictureID writes the field at buf[p] (the caller has checked the
// size) and returns the offset after it.
func putPictureID(buf []byte, p int, id uint16, long bool) int {
	if long {
		buf[p], buf[p+1] = 0x80|byte(id>>8), byte(id)
		return p + 2
	}
	buf[p] = byte(id)
	return p + 1
}

// rewritePictureID overwrites the field at payload[o] in place, keeping its
// form: id is taken modulo 2^15 or 2^7. It returns the value written.
func rewritePictureID(payload []byte, o int, id uint16, long bool, codec string) (uint16, error) {
	if len(payload) < o+pictureIDSize(long) {
		return 0, fmt.Errorf("rtp: %s payload length %d, picture ID needs %d", codec, len(payload), o+pictureIDSize(long))
	}
	if long {
		id &= 0x7fff
	} else {
		id &= 0x7f
	}
	putPictureID(payload, o, id, long)
	return id, nil
}
