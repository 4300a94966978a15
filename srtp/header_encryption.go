package srtp

import "encoding/binary"

// cryptHeaderExtension encrypts or decrypts, in place, the data of the
// header extension elements whose IDs were negotiated as encrypted
// (RFC 6904 §4.1–4.3), for the one-byte (profile 0xBEDE, RFC 8285 §4.2) and
// two-byte (profile 0x100x, RFC 8285 §4.3) forms. Other extension profiles
// are left alone.
//
// The keystream is AES-CM keyed with the header encryption key and salt
// (labels 0x06/0x07) and the same IV formula as the payload (RFC 3711
// §4.1.1), also for the GCM profiles (RFC 7714 §8.3: AES-GCM payload
// protection still takes its header extension keystream from AES-CM, as
// libsrtp does since pull request 128). Keystream position 0
// is the first byte after the 4-byte extension header; each element consumes
// keystream for its ID/length byte(s) and its data (only the data is XORed:
// the mask of RFC 6904 §4.1), and padding bytes between elements consume
// none, as libsrtp — the implementation Chromium uses — does.
//
// RFC 6904 §4 defines the result with a mask over the extension (1s on the
// data of encrypted elements) applied to a keystream as long as the
// extension, which would make padding consume keystream too; libsrtp
// (srtp_process_header_encryption) instead draws 1+len (one-byte) or 2+len
// (two-byte) keystream bytes per element and skips padding without drawing,
// and interoperating with it is what matters. Where the two differ:
//   - padding between elements: we follow libsrtp (no keystream);
//   - padding before the first element: libsrtp reads a leading 0x00 as an
//     element of ID 0 and length 1; we treat it as padding (RFC 8285 §4.2);
//     browsers do not send leading padding;
//   - two-byte blocks: libsrtp before its pull request 491 (2020, issue
//     490) tested the profile as (profile & 0x1fff) == 0x100, which no
//     0x100X profile matches, and left two-byte elements in the clear; it
//     now tests (profile & 0xfff0) == 0x1000, as we do (RFC 8285 §4.3).
//     A peer on an older libsrtp disagrees on two-byte blocks.
//
// The session keys come from labels 0x06 (header encryption key) and 0x07
// (header salting key), as RFC 6904 §4.1 adds them to RFC 3711 §4.3.
//
// Malformed elements stop the walk: the remaining bytes stay as they are,
// which the packet's authentication covers either way.
func (c *Context) cryptHeaderExtension(k *sessionKeys, b []byte, h *rtpHeader, index int64) {
	profile := binary.BigEndian.Uint16(b[h.extOff : h.extOff+2])
	ext := b[h.extOff+4 : h.length]
	c.cmIV(&k.hdrSalt, h.ssrc, index)
	ko := 0 // keystream offset
	switch {
	case profile == 0xBEDE:
		for i := 0; i < len(ext); {
			if ext[i] == 0 { // padding (RFC 8285 §4.2)
				i++
				continue
			}
			id := ext[i] >> 4
			l := int(ext[i]&0x0f) + 1
			if id == 15 || i+1+l > len(ext) { // 15: stop processing (RFC 8285 §4.2)
				return
			}
			if c.encryptIDs[id] {
				k.hdrCM.xorKeyStreamAt(ext[i+1:i+1+l], &c.iv, ko+1)
			}
			ko += 1 + l
			i += 1 + l
		}
	case profile&0xfff0 == 0x1000:
		for i := 0; i < len(ext); {
			if ext[i] == 0 { // padding (RFC 8285 §4.3)
				i++
				continue
			}
			if i+2 > len(ext) {
				return
			}
			id := ext[i]
			l := int(ext[i+1])
			if i+2+l > len(ext) {
				return
			}
			if l > 0 && c.encryptIDs[id] {
				k.hdrCM.xorKeyStreamAt(ext[i+2:i+2+l], &c.iv, ko+2)
			}
			ko += 2 + l
			i += 2 + l
		}
	}
}
