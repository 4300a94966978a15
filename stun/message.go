package stun

import (
	"encoding/binary"
	"fmt"
)

// MagicCookie is the fixed value in bytes 4-7 of every STUN message,
// RFC 8489 §5.
const MagicCookie uint32 = 0x2112A442

// HeaderSize is the size of the STUN message header, RFC 8489 §5.
const HeaderSize = 20

// attrHeaderSize is the type + length prefix of an attribute, RFC 8489 §14.
const attrHeaderSize = 4

// TransactionID is the 96-bit transaction ID, RFC 8489 §5.
type TransactionID [12]byte

// RawAttribute is one attribute as it appears on the wire (RFC 8489 §14):
// Value and Padding reference the parsed input, so padding bytes (zero
// from browsers, 0x20 in RFC 5769) survive a round trip.
type RawAttribute struct {
	Type    AttrType
	Value   []byte // len(Value) is the attribute's Length field
	Padding []byte // 0-3 bytes to the next 32-bit boundary, as received; nil means zeros
	Offset  int    // offset of the attribute header from the start of the message
}

// Message is a parsed STUN message (RFC 8489 §5). It references the buffer
// it was parsed from; reuse one Message across Unmarshal calls and parsing
// allocates nothing once Attributes has grown to the largest message seen.
type Message struct {
	Type          MessageType
	Length        uint16 // header Length field: bytes after the 20-byte header
	TransactionID TransactionID
	Attributes    []RawAttribute
	Raw           []byte // the whole message as parsed
}

// IsMessage reports whether b looks like a STUN message: first two bits
// zero and the magic cookie in place (RFC 8489 §5; RFC 7983 demux).
func IsMessage(b []byte) bool {
	return len(b) >= HeaderSize && b[0]&0xc0 == 0 &&
		binary.BigEndian.Uint32(b[4:8]) == MagicCookie
}

// parseHeader validates the 20-byte header and the length rules of
// RFC 8489 §5 and returns the attribute section.
func parseHeader(b []byte) (attrs []byte, err error) {
	if len(b) < HeaderSize {
		return nil, fmt.Errorf("stun: message %d bytes, want at least %d (RFC 8489 §5)", len(b), HeaderSize)
	}
	if b[0]&0xc0 != 0 {
		return nil, fmt.Errorf("stun: first two bits of message type are %02b, want 00 (RFC 8489 §5)", b[0]>>6)
	}
	if c := binary.BigEndian.Uint32(b[4:8]); c != MagicCookie {
		return nil, fmt.Errorf("stun: magic cookie 0x%08X, want 0x%08X (RFC 8489 §5)", c, MagicCookie)
	}
	n := int(binary.BigEndian.Uint16(b[2:4]))
	if n%4 != 0 {
		return nil, fmt.Errorf("stun: message length %d, want a multiple of 4 (RFC 8489 §5)", n)
	}
	if HeaderSize+n != len(b) {
		return nil, fmt.Errorf("stun: message length %d, but %d bytes follow the header (RFC 8489 §5)", n, len(b)-HeaderSize)
	}
	return b[HeaderSize:], nil
}

// nextAttribute splits the first attribute off rest (RFC 8489 §14:
// type, length, value, padding to a multiple of 4 bytes).
func nextAttribute(rest []byte, off int) (a RawAttribute, tail []byte, err error) {
	if len(rest) < attrHeaderSize {
		return a, nil, fmt.Errorf("stun: attribute header at offset %d has %d bytes, want 4 (RFC 8489 §14)", off, len(rest))
	}
	t := AttrType(binary.BigEndian.Uint16(rest[0:2]))
	n := int(binary.BigEndian.Uint16(rest[2:4]))
	padded := (n + 3) &^ 3
	if attrHeaderSize+padded > len(rest) {
		return a, nil, fmt.Errorf("stun: attribute 0x%04X at offset %d length %d (padded %d) overruns the message by %d bytes (RFC 8489 §14)",
			uint16(t), off, n, padded, attrHeaderSize+padded-len(rest))
	}
	a = RawAttribute{
		Type:    t,
		Value:   rest[attrHeaderSize : attrHeaderSize+n : attrHeaderSize+n],
		Padding: rest[attrHeaderSize+n : attrHeaderSize+padded : attrHeaderSize+padded],
		Offset:  off,
	}
	return a, rest[attrHeaderSize+padded:], nil
}

// Unmarshal parses b into m, replacing its contents. m references b
// afterwards. It checks the header and attribute framing only; attribute
// values are checked by their getters, integrity and fingerprint by
// Integrity.Check and CheckFingerprint. RFC 8489 §5, §14.
//
// The attribute loop is the packet path of every ICE check, so it walks
// b by offset and writes each RawAttribute in place in m.Attributes
// (no per-attribute return of a 64-byte struct, no offset recomputation);
// its framing rules are nextAttribute's, which FindAttribute uses.
func (m *Message) Unmarshal(b []byte) error {
	attrs := m.Attributes[:0]
	m.Raw = nil
	if _, err := parseHeader(b); err != nil {
		m.Attributes = attrs
		return err
	}
	for off := HeaderSize; off < len(b); {
		// RFC 8489 §14: type, length, value, padding to 4 bytes.
		if len(b)-off < attrHeaderSize {
			m.Attributes = attrs[:0]
			return attributeFramingError(b, off)
		}
		h := b[off : off+attrHeaderSize]
		n := int(h[2])<<8 | int(h[3])
		vstart := off + attrHeaderSize
		vend := vstart + n
		pend := vstart + (n+3)&^3
		if pend > len(b) {
			m.Attributes = attrs[:0]
			return attributeFramingError(b, off)
		}
		if len(attrs) == cap(attrs) {
			attrs = append(attrs, RawAttribute{})
		} else {
			attrs = attrs[:len(attrs)+1]
		}
		a := &attrs[len(attrs)-1]
		a.Type = AttrType(h[0])<<8 | AttrType(h[1])
		a.Value = b[vstart:vend:vend]
		a.Padding = b[vend:pend:pend]
		a.Offset = off
		off = pend
	}
	m.Attributes = attrs
	m.Type = ParseMessageType(binary.BigEndian.Uint16(b[0:2]))
	m.Length = uint16(len(b) - HeaderSize)
	m.TransactionID = TransactionID(b[8:20])
	m.Raw = b
	return nil
}

// attributeFramingError builds nextAttribute's error for the attribute
// at off, out of line so Unmarshal's loop stays small.
func attributeFramingError(b []byte, off int) error {
	_, _, err := nextAttribute(b[off:], off)
	return err
}

// FindAttribute returns the value of the first attribute of type t in the
// STUN message b without building a Message (and without allocating).
// It validates the framing the same way Unmarshal does up to the match,
// and skips what Get skips (attributes after the integrity attributes).
func FindAttribute(b []byte, t AttrType) ([]byte, error) {
	rest, err := parseHeader(b)
	if err != nil {
		return nil, err
	}
	off := HeaderSize
	var after afterIntegrity
	for len(rest) > 0 {
		var a RawAttribute
		a, rest, err = nextAttribute(rest, off)
		if err != nil {
			return nil, err
		}
		off = len(b) - len(rest)
		if after.ignores(a.Type) {
			continue
		}
		if a.Type == t {
			return a.Value, nil
		}
		after.see(a.Type)
	}
	return nil, ErrAttributeNotFound
}

// MarshalSize returns the encoded size of m: header plus every attribute
// with its padding.
func (m *Message) MarshalSize() int {
	n := HeaderSize
	for i := range m.Attributes {
		n += attrHeaderSize + (len(m.Attributes[i].Value)+3)&^3
	}
	return n
}

// MarshalTo writes m into b and returns the number of bytes written. The
// Length field is computed from the attributes; each attribute keeps its
// received padding bytes (zeros when it has none), so a parsed message
// marshals back to the exact input.
func (m *Message) MarshalTo(b []byte) (int, error) {
	n := m.MarshalSize()
	if len(b) < n {
		return 0, ErrBufferTooSmall
	}
	if n-HeaderSize > 0xffff {
		return 0, fmt.Errorf("stun: message length %d exceeds 65535 (RFC 8489 §5)", n-HeaderSize)
	}
	binary.BigEndian.PutUint16(b[0:2], m.Type.Value())
	binary.BigEndian.PutUint16(b[2:4], uint16(n-HeaderSize))
	binary.BigEndian.PutUint32(b[4:8], MagicCookie)
	copy(b[8:20], m.TransactionID[:])
	off := HeaderSize
	for i := range m.Attributes {
		a := &m.Attributes[i]
		off += putAttribute(b[off:], a.Type, a.Value, a.Padding)
	}
	return off, nil
}

// Marshal returns m encoded into a new buffer.
func (m *Message) Marshal() ([]byte, error) {
	b := make([]byte, m.MarshalSize())
	n, err := m.MarshalTo(b)
	return b[:n], err
}

// putAttribute writes type, length, value and padding at the start of b,
// which must be large enough; it returns the bytes written. Padding bytes
// come from pad when it has the right length, otherwise zeros.
func putAttribute(b []byte, t AttrType, v, pad []byte) int {
	binary.BigEndian.PutUint16(b[0:2], uint16(t))
	binary.BigEndian.PutUint16(b[2:4], uint16(len(v)))
	copy(b[attrHeaderSize:], v)
	end := attrHeaderSize + len(v)
	padded := attrHeaderSize + (len(v)+3)&^3
	if len(pad) == padded-end {
		copy(b[end:padded], pad)
	} else {
		clear(b[end:padded])
	}
	return padded
}

// Get returns the first attribute of type t (RFC 8489 §14: for duplicate
// attributes only the first need be processed). Attributes the integrity
// does not cover are ignored, as RFC 8489 §9 requires: after
// MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count;
// after MESSAGE-INTEGRITY-SHA256 (without MESSAGE-INTEGRITY) only
// FINGERPRINT. m.Attributes still lists them all.
func (m *Message) Get(t AttrType) (RawAttribute, bool) {
	var after afterIntegrity
	for i := range m.Attributes {
		a := &m.Attributes[i]
		if after.ignores(a.Type) {
			continue
		}
		if a.Type == t {
			return *a, true
		}
		after.see(a.Type)
	}
	return RawAttribute{}, false
}

// afterIntegrity tracks the RFC 8489 §9 rule on attributes that follow
// the integrity attributes while walking a message in order.
type afterIntegrity struct{ mi, mi256 bool }

func (s *afterIntegrity) ignores(t AttrType) bool {
	switch {
	case s.mi:
		return t != AttrMessageIntegritySHA256 && t != AttrFingerprint
	case s.mi256:
		return t != AttrFingerprint
	}
	return false
}

func (s *afterIntegrity) see(t AttrType) {
	switch t {
	case AttrMessageIntegrity:
		s.mi = true
	case AttrMessageIntegritySHA256:
		s.mi256 = true
	}
}

// Contains reports whether m has an attribute of type t.
func (m *Message) Contains(t AttrType) bool {
	_, ok := m.Get(t)
	return ok
}

// value returns the value of the first attribute of type t or
// ErrAttributeNotFound.
func (m *Message) value(t AttrType) ([]byte, error) {
	a, ok := m.Get(t)
	if !ok {
		return nil, ErrAttributeNotFound
	}
	return a.Value, nil
}

// UnknownComprehensionRequired appends to dst the comprehension-required
// attribute types (< 0x8000) of m for which known returns false (those
// Get would ignore after the integrity attributes are skipped); when
// known is nil, AttrType.Understood is used. A request with any such
// attribute gets a 420 response listing them in UNKNOWN-ATTRIBUTES,
// RFC 8489 §6.3.1.1.
func (m *Message) UnknownComprehensionRequired(dst []AttrType, known func(AttrType) bool) []AttrType {
	var after afterIntegrity
	for i := range m.Attributes {
		t := m.Attributes[i].Type
		if after.ignores(t) {
			continue
		}
		after.see(t)
		if !t.ComprehensionRequired() {
			continue
		}
		if known != nil && known(t) || known == nil && t.Understood() {
			continue
		}
		dup := false
		for _, d := range dst {
			if d == t {
				dup = true
				break
			}
		}
		if !dup {
			dst = append(dst, t)
		}
	}
	return dst
}
