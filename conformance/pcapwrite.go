package conformance

import (
	"encoding/binary"
	"fmt"
)

// AppendPcap appends a classic pcap file holding datagrams, one frame each
// in order, to dst: nanosecond magic 0xa1b23c4d, little-endian, link type
// LINKTYPE_RAW (101), every frame an IPv4 (RFC 791) or IPv6 (RFC 8200)
// header and a UDP header (RFC 768; checksum 0, which IPv4 allows and
// readers of captures ignore). ParseCapture reads it back to the same
// datagrams. Source and destination must be of one family.
func AppendPcap(dst []byte, datagrams []Datagram) ([]byte, error) {
	dst = binary.LittleEndian.AppendUint32(dst, 0xa1b23c4d)
	dst = binary.LittleEndian.AppendUint16(dst, 2)
	dst = binary.LittleEndian.AppendUint16(dst, 4)
	dst = binary.LittleEndian.AppendUint32(dst, 0)      // thiszone
	dst = binary.LittleEndian.AppendUint32(dst, 0)      // sigfigs
	dst = binary.LittleEndian.AppendUint32(dst, 262144) // snaplen
	dst = binary.LittleEndian.AppendUint32(dst, 101)    // LINKTYPE_RAW
	for _, d := range datagrams {
		frame, err := appendIPUDP(nil, d)
		if err != nil {
			return nil, err
		}
		ns := d.Time.UnixNano()
		dst = binary.LittleEndian.AppendUint32(dst, uint32(ns/1e9))
		dst = binary.LittleEndian.AppendUint32(dst, uint32(ns%1e9))
		dst = binary.LittleEndian.AppendUint32(dst, uint32(len(frame)))
		dst = binary.LittleEndian.AppendUint32(dst, uint32(len(frame)))
		dst = append(dst, frame...)
	}
	return dst, nil
}

// appendIPUDP appends d as a LINKTYPE_RAW frame: an IPv4 (RFC 791) or IPv6
// (RFC 8200) header, a UDP header (RFC 768, checksum 0) and the payload.
func appendIPUDP(dst []byte, d Datagram) ([]byte, error) {
	src, dstAddr := d.Src.Addr().Unmap(), d.Dst.Addr().Unmap()
	if src.Is4() != dstAddr.Is4() {
		return nil, fmt.Errorf("conformance: frame %d: %v -> %v mixes IPv4 and IPv6", d.N, d.Src, d.Dst)
	}
	udpLen := 8 + len(d.Payload)
	ipHdr := 40
	if src.Is4() {
		ipHdr = 20
	}
	if udpLen > 0xffff || ipHdr+udpLen > 0xffff+40 {
		return nil, fmt.Errorf("conformance: frame %d: %d-byte payload does not fit a UDP datagram", d.N, len(d.Payload))
	}
	n := uint32(ipHdr + udpLen)
	if src.Is4() {
		h := [20]byte{0x45, 0, byte(n >> 8), byte(n), 0, 0, 0x40, 0, 64, 17}
		s4, d4 := src.As4(), dstAddr.As4()
		copy(h[12:], s4[:])
		copy(h[16:], d4[:])
		binary.BigEndian.PutUint16(h[10:], ipv4Checksum(h[:]))
		dst = append(dst, h[:]...)
	} else {
		h := [40]byte{0x60}
		binary.BigEndian.PutUint16(h[4:], uint16(udpLen))
		h[6], h[7] = 17, 64
		s16, d16 := src.As16(), dstAddr.As16()
		copy(h[8:], s16[:])
		copy(h[24:], d16[:])
		dst = append(dst, h[:]...)
	}
	dst = binary.BigEndian.AppendUint16(dst, d.Src.Port())
	dst = binary.BigEndian.AppendUint16(dst, d.Dst.Port())
	dst = binary.BigEndian.AppendUint16(dst, uint16(udpLen))
	dst = binary.BigEndian.AppendUint16(dst, 0)
	return append(dst, d.Payload...), nil
}

// ipv4Checksum is the RFC 791 header checksum of h (checksum field zero).
func ipv4Checksum(h []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(h); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(h[i:]))
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}
