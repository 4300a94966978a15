package stun

import "encoding/binary"

// UnknownAttributes appends to dst the types listed in UNKNOWN-ATTRIBUTES
// (a list of 16-bit types), RFC 8489 §14.13.
func (m *Message) UnknownAttributes(dst []AttrType) ([]AttrType, error) {
	v, err := m.value(AttrUnknownAttributes)
	if err != nil {
		return dst, err
	}
	if len(v)%2 != 0 {
		return dst, attrLengthError(AttrUnknownAttributes, len(v), "a multiple of 2", "RFC 8489 §14.13")
	}
	for i := 0; i < len(v); i += 2 {
		dst = append(dst, AttrType(binary.BigEndian.Uint16(v[i:])))
	}
	return dst, nil
}

// AddUnknownAttributes appends UNKNOWN-ATTRIBUTES listing ts, RFC 8489
// §14.13 (used in 420 responses, §6.3.1.1).
func (b *Builder) AddUnknownAttributes(ts []AttrType) {
	s := b.begin(AttrUnknownAttributes, 2*len(ts))
	for _, t := range ts {
		b.buf = binary.BigEndian.AppendUint16(b.buf, uint16(t))
	}
	b.finish(s)
}
