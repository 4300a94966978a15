package stun

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// Address families of MAPPED-ADDRESS and friends, RFC 8489 §14.1.
const (
	familyIPv4 = 0x01
	familyIPv6 = 0x02
)

// decodeAddress decodes the MAPPED-ADDRESS layout (RFC 8489 §14.1): a
// reserved byte, family, port, then 4 or 16 address bytes. With xor set
// the port and address are XORed with the magic cookie and, for IPv6,
// the transaction ID (RFC 8489 §14.2).
func decodeAddress(t AttrType, v []byte, tid *TransactionID, xor bool, ref string) (netip.AddrPort, error) {
	if len(v) < 4 {
		return netip.AddrPort{}, attrLengthError(t, len(v), "8 (IPv4) or 20 (IPv6)", ref)
	}
	port := binary.BigEndian.Uint16(v[2:4])
	if xor {
		port ^= uint16(MagicCookie >> 16)
	}
	switch v[1] {
	case familyIPv4:
		if len(v) != 8 {
			return netip.AddrPort{}, attrLengthError(t, len(v), "8 for IPv4", ref)
		}
		var a [4]byte
		copy(a[:], v[4:8])
		if xor {
			binary.BigEndian.PutUint32(a[:], binary.BigEndian.Uint32(a[:])^MagicCookie)
		}
		return netip.AddrPortFrom(netip.AddrFrom4(a), port), nil
	case familyIPv6:
		if len(v) != 20 {
			return netip.AddrPort{}, attrLengthError(t, len(v), "20 for IPv6", ref)
		}
		var a [16]byte
		copy(a[:], v[4:20])
		if xor {
			xorIPv6(&a, tid)
		}
		return netip.AddrPortFrom(netip.AddrFrom16(a), port), nil
	}
	return netip.AddrPort{}, fmt.Errorf("stun: attribute %s family 0x%02X, want 0x01 or 0x02 (%s)", t, v[1], ref)
}

// xorIPv6 XORs a with the magic cookie followed by the transaction ID,
// RFC 8489 §14.2.
func xorIPv6(a *[16]byte, tid *TransactionID) {
	var k [16]byte
	binary.BigEndian.PutUint32(k[0:4], MagicCookie)
	copy(k[4:], tid[:])
	for i := range a {
		a[i] ^= k[i]
	}
}

// encodeAddress appends the MAPPED-ADDRESS (or, with xor, the
// XOR-MAPPED-ADDRESS) encoding of ap to dst. IPv4-mapped IPv6 addresses
// are written as IPv4.
func encodeAddress(dst []byte, ap netip.AddrPort, tid *TransactionID, xor bool) []byte {
	addr := ap.Addr().Unmap()
	port := ap.Port()
	if xor {
		port ^= uint16(MagicCookie >> 16)
	}
	if addr.Is4() {
		a := addr.As4()
		if xor {
			binary.BigEndian.PutUint32(a[:], binary.BigEndian.Uint32(a[:])^MagicCookie)
		}
		dst = append(dst, 0, familyIPv4, byte(port>>8), byte(port))
		return append(dst, a[:]...)
	}
	a := addr.As16()
	if xor {
		xorIPv6(&a, tid)
	}
	dst = append(dst, 0, familyIPv6, byte(port>>8), byte(port))
	return append(dst, a[:]...)
}

// MappedAddress returns MAPPED-ADDRESS, RFC 8489 §14.1.
func (m *Message) MappedAddress() (netip.AddrPort, error) {
	v, err := m.value(AttrMappedAddress)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return decodeAddress(AttrMappedAddress, v, &m.TransactionID, false, "RFC 8489 §14.1")
}

// XORMappedAddress returns XOR-MAPPED-ADDRESS de-obfuscated, RFC 8489
// §14.2. It does not allocate.
func (m *Message) XORMappedAddress() (netip.AddrPort, error) {
	v, err := m.value(AttrXORMappedAddress)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return decodeAddress(AttrXORMappedAddress, v, &m.TransactionID, true, "RFC 8489 §14.2")
}

// AlternateServer returns ALTERNATE-SERVER (MAPPED-ADDRESS layout),
// RFC 8489 §14.15.
func (m *Message) AlternateServer() (netip.AddrPort, error) {
	v, err := m.value(AttrAlternateServer)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return decodeAddress(AttrAlternateServer, v, &m.TransactionID, false, "RFC 8489 §14.15")
}
