package conformance

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// Link-layer header types (LINKTYPE_* in the tcpdump.org registry, which
// pcap and pcapng share).
const (
	linkTypeNull      = 0   // BSD loopback: 4-byte address family, host byte order
	linkTypeEthernet  = 1   // IEEE 802.3 Ethernet, optional 802.1Q/802.1ad tags
	linkTypeRawBSDOS  = 12  // raw IP as some BSD libpcaps wrote DLT_RAW
	linkTypeRawOpen   = 14  // raw IP as OpenBSD wrote DLT_RAW
	linkTypeRaw       = 101 // raw IPv4 or IPv6, version from the first nibble
	linkTypeLoop      = 108 // OpenBSD loopback: address family, network byte order
	linkTypeLinuxSLL  = 113 // Linux cooked capture v1, 16-byte header
	linkTypeIPv4      = 228 // raw IPv4
	linkTypeIPv6      = 229 // raw IPv6
	linkTypeLinuxSLL2 = 276 // Linux cooked capture v2, 20-byte header
)

// EtherTypes this reader understands.
const (
	etherTypeIPv4  = 0x0800
	etherTypeIPv6  = 0x86dd
	etherTypeVLAN  = 0x8100 // IEEE 802.1Q
	etherTypeQinQ  = 0x88a8 // IEEE 802.1ad
	etherTypeQinQ2 = 0x9100 // pre-standard double tagging
)

// udpDatagram is what decodeLinkLayer extracts from a frame.
type udpDatagram struct {
	src, dst netip.AddrPort
	payload  []byte
}

// decodeLinkLayer strips the link-layer header of one frame and decodes the
// IP and UDP headers beneath it. A non-empty reason means the frame holds no
// complete UDP datagram.
func decodeLinkLayer(linkType uint32, f []byte) (udpDatagram, string) {
	switch linkType {
	case linkTypeEthernet:
		if len(f) < 14 {
			return udpDatagram{}, fmt.Sprintf("Ethernet header truncated (%d of 14 bytes)", len(f))
		}
		et, p := binary.BigEndian.Uint16(f[12:]), f[14:]
		for et == etherTypeVLAN || et == etherTypeQinQ || et == etherTypeQinQ2 {
			if len(p) < 4 {
				return udpDatagram{}, "VLAN tag truncated"
			}
			et, p = binary.BigEndian.Uint16(p[2:]), p[4:]
		}
		return decodeEtherType(et, p)
	case linkTypeLinuxSLL:
		if len(f) < 16 {
			return udpDatagram{}, fmt.Sprintf("Linux cooked (SLL) header truncated (%d of 16 bytes)", len(f))
		}
		return decodeEtherType(binary.BigEndian.Uint16(f[14:]), f[16:])
	case linkTypeLinuxSLL2:
		if len(f) < 20 {
			return udpDatagram{}, fmt.Sprintf("Linux cooked (SLL2) header truncated (%d of 20 bytes)", len(f))
		}
		return decodeEtherType(binary.BigEndian.Uint16(f[0:]), f[20:])
	case linkTypeNull, linkTypeLoop:
		if len(f) < 4 {
			return udpDatagram{}, "loopback header truncated"
		}
		// The family is in the capturing host's byte order for NULL; accept
		// either order, as the values are small.
		fam := binary.LittleEndian.Uint32(f)
		if linkType == linkTypeLoop || fam > 0xffff {
			fam = binary.BigEndian.Uint32(f)
		}
		switch fam {
		case 2: // AF_INET everywhere
			return decodeIPv4(f[4:])
		case 10, 24, 28, 30: // AF_INET6: Linux, OpenBSD/NetBSD, FreeBSD, Darwin
			return decodeIPv6(f[4:])
		}
		return udpDatagram{}, fmt.Sprintf("loopback address family %d is not IP", fam)
	case linkTypeRaw, linkTypeRawBSDOS, linkTypeRawOpen:
		if len(f) == 0 {
			return udpDatagram{}, "empty raw IP frame"
		}
		switch f[0] >> 4 {
		case 4:
			return decodeIPv4(f)
		case 6:
			return decodeIPv6(f)
		}
		return udpDatagram{}, fmt.Sprintf("raw IP version %d", f[0]>>4)
	case linkTypeIPv4:
		return decodeIPv4(f)
	case linkTypeIPv6:
		return decodeIPv6(f)
	}
	return udpDatagram{}, fmt.Sprintf("link type %d not supported", linkType)
}

func decodeEtherType(et uint16, p []byte) (udpDatagram, string) {
	switch et {
	case etherTypeIPv4:
		return decodeIPv4(p)
	case etherTypeIPv6:
		return decodeIPv6(p)
	}
	return udpDatagram{}, fmt.Sprintf("ethertype %#04x is not IP", et)
}
