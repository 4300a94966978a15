package conformance

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

const ipProtoUDP = 17

// decodeIPv4 reads an IPv4 header (RFC 791 §3.1) and the UDP datagram in it.
// Fragments are skipped: the capture reader does not reassemble.
func decodeIPv4(p []byte) (udpDatagram, string) {
	if len(p) < 20 {
		return udpDatagram{}, fmt.Sprintf("IPv4 header truncated (%d of 20 bytes)", len(p))
	}
	if v := p[0] >> 4; v != 4 {
		return udpDatagram{}, fmt.Sprintf("IPv4 header version %d", v)
	}
	ihl := int(p[0]&0x0f) * 4
	if ihl < 20 || ihl > len(p) {
		return udpDatagram{}, fmt.Sprintf("IPv4 header length %d with %d bytes captured (RFC 791 §3.1)", ihl, len(p))
	}
	total := int(binary.BigEndian.Uint16(p[2:]))
	if total < ihl {
		return udpDatagram{}, fmt.Sprintf("IPv4 total length %d below header length %d (RFC 791 §3.1)", total, ihl)
	}
	if total < len(p) {
		p = p[:total] // drop link-layer padding
	}
	if frag := binary.BigEndian.Uint16(p[6:]); frag&0x3fff != 0 {
		return udpDatagram{}, "IPv4 fragment (not reassembled)"
	}
	if proto := p[9]; proto != ipProtoUDP {
		return udpDatagram{}, fmt.Sprintf("IP protocol %d is not UDP", proto)
	}
	src, _ := netip.AddrFromSlice(p[12:16])
	dst, _ := netip.AddrFromSlice(p[16:20])
	return decodeUDP(src, dst, p[ihl:], total > len(p))
}

// decodeIPv6 reads an IPv6 header (RFC 8200 §3), skips extension headers
// (§4) and reads the UDP datagram after them.
func decodeIPv6(p []byte) (udpDatagram, string) {
	if len(p) < 40 {
		return udpDatagram{}, fmt.Sprintf("IPv6 header truncated (%d of 40 bytes)", len(p))
	}
	if v := p[0] >> 4; v != 6 {
		return udpDatagram{}, fmt.Sprintf("IPv6 header version %d", v)
	}
	plen := int(binary.BigEndian.Uint16(p[4:]))
	next := p[6]
	src, _ := netip.AddrFromSlice(p[8:24])
	dst, _ := netip.AddrFromSlice(p[24:40])
	p = p[40:]
	cut := false
	if plen != 0 { // 0: jumbogram (RFC 2675), length in a hop-by-hop option
		if plen < len(p) {
			p = p[:plen]
		} else if plen > len(p) {
			cut = true
		}
	}
	for {
		switch next {
		case ipProtoUDP:
			return decodeUDP(src, dst, p, cut)
		case 0, 43, 60, 135, 139, 140: // hop-by-hop, routing, destination options, mobility, HIP, shim6: (len+1)*8 bytes (RFC 8200 §4)
			if len(p) < 2 || len(p) < (int(p[1])+1)*8 {
				return udpDatagram{}, fmt.Sprintf("IPv6 extension header %d truncated", next)
			}
			next, p = p[0], p[(int(p[1])+1)*8:]
		case 44: // fragment header, 8 bytes (RFC 8200 §4.5)
			if len(p) < 8 {
				return udpDatagram{}, "IPv6 fragment header truncated"
			}
			if binary.BigEndian.Uint16(p[2:])&0xfff9 != 0 {
				return udpDatagram{}, "IPv6 fragment (not reassembled)"
			}
			next, p = p[0], p[8:] // atomic fragment (RFC 6946)
		case 51: // authentication header: (len+2)*4 bytes (RFC 4302 §2.2)
			if len(p) < 2 || len(p) < (int(p[1])+2)*4 {
				return udpDatagram{}, "IPv6 authentication header truncated"
			}
			next, p = p[0], p[(int(p[1])+2)*4:]
		default:
			return udpDatagram{}, fmt.Sprintf("IP protocol %d is not UDP", next)
		}
	}
}

// decodeUDP reads a UDP header (RFC 768) and returns the payload its length
// field delimits. cut says the IP packet was shortened by the snapshot length.
func decodeUDP(src, dst netip.Addr, p []byte, cut bool) (udpDatagram, string) {
	if len(p) < 8 {
		return udpDatagram{}, fmt.Sprintf("UDP header truncated (%d of 8 bytes)", len(p))
	}
	n := int(binary.BigEndian.Uint16(p[4:]))
	if n == 0 && len(p) > 0xffff { // jumbogram (RFC 2675 §4)
		n = len(p)
	}
	if n < 8 {
		return udpDatagram{}, fmt.Sprintf("UDP length %d below the 8-byte header (RFC 768)", n)
	}
	if n > len(p) {
		if cut {
			return udpDatagram{}, fmt.Sprintf("UDP datagram of %d bytes cut to %d by the snapshot length", n, len(p))
		}
		return udpDatagram{}, fmt.Sprintf("UDP length %d exceeds the %d bytes of the IP payload (RFC 768)", n, len(p))
	}
	return udpDatagram{
		src:     netip.AddrPortFrom(src, binary.BigEndian.Uint16(p[0:])),
		dst:     netip.AddrPortFrom(dst, binary.BigEndian.Uint16(p[2:])),
		payload: p[8:n:n],
	}, ""
}
