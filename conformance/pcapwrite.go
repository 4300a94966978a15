package conformance

import (
	"encoding/binary"
	"fmt"

	"github.com/plainrtc/plainrtc/internal/pcapng"
)

// AppendPcap appends a classic pcap file holding datagrams, one frame each
// in order, to dst: nanosecond magic 0xa1b23c4d, little-endian, link type
// LINKTYPE_RAW (101), every frame an IPv4 (RFC 791) or IPv6 (RFC 8200)
// header and a UDP header (RFC 768) with its checksum, built by
// internal/pcapng (which the SFU's recorder writes pcapng with).
// ParseCapture reads it back to the same datagrams. Source and destination
// must be of one family.
func AppendPcap(dst []byte, datagrams []Datagram) ([]byte, error) {
	dst = binary.LittleEndian.AppendUint32(dst, 0xa1b23c4d)
	dst = binary.LittleEndian.AppendUint16(dst, 2)
	dst = binary.LittleEndian.AppendUint16(dst, 4)
	dst = binary.LittleEndian.AppendUint32(dst, 0)      // thiszone
	dst = binary.LittleEndian.AppendUint32(dst, 0)      // sigfigs
	dst = binary.LittleEndian.AppendUint32(dst, 262144) // snaplen
	dst = binary.LittleEndian.AppendUint32(dst, pcapng.LinkTypeRaw)
	var frame []byte
	for _, d := range datagrams {
		var err error
		if frame, err = pcapng.AppendIPUDP(frame[:0], d.Src, d.Dst, d.Payload); err != nil {
			return nil, fmt.Errorf("conformance: frame %d: %w", d.N, err)
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
