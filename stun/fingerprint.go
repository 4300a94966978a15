package stun

import (
	"encoding/binary"
	"hash/crc32"
)

// fingerprintXOR is XORed into the CRC-32, RFC 8489 §14.7.
const fingerprintXOR uint32 = 0x5354554E

const fingerprintSize = 4

// fingerprintOver computes CRC-32(raw[:off]) XOR 0x5354554E with the
// header Length field replaced by length, without modifying raw.
func fingerprintOver(raw []byte, off, length int) uint32 {
	tab := crc32.IEEETable
	c := ^uint32(0)
	for _, x := range [4]byte{raw[0], raw[1], byte(length >> 8), byte(length)} {
		c = tab[byte(c)^x] ^ c>>8
	}
	return crc32.Update(^c, tab, raw[4:off]) ^ fingerprintXOR
}

// CheckFingerprint verifies FINGERPRINT, RFC 8489 §14.7: the CRC-32 of the
// message up to the attribute (Length covering it) XOR 0x5354554E. The
// attribute must be the last one.
func CheckFingerprint(m *Message) error {
	n := len(m.Attributes)
	if n == 0 {
		return ErrAttributeNotFound
	}
	if m.Raw == nil {
		return errNoRaw
	}
	a := m.Attributes[n-1]
	if a.Type != AttrFingerprint {
		if m.Contains(AttrFingerprint) {
			return ErrFingerprintNotLast
		}
		return ErrAttributeNotFound
	}
	if len(a.Value) != fingerprintSize {
		return attrLengthError(AttrFingerprint, len(a.Value), "4", "RFC 8489 §14.7")
	}
	want := fingerprintOver(m.Raw, a.Offset, a.Offset+attrHeaderSize+fingerprintSize-HeaderSize)
	if binary.BigEndian.Uint32(a.Value) != want {
		return ErrFingerprintMismatch
	}
	return nil
}

// AddFingerprint appends FINGERPRINT over the message built so far; it
// must be the last attribute, RFC 8489 §14.7.
func (b *Builder) AddFingerprint() {
	start := len(b.buf)
	b.setLength(start + attrHeaderSize + fingerprintSize - HeaderSize)
	fp := fingerprintOver(b.buf, start, start+attrHeaderSize+fingerprintSize-HeaderSize)
	s := b.begin(AttrFingerprint, fingerprintSize)
	b.buf = binary.BigEndian.AppendUint32(b.buf, fp)
	b.finish(s)
}
