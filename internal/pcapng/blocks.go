package pcapng

import (
	"encoding/binary"
	"time"
)

// LinkTypeRaw is LINKTYPE_RAW: each frame is an IPv4 or IPv6 packet, the
// version in its first nibble (tcpdump.org link-layer header types).
const LinkTypeRaw = 101

// Block types and option codes (draft-ietf-opsawg-pcapng §4, §3.5).
const (
	blockSHB = 0x0a0d0d0a
	blockIDB = 0x00000001
	blockEPB = 0x00000006

	optEndOfOpt = 0
	optComment  = 1
	optIfName   = 2
	optTSResol  = 9
)

var le = binary.LittleEndian

// appendOption appends one option, its value padded to 32 bits (§3.5).
func appendOption(dst []byte, code uint16, val []byte) []byte {
	dst = le.AppendUint16(dst, code)
	dst = le.AppendUint16(dst, uint16(len(val)))
	dst = append(dst, val...)
	for i := len(val); i%4 != 0; i++ {
		dst = append(dst, 0)
	}
	return dst
}

// block wraps a body as a block: type, total length, body, total length
// again (§3.1). body must be a multiple of 4 bytes.
func block(dst []byte, typ uint32, body []byte) []byte {
	total := uint32(12 + len(body))
	dst = le.AppendUint32(dst, typ)
	dst = le.AppendUint32(dst, total)
	dst = append(dst, body...)
	return le.AppendUint32(dst, total)
}

// AppendSectionHeader appends a little-endian Section Header Block, version
// 1.0, section length unknown (§4.1), with comment as opt_comment when not
// empty.
func AppendSectionHeader(dst []byte, comment string) []byte {
	body := le.AppendUint32(nil, 0x1a2b3c4d)
	body = le.AppendUint16(body, 1)
	body = le.AppendUint16(body, 0)
	body = le.AppendUint64(body, 0xffffffffffffffff)
	if comment != "" {
		body = appendOption(body, optComment, []byte(comment))
		body = appendOption(body, optEndOfOpt, nil)
	}
	return block(dst, blockSHB, body)
}

// AppendInterface appends an Interface Description Block (§4.2): the link
// type, no snapshot limit, timestamps in nanoseconds (if_tsresol 9) and
// if_name when name is not empty. Interfaces are numbered from 0 in the
// order they are appended.
func AppendInterface(dst []byte, linkType uint16, name string) []byte {
	body := le.AppendUint16(nil, linkType)
	body = le.AppendUint16(body, 0)
	body = le.AppendUint32(body, 0) // snaplen 0: no limit
	if name != "" {
		body = appendOption(body, optIfName, []byte(name))
	}
	body = appendOption(body, optTSResol, []byte{9})
	body = appendOption(body, optEndOfOpt, nil)
	return block(dst, blockIDB, body)
}

// AppendPacket appends an Enhanced Packet Block (§4.3) holding frame,
// captured whole, on interface iface at time t (nanoseconds since the
// Unix epoch, as AppendInterface declares).
func AppendPacket(dst []byte, iface uint32, t time.Time, frame []byte) []byte {
	ns := uint64(t.UnixNano())
	n := len(frame)
	total := uint32(PacketSize(n))
	dst = le.AppendUint32(dst, blockEPB)
	dst = le.AppendUint32(dst, total)
	dst = le.AppendUint32(dst, iface)
	dst = le.AppendUint32(dst, uint32(ns>>32))
	dst = le.AppendUint32(dst, uint32(ns))
	dst = le.AppendUint32(dst, uint32(n))
	dst = le.AppendUint32(dst, uint32(n))
	dst = append(dst, frame...)
	for i := n; i%4 != 0; i++ {
		dst = append(dst, 0)
	}
	return le.AppendUint32(dst, total)
}

// PacketSize is how many bytes AppendPacket adds for a frame of n bytes.
func PacketSize(n int) int { return 12 + 20 + (n+3)&^3 }
