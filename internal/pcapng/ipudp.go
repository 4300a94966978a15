package pcapng

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// AppendIPUDP appends a raw IP frame carrying payload from src to dst: an
// IPv4 header (RFC 791: no options, DF, TTL 64, header checksum) or an
// IPv6 header (RFC 8200: hop limit 64), then the UDP header (RFC 768) with
// its checksum over the pseudo-header (RFC 768; RFC 8200 §8.1 for IPv6).
// IPv4-mapped IPv6 addresses count as IPv4. src and dst must be of one
// family and the datagram must fit the length fields.
func AppendIPUDP(dst []byte, src, dstAddr netip.AddrPort, payload []byte) ([]byte, error) {
	s, d := src.Addr().Unmap(), dstAddr.Addr().Unmap()
	if !s.IsValid() || !d.IsValid() || s.Is4() != d.Is4() {
		return dst, fmt.Errorf("pcapng: %v -> %v: addresses must be valid and of one family", src, dstAddr)
	}
	udpLen := 8 + len(payload)
	if udpLen > 0xffff || (s.Is4() && 20+udpLen > 0xffff) {
		return dst, fmt.Errorf("pcapng: %d-byte payload does not fit a UDP datagram (RFC 768)", len(payload))
	}
	// Pseudo-header sum (RFC 768; RFC 8200 §8.1): addresses, protocol, UDP length.
	var sum uint32
	if s.Is4() {
		n := 20 + udpLen
		h := [20]byte{0x45, 0, byte(n >> 8), byte(n), 0, 0, 0x40, 0, 64, 17}
		s4, d4 := s.As4(), d.As4()
		copy(h[12:], s4[:])
		copy(h[16:], d4[:])
		binary.BigEndian.PutUint16(h[10:], ^fold(add16(0, h[:])))
		dst = append(dst, h[:]...)
		sum = add16(add16(0, s4[:]), d4[:])
	} else {
		h := [40]byte{0x60}
		binary.BigEndian.PutUint16(h[4:], uint16(udpLen))
		h[6], h[7] = 17, 64
		s16, d16 := s.As16(), d.As16()
		copy(h[8:], s16[:])
		copy(h[24:], d16[:])
		dst = append(dst, h[:]...)
		sum = add16(add16(0, s16[:]), d16[:])
	}
	sum += 17 + uint32(udpLen)
	var u [8]byte
	binary.BigEndian.PutUint16(u[0:], src.Port())
	binary.BigEndian.PutUint16(u[2:], dstAddr.Port())
	binary.BigEndian.PutUint16(u[4:], uint16(udpLen))
	sum = add16(add16(sum, u[:]), payload)
	c := ^fold(sum)
	if c == 0 {
		c = 0xffff // RFC 768: a computed zero is sent as all ones
	}
	binary.BigEndian.PutUint16(u[6:], c)
	dst = append(dst, u[:]...)
	return append(dst, payload...), nil
}

// add16 adds b as big-endian 16-bit words (an odd last byte padded with
// zero) to sum, the one's-complement sum of RFC 1071.
func add16(sum uint32, b []byte) uint32 {
	for len(b) >= 2 {
		sum += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
		if sum > 0xffff0000 {
			sum = sum>>16 + sum&0xffff
		}
	}
	if len(b) == 1 {
		sum += uint32(b[0]) << 8
	}
	return sum
}

func fold(sum uint32) uint16 {
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return uint16(sum)
}
