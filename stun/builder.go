package stun

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// Builder appends a STUN message into a caller buffer, attribute by
// attribute, keeping the header Length field current after every step
// (RFC 8489 §5). MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and
// FINGERPRINT are computed over what has been written so far, with the
// Length field covering the attribute being added (RFC 8489 §14.5-§14.7),
// so add them last and in that order.
//
// A Builder never allocates when the buffer passed to Reset has enough
// capacity. The zero Builder is not usable; call Reset first.
type Builder struct {
	buf   []byte
	tid   TransactionID
	err   error
	after afterIntegrity // integrity attributes added so far
	fp    bool           // FINGERPRINT added
}

// Reset starts a new message of type t with transaction ID tid in dst[:0].
func (b *Builder) Reset(dst []byte, t MessageType, tid TransactionID) {
	b.buf = append(dst[:0], make([]byte, HeaderSize)...)
	binary.BigEndian.PutUint16(b.buf[0:2], t.Value())
	binary.BigEndian.PutUint32(b.buf[4:8], MagicCookie)
	copy(b.buf[8:20], tid[:])
	b.tid = tid
	b.err = nil
	b.after = afterIntegrity{}
	b.fp = false
}

// Bytes returns the message built so far and the first error met while
// building (a value too long for its attribute, or a message over 64 KiB).
func (b *Builder) Bytes() ([]byte, error) { return b.buf, b.err }

// Len is the number of bytes built so far.
func (b *Builder) Len() int { return len(b.buf) }

// begin appends an attribute header for a value of n bytes and returns the
// offset where the value starts; finish pads and fixes the Length field.
// It also enforces the order of RFC 8489 §14.5-§14.7: nothing after
// FINGERPRINT, and after MESSAGE-INTEGRITY(-SHA256) only what a receiver
// does not ignore there (the attribute would be outside the integrity).
func (b *Builder) begin(t AttrType, n int) int {
	if n > 0xffff && b.err == nil {
		b.err = fmt.Errorf("stun: attribute %s value %d bytes, want at most 65535 (RFC 8489 §14)", t, n)
	}
	switch {
	case b.err != nil:
	case b.fp:
		b.err = fmt.Errorf("stun: attribute %s added after FINGERPRINT, which must be the last attribute (RFC 8489 §14.7)", t)
	case b.after.ignores(t):
		b.err = fmt.Errorf("stun: attribute %s added after the integrity attributes, where receivers ignore it (RFC 8489 §14.5, §14.6)", t)
	}
	b.after.see(t)
	b.fp = b.fp || t == AttrFingerprint
	b.buf = append(b.buf, byte(t>>8), byte(t), byte(n>>8), byte(n))
	return len(b.buf)
}

func (b *Builder) finish(start int) {
	n := len(b.buf) - start
	for ; n%4 != 0; n++ {
		b.buf = append(b.buf, 0)
	}
	b.setLength(len(b.buf) - HeaderSize)
}

func (b *Builder) setLength(n int) {
	if n > 0xffff && b.err == nil {
		b.err = fmt.Errorf("stun: message length %d exceeds 65535 (RFC 8489 §5)", n)
	}
	binary.BigEndian.PutUint16(b.buf[2:4], uint16(n))
}

// Add appends attribute t with value v and zero padding (RFC 8489 §14).
func (b *Builder) Add(t AttrType, v []byte) {
	s := b.begin(t, len(v))
	b.buf = append(b.buf, v...)
	b.finish(s)
}

// AddString is Add for a string value (no conversion, no allocation).
func (b *Builder) AddString(t AttrType, v string) {
	s := b.begin(t, len(v))
	b.buf = append(b.buf, v...)
	b.finish(s)
}

// AddRaw re-emits a parsed attribute with its original padding bytes, so a
// message rebuilt from a parsed one keeps unknown attributes byte for byte.
func (b *Builder) AddRaw(a RawAttribute) {
	s := b.begin(a.Type, len(a.Value))
	b.buf = append(b.buf, a.Value...)
	if len(a.Padding) == (4-len(a.Value)%4)%4 {
		b.buf = append(b.buf, a.Padding...)
	}
	b.finish(s)
}

// AddMappedAddress appends MAPPED-ADDRESS, RFC 8489 §14.1.
func (b *Builder) AddMappedAddress(ap netip.AddrPort) { b.addAddress(AttrMappedAddress, ap, false) }

// AddXORMappedAddress appends XOR-MAPPED-ADDRESS, RFC 8489 §14.2.
func (b *Builder) AddXORMappedAddress(ap netip.AddrPort) {
	b.addAddress(AttrXORMappedAddress, ap, true)
}

// AddAlternateServer appends ALTERNATE-SERVER, RFC 8489 §14.15.
func (b *Builder) AddAlternateServer(ap netip.AddrPort) {
	b.addAddress(AttrAlternateServer, ap, false)
}

func (b *Builder) addAddress(t AttrType, ap netip.AddrPort, xor bool) {
	n := 20
	if ap.Addr().Unmap().Is4() {
		n = 8
	}
	s := b.begin(t, n)
	b.buf = encodeAddress(b.buf, ap, &b.tid, xor)
	b.finish(s)
}
