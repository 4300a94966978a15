package rtp_test

import (
	"encoding/binary"
	"io"
	"net/netip"
	"time"
)

// pcapWriter writes a classic little-endian pcap file of UDP/IPv4 datagrams
// over Ethernet (LINKTYPE_ETHERNET 1), for handing decrypted packets to
// tshark. Checksums are left 0 (UDP: none; IPv4: tshark does not verify by
// default).
type pcapWriter struct {
	w   io.Writer
	err error
}

func newPcapWriter(w io.Writer) *pcapWriter {
	p := &pcapWriter{w: w}
	hdr := make([]byte, 24)
	binary.LittleEndian.PutUint32(hdr[0:], 0xa1b2c3d4) // microsecond pcap
	binary.LittleEndian.PutUint16(hdr[4:], 2)
	binary.LittleEndian.PutUint16(hdr[6:], 4)
	binary.LittleEndian.PutUint32(hdr[16:], 65535) // snaplen
	binary.LittleEndian.PutUint32(hdr[20:], 1)     // Ethernet
	_, p.err = w.Write(hdr)
	return p
}

// writeUDP appends one frame carrying payload from src to dst (IPv4 only).
func (p *pcapWriter) writeUDP(ts time.Time, src, dst netip.AddrPort, payload []byte) {
	if p.err != nil {
		return
	}
	frame := make([]byte, 14+20+8+len(payload))
	binary.BigEndian.PutUint16(frame[12:], 0x0800) // IPv4 EtherType, MACs zero
	ip := frame[14:]
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(20+8+len(payload)))
	ip[8] = 64 // TTL
	ip[9] = 17 // UDP
	s4, d4 := src.Addr().Unmap().As4(), dst.Addr().Unmap().As4()
	copy(ip[12:], s4[:])
	copy(ip[16:], d4[:])
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(ip[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
	udp := ip[20:]
	binary.BigEndian.PutUint16(udp[0:], src.Port())
	binary.BigEndian.PutUint16(udp[2:], dst.Port())
	binary.BigEndian.PutUint16(udp[4:], uint16(8+len(payload)))
	copy(udp[8:], payload)

	rec := make([]byte, 16)
	binary.LittleEndian.PutUint32(rec[0:], uint32(ts.Unix()))
	binary.LittleEndian.PutUint32(rec[4:], uint32(ts.Nanosecond()/1000))
	binary.LittleEndian.PutUint32(rec[8:], uint32(len(frame)))
	binary.LittleEndian.PutUint32(rec[12:], uint32(len(frame)))
	if _, p.err = p.w.Write(rec); p.err != nil {
		return
	}
	_, p.err = p.w.Write(frame)
}
