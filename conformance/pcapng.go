package conformance

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"time"
)

// pcapng (draft-ietf-opsawg-pcapng): a file is one or more sections, each a
// Section Header Block (whose byte-order magic sets the byte order of the
// whole section) followed by blocks of {type, total length, body, total
// length}. Interface Description Blocks give each interface its link type,
// snapshot length and timestamp resolution; Enhanced, Simple and (obsolete)
// Packet Blocks carry the frames. Every other block is skipped.
const (
	pcapngSHBType = 0x0a0d0d0a // Section Header Block (§4.1)
	pcapngIDBType = 0x00000001 // Interface Description Block (§4.2)
	pcapngPBType  = 0x00000002 // Packet Block, obsolete (Appendix A)
	pcapngSPBType = 0x00000003 // Simple Packet Block (§4.4)
	pcapngEPBType = 0x00000006 // Enhanced Packet Block (§4.3)

	pcapngByteOrderMagic = 0x1a2b3c4d

	optEndOfOpt  = 0
	optTSResol   = 9  // if_tsresol (§4.2)
	optTSOffset  = 14 // if_tsoffset (§4.2)
	blockMinSize = 12 // type, length, trailing length
)

// pcapngInterface is what an IDB says about the frames of one interface.
type pcapngInterface struct {
	linkType uint32
	snapLen  uint32
	// Timestamp unit: 10^-exp10 seconds, or 2^-exp2 seconds when pow2 is set.
	pow2   bool
	exp    uint8
	offset int64 // if_tsoffset, seconds added to every timestamp
}

// time converts a 64-bit timestamp in this interface's units to a time.
func (ifc *pcapngInterface) time(ts uint64) time.Time {
	var sec, nsec uint64
	if ifc.pow2 {
		sec = ts >> ifc.exp
		frac := ts & (1<<ifc.exp - 1)
		hi, lo := bits.Mul64(frac, 1e9)
		nsec = lo>>ifc.exp | hi<<(64-ifc.exp) // (frac·10^9) / 2^exp, frac < 2^exp
	} else {
		unit := uint64(1)
		for i := uint8(0); i < ifc.exp; i++ {
			unit *= 10
		}
		sec, nsec = ts/unit, ts%unit
		switch {
		case ifc.exp <= 9:
			for i := ifc.exp; i < 9; i++ {
				nsec *= 10
			}
		default:
			for i := uint8(9); i < ifc.exp; i++ {
				nsec /= 10
			}
		}
	}
	return time.Unix(int64(sec)+ifc.offset, int64(nsec))
}

func (c *captureParser) parsePcapng(b []byte) error {
	var (
		order  binary.ByteOrder = binary.LittleEndian
		ifaces []pcapngInterface
	)
	off := 0
	for blk := 1; off < len(b); blk++ {
		if len(b)-off < blockMinSize {
			return fmt.Errorf("conformance: pcapng block %d at offset %d: %d bytes left, a block needs at least %d", blk, off, len(b)-off, blockMinSize)
		}
		typ := order.Uint32(b[off:])
		if binary.LittleEndian.Uint32(b[off:]) == pcapngSHBType {
			typ = pcapngSHBType
			// The SHB's byte-order magic sets the order for this section (§4.1).
			switch m := b[off+8 : off+12]; {
			case binary.LittleEndian.Uint32(m) == pcapngByteOrderMagic:
				order = binary.LittleEndian
			case binary.BigEndian.Uint32(m) == pcapngByteOrderMagic:
				order = binary.BigEndian
			default:
				return fmt.Errorf("conformance: pcapng block %d at offset %d: section header byte-order magic %#x, want 0x1a2b3c4d (§4.1)", blk, off, m)
			}
			ifaces = ifaces[:0]
		}
		total := order.Uint32(b[off+4:])
		if total < blockMinSize || total%4 != 0 {
			return fmt.Errorf("conformance: pcapng block %d (type %#x) at offset %d: total length %d is not a multiple of 4 of at least 12 (§3.1)", blk, typ, off, total)
		}
		if uint64(total) > uint64(len(b)-off) {
			return fmt.Errorf("conformance: pcapng block %d (type %#x) at offset %d: total length %d but %d bytes left (truncated file)", blk, typ, off, total, len(b)-off)
		}
		if trail := order.Uint32(b[off+int(total)-4:]); trail != total {
			return fmt.Errorf("conformance: pcapng block %d (type %#x) at offset %d: trailing length %d differs from leading %d (§3.1)", blk, typ, off, trail, total)
		}
		body := b[off+8 : off+int(total)-4]
		var err error
		switch typ {
		case pcapngSHBType:
			if len(body) < 16 {
				err = fmt.Errorf("body %d bytes, want at least 16 (§4.1)", len(body))
			} else if major := order.Uint16(body[4:]); major != 1 {
				err = fmt.Errorf("section version %d.%d, want 1.x (§4.1)", major, order.Uint16(body[6:]))
			}
		case pcapngIDBType:
			var ifc pcapngInterface
			ifc, err = parseIDB(order, body)
			ifaces = append(ifaces, ifc)
		case pcapngEPBType, pcapngPBType:
			err = c.pcapngPacket(order, typ, body, ifaces)
		case pcapngSPBType:
			err = c.pcapngSimplePacket(order, body, ifaces)
		}
		if err != nil {
			return fmt.Errorf("conformance: pcapng block %d (type %#x) at offset %d: %w", blk, typ, off, err)
		}
		off += int(total)
	}
	return nil
}

// parseIDB reads an Interface Description Block body (§4.2).
func parseIDB(order binary.ByteOrder, body []byte) (pcapngInterface, error) {
	ifc := pcapngInterface{exp: 6} // default resolution: microseconds (§4.2)
	if len(body) < 8 {
		return ifc, fmt.Errorf("interface description body %d bytes, want at least 8 (§4.2)", len(body))
	}
	ifc.linkType = uint32(order.Uint16(body[0:]))
	ifc.snapLen = order.Uint32(body[4:])
	err := walkOptions(order, body[8:], func(code uint16, val []byte) error {
		switch code {
		case optTSResol:
			if len(val) != 1 {
				return fmt.Errorf("if_tsresol length %d, want 1 (§4.2)", len(val))
			}
			ifc.pow2, ifc.exp = val[0]&0x80 != 0, val[0]&0x7f
			if (ifc.pow2 && ifc.exp > 63) || (!ifc.pow2 && ifc.exp > 19) {
				return fmt.Errorf("if_tsresol %#x does not fit 64-bit timestamps", val[0])
			}
		case optTSOffset:
			if len(val) != 8 {
				return fmt.Errorf("if_tsoffset length %d, want 8 (§4.2)", len(val))
			}
			ifc.offset = int64(order.Uint64(val))
		}
		return nil
	})
	return ifc, err
}

// walkOptions calls fn for each option up to opt_endofopt (§3.5).
func walkOptions(order binary.ByteOrder, b []byte, fn func(code uint16, val []byte) error) error {
	for len(b) >= 4 {
		code, n := order.Uint16(b), int(order.Uint16(b[2:]))
		if code == optEndOfOpt {
			return nil
		}
		padded := (n + 3) &^ 3
		if len(b)-4 < padded {
			return fmt.Errorf("option %d length %d overruns the block (§3.5)", code, n)
		}
		if err := fn(code, b[4:4+n]); err != nil {
			return err
		}
		b = b[4+padded:]
	}
	return nil
}

// pcapngPacket handles an Enhanced Packet Block (§4.3) or an obsolete Packet
// Block (Appendix A); both carry interface, 64-bit timestamp, captured and
// original lengths, then the data.
func (c *captureParser) pcapngPacket(order binary.ByteOrder, typ uint32, body []byte, ifaces []pcapngInterface) error {
	if len(body) < 20 {
		return fmt.Errorf("packet block body %d bytes, want at least 20 (§4.3)", len(body))
	}
	var ifID uint32
	if typ == pcapngEPBType {
		ifID = order.Uint32(body)
	} else {
		ifID = uint32(order.Uint16(body))
	}
	if uint64(ifID) >= uint64(len(ifaces)) {
		return fmt.Errorf("interface %d not described (%d interfaces in this section, §4.3)", ifID, len(ifaces))
	}
	ts := uint64(order.Uint32(body[4:]))<<32 | uint64(order.Uint32(body[8:]))
	capLen := order.Uint32(body[12:])
	if uint64(capLen) > uint64(len(body)-20) {
		return fmt.Errorf("captured length %d exceeds the block's %d data bytes (§4.3)", capLen, len(body)-20)
	}
	ifc := &ifaces[ifID]
	c.frame(ifc.linkType, ifc.time(ts), body[20:20+capLen])
	return nil
}

// pcapngSimplePacket handles a Simple Packet Block (§4.4): interface 0, no
// timestamp; the captured length is the original length capped by the
// interface's snapshot length and the block size.
func (c *captureParser) pcapngSimplePacket(order binary.ByteOrder, body []byte, ifaces []pcapngInterface) error {
	if len(body) < 4 {
		return fmt.Errorf("simple packet block body %d bytes, want at least 4 (§4.4)", len(body))
	}
	if len(ifaces) == 0 {
		return fmt.Errorf("simple packet block before any interface description (§4.4)")
	}
	n := uint64(order.Uint32(body))
	if s := uint64(ifaces[0].snapLen); s != 0 && s < n {
		n = s
	}
	if avail := uint64(len(body) - 4); avail < n {
		n = avail
	}
	c.frame(ifaces[0].linkType, time.Time{}, body[4:4+n])
	return nil
}
