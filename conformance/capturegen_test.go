package conformance

import (
	"encoding/binary"
	"net/netip"
)

// Builders of synthetic frames and capture files, for tests of the reader
// and for cross-checking it against tshark.

type testFrame struct {
	linkType uint32
	data     []byte
	ts       uint64 // in the interface's units (pcapng) or ns (pcap)
	udp      bool   // a UDP datagram the reader must return
	src, dst netip.AddrPort
	payload  []byte
}

func udpHeader(src, dst netip.AddrPort, payload []byte) []byte {
	h := make([]byte, 8, 8+len(payload))
	binary.BigEndian.PutUint16(h[0:], src.Port())
	binary.BigEndian.PutUint16(h[2:], dst.Port())
	binary.BigEndian.PutUint16(h[4:], uint16(8+len(payload)))
	return append(h, payload...)
}

func ipv4Packet(src, dst netip.Addr, proto byte, l4 []byte) []byte {
	h := make([]byte, 20, 20+len(l4))
	h[0] = 0x45
	binary.BigEndian.PutUint16(h[2:], uint16(20+len(l4)))
	h[6] = 0x40 // don't fragment
	h[8] = 64
	h[9] = proto
	s, d := src.As4(), dst.As4()
	copy(h[12:], s[:])
	copy(h[16:], d[:])
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(h[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(h[10:], ^uint16(sum))
	return append(h, l4...)
}

// ipv6Packet builds an IPv6 packet; with ext it inserts a hop-by-hop and a
// destination options header before the upper layer.
func ipv6Packet(src, dst netip.Addr, proto byte, l4 []byte, ext bool) []byte {
	var exts []byte
	first := proto
	if ext {
		first = 0                                    // hop-by-hop
		exts = append(exts, 60, 0, 1, 4, 0, 0, 0, 0) // → dest opts; PadN
		exts = append(exts, proto, 1, 1, 12)         // → proto; 16 bytes; PadN of 12
		exts = append(exts, make([]byte, 12)...)
	}
	h := make([]byte, 40, 40+len(exts)+len(l4))
	h[0] = 0x60
	binary.BigEndian.PutUint16(h[4:], uint16(len(exts)+len(l4)))
	h[6] = first
	h[7] = 64
	s, d := src.As16(), dst.As16()
	copy(h[8:], s[:])
	copy(h[24:], d[:])
	return append(append(h, exts...), l4...)
}

func ethernet(etherType uint16, vlans int, p []byte) []byte {
	h := []byte{2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}
	for i := 0; i < vlans; i++ {
		tpid := uint16(etherTypeVLAN)
		if i == 0 && vlans > 1 {
			tpid = etherTypeQinQ
		}
		h = binary.BigEndian.AppendUint16(h, tpid)
		h = binary.BigEndian.AppendUint16(h, uint16(100+i))
	}
	h = binary.BigEndian.AppendUint16(h, etherType)
	return append(h, p...)
}

func sll(etherType uint16, p []byte) []byte {
	h := make([]byte, 16)
	binary.BigEndian.PutUint16(h[2:], 772) // ARPHRD_LOOPBACK
	binary.BigEndian.PutUint16(h[4:], 6)
	binary.BigEndian.PutUint16(h[14:], etherType)
	return append(h, p...)
}

func sll2(etherType uint16, p []byte) []byte {
	h := make([]byte, 20)
	binary.BigEndian.PutUint16(h[0:], etherType)
	binary.BigEndian.PutUint32(h[4:], 1)
	binary.BigEndian.PutUint16(h[8:], 1) // ARPHRD_ETHER
	h[11] = 6
	return append(h, p...)
}

func nullHeader(family uint32, p []byte, order testOrder) []byte {
	return append(order.AppendUint32(nil, family), p...)
}

// testFrames returns frames of every supported link type, UDP over IPv4 and
// IPv6, plus non-UDP frames. Payload lengths vary with i.
func testFrames() []testFrame {
	v4a, v4b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("198.51.100.7")
	v6a, v6b := netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8::beef")
	var fs []testFrame
	add := func(lt uint32, wrap func(ip []byte, v6 bool) []byte, v6 bool, ext bool) {
		i := len(fs)
		src := netip.AddrPortFrom(v4a, uint16(40000+i))
		dst := netip.AddrPortFrom(v4b, uint16(50000+i))
		if v6 {
			src, dst = netip.AddrPortFrom(v6a, uint16(40000+i)), netip.AddrPortFrom(v6b, uint16(50000+i))
		}
		payload := make([]byte, 20+i*7)
		for j := range payload {
			payload[j] = byte(0x80 + i + j)
		}
		udp := udpHeader(src, dst, payload)
		var ip []byte
		if v6 {
			ip = ipv6Packet(src.Addr(), dst.Addr(), ipProtoUDP, udp, ext)
		} else {
			ip = ipv4Packet(src.Addr(), dst.Addr(), ipProtoUDP, udp)
		}
		fs = append(fs, testFrame{linkType: lt, data: wrap(ip, v6), udp: true, src: src, dst: dst, payload: payload})
	}
	et := func(v6 bool) uint16 {
		if v6 {
			return etherTypeIPv6
		}
		return etherTypeIPv4
	}
	for _, v6 := range []bool{false, true} {
		add(linkTypeEthernet, func(ip []byte, v6 bool) []byte { return ethernet(et(v6), 0, ip) }, v6, false)
		add(linkTypeEthernet, func(ip []byte, v6 bool) []byte { return ethernet(et(v6), 1, ip) }, v6, v6)
		add(linkTypeEthernet, func(ip []byte, v6 bool) []byte { return ethernet(et(v6), 2, ip) }, v6, false)
		add(linkTypeLinuxSLL, func(ip []byte, v6 bool) []byte { return sll(et(v6), ip) }, v6, v6)
		add(linkTypeLinuxSLL2, func(ip []byte, v6 bool) []byte { return sll2(et(v6), ip) }, v6, false)
		add(linkTypeRaw, func(ip []byte, v6 bool) []byte { return ip }, v6, v6)
		add(linkTypeNull, func(ip []byte, v6 bool) []byte {
			if v6 {
				return nullHeader(30, ip, binary.LittleEndian) // Darwin AF_INET6
			}
			return nullHeader(2, ip, binary.LittleEndian)
		}, v6, false)
		add(linkTypeNull, func(ip []byte, v6 bool) []byte {
			if v6 {
				return nullHeader(24, ip, binary.BigEndian)
			}
			return nullHeader(2, ip, binary.BigEndian)
		}, v6, false)
	}
	add(linkTypeIPv4, func(ip []byte, v6 bool) []byte { return ip }, false, false)
	add(linkTypeIPv6, func(ip []byte, v6 bool) []byte { return ip }, true, true)
	// Ethernet minimum-size padding after a short IPv4/UDP packet.
	add(linkTypeEthernet, func(ip []byte, v6 bool) []byte { return append(ethernet(et(v6), 0, ip), make([]byte, 30)...) }, false, false)
	// Non-UDP frames: TCP over IPv4 and IPv6, ARP.
	tcp := make([]byte, 20)
	tcp[12] = 5 << 4
	// ICMP port unreachable quoting an IPv4/UDP header (tshark shows the
	// quoted ports; the reader skips it), and a UDP datagram in two IPv4
	// fragments (tshark reassembles; the reader skips both).
	quoted := ipv4Packet(v4b, v4a, ipProtoUDP, udpHeader(netip.AddrPortFrom(v4b, 41000), netip.AddrPortFrom(v4a, 51000), make([]byte, 40)))[:28]
	icmp := append([]byte{3, 3, 0, 0, 0, 0, 0, 0}, quoted...)
	whole := udpHeader(netip.AddrPortFrom(v4a, 42000), netip.AddrPortFrom(v4b, 52000), make([]byte, 40))
	frag1 := ipv4Packet(v4a, v4b, ipProtoUDP, whole[:24])
	frag1[6] = 0x20 // MF
	frag2 := ipv4Packet(v4a, v4b, ipProtoUDP, whole[24:])
	frag2[6], frag2[7] = 0, 3 // offset 3×8 = 24
	for _, f := range [][]byte{frag1, frag2} {
		binary.BigEndian.PutUint16(f[4:], 0x1234) // same identification
		f[10], f[11] = 0, 0
	}
	fs = append(fs,
		testFrame{linkType: linkTypeEthernet, data: ethernet(etherTypeIPv4, 0, ipv4Packet(v4a, v4b, 1, icmp))},
		testFrame{linkType: linkTypeEthernet, data: ethernet(etherTypeIPv4, 0, frag1)},
		testFrame{linkType: linkTypeEthernet, data: ethernet(etherTypeIPv4, 0, frag2)},
		testFrame{linkType: linkTypeEthernet, data: ethernet(etherTypeIPv4, 0, ipv4Packet(v4a, v4b, 6, tcp))},
		testFrame{linkType: linkTypeRaw, data: ipv6Packet(v6a, v6b, 6, tcp, true)},
		testFrame{linkType: linkTypeEthernet, data: ethernet(0x0806, 0, make([]byte, 28))},
	)
	return fs
}

// pcapFile writes a classic pcap file of one link type.
func pcapFile(order testOrder, nano bool, linkType uint32, fs []testFrame) []byte {
	magic := uint32(pcapMagicMicro)
	if nano {
		magic = pcapMagicNano
	}
	b := order.AppendUint32(nil, magic)
	b = order.AppendUint16(b, 2)
	b = order.AppendUint16(b, 4)
	b = order.AppendUint32(b, 0)
	b = order.AppendUint32(b, 0)
	b = order.AppendUint32(b, 262144)
	b = order.AppendUint32(b, linkType)
	for _, f := range fs {
		sec, sub := f.ts/1e9, f.ts%1e9
		if !nano {
			sub /= 1000
		}
		b = order.AppendUint32(b, uint32(sec))
		b = order.AppendUint32(b, uint32(sub))
		b = order.AppendUint32(b, uint32(len(f.data)))
		b = order.AppendUint32(b, uint32(len(f.data)))
		b = append(b, f.data...)
	}
	return b
}

// pcapngBlock appends one block.
func pcapngBlock(b []byte, order testOrder, typ uint32, body []byte) []byte {
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	n := uint32(12 + len(body))
	b = order.AppendUint32(b, typ)
	b = order.AppendUint32(b, n)
	b = append(b, body...)
	return order.AppendUint32(b, n)
}

func pcapngSHB(b []byte, order testOrder) []byte {
	body := order.AppendUint32(nil, pcapngByteOrderMagic)
	body = order.AppendUint16(body, 1)
	body = order.AppendUint16(body, 0)
	body = order.AppendUint64(body, ^uint64(0)) // section length unknown
	return pcapngBlock(b, order, pcapngSHBType, body)
}

// pcapngIDB appends an interface; tsresol 0 omits the option (µs).
func pcapngIDB(b []byte, order testOrder, linkType uint32, snap uint32, tsresol byte, tsoffset int64) []byte {
	body := order.AppendUint16(nil, uint16(linkType))
	body = order.AppendUint16(body, 0)
	body = order.AppendUint32(body, snap)
	body = order.AppendUint16(body, 2) // if_name
	body = order.AppendUint16(body, 3)
	body = append(body, 'e', 't', 'h', 0)
	if tsresol != 0 {
		body = order.AppendUint16(body, optTSResol)
		body = order.AppendUint16(body, 1)
		body = append(body, tsresol, 0, 0, 0)
	}
	if tsoffset != 0 {
		body = order.AppendUint16(body, optTSOffset)
		body = order.AppendUint16(body, 8)
		body = order.AppendUint64(body, uint64(tsoffset))
	}
	body = append(body, 0, 0, 0, 0) // opt_endofopt
	return pcapngBlock(b, order, pcapngIDBType, body)
}

func pcapngEPB(b []byte, order testOrder, ifID uint32, ts uint64, data []byte) []byte {
	body := order.AppendUint32(nil, ifID)
	body = order.AppendUint32(body, uint32(ts>>32))
	body = order.AppendUint32(body, uint32(ts))
	body = order.AppendUint32(body, uint32(len(data)))
	body = order.AppendUint32(body, uint32(len(data)))
	body = append(body, data...)
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	body = order.AppendUint16(body, 1) // opt_comment
	body = order.AppendUint16(body, 2)
	body = append(body, 'h', 'i', 0, 0)
	body = append(body, 0, 0, 0, 0)
	return pcapngBlock(b, order, pcapngEPBType, body)
}

func pcapngSPB(b []byte, order testOrder, data []byte) []byte {
	body := order.AppendUint32(nil, uint32(len(data)))
	return pcapngBlock(b, order, pcapngSPBType, append(body, data...))
}

// testOrder is a byte order that can also append.
type testOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}
