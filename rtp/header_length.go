package rtp

import (
	"encoding/binary"
	"errors"
)

// Errors of HeaderLength. They are static values, so that refusing a packet
// allocates nothing (SRTP checks every received packet's framing before its
// tag, and a forged packet must cost nothing). Header.Unmarshal wraps them
// with the lengths involved; compare with errors.Is.
var (
	ErrHeaderShort      = errors.New("rtp: packet shorter than the 12-byte fixed header (RFC 3550 §5.1)")
	ErrVersion          = errors.New("rtp: version is not 2 (RFC 3550 §5.1)")
	ErrCSRCOverrun      = errors.New("rtp: CSRC list of 4·CC bytes runs past the packet (RFC 3550 §5.1)")
	ErrExtensionOverrun = errors.New("rtp: header extension runs past the packet (RFC 3550 §5.3.1)")
)

const noExtension = -1 // extOffset when there is no extension

// HeaderLength walks the framing of the RTP header at the start of b: the
// fixed header, 4·CC bytes of CSRCs (RFC 3550 §5.1) and, when X is set, the
// 4-byte extension header and 4·length bytes of extension (RFC 3550
// §5.3.1). It returns the header length n (where the payload starts) and
// the offset of the extension header's profile field, or -1 when X is 0.
// It looks at nothing else (not the RFC 8285 elements: Header.Unmarshal
// checks those) and never allocates. This is the one place RTP header
// framing is decided; package srtp uses it to find the payload.
func HeaderLength(b []byte) (n, extOffset int, err error) {
	if len(b) < HeaderSize {
		return 0, noExtension, ErrHeaderShort
	}
	if b[0]>>6 != 2 {
		return 0, noExtension, ErrVersion
	}
	n = HeaderSize + 4*int(b[0]&0x0f)
	if len(b) < n {
		return 0, noExtension, ErrCSRCOverrun
	}
	if b[0]&0x10 == 0 {
		return n, noExtension, nil
	}
	if len(b) < n+4 {
		return 0, noExtension, ErrExtensionOverrun
	}
	extOffset = n
	n += 4 + 4*int(binary.BigEndian.Uint16(b[n+2:]))
	if len(b) < n {
		return 0, noExtension, ErrExtensionOverrun
	}
	return n, extOffset, nil
}
