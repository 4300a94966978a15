package conformance

import (
	"encoding/binary"
	"fmt"
	"time"
)

// Classic pcap (draft-ietf-opsawg-pcap; libpcap's savefile format): a 24-byte
// file header whose magic number gives the byte order and the timestamp unit
// (0xa1b2c3d4 microseconds, 0xa1b23c4d nanoseconds), then records of a
// 16-byte header (seconds, sub-seconds, captured length, original length)
// followed by the captured bytes.
const (
	pcapMagicMicro = 0xa1b2c3d4
	pcapMagicNano  = 0xa1b23c4d
	pcapHeaderLen  = 24
	pcapRecordLen  = 16
)

// pcapMagic reports the byte order and whether timestamps are nanoseconds.
func pcapMagic(b []byte) (order binary.ByteOrder, nano, ok bool) {
	for _, o := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		switch o.Uint32(b) {
		case pcapMagicMicro:
			return o, false, true
		case pcapMagicNano:
			return o, true, true
		}
	}
	return nil, false, false
}

func (c *captureParser) parsePcap(b []byte) error {
	order, nano, _ := pcapMagic(b)
	c.stats.Format = "pcap"
	if nano {
		c.stats.Format = "pcap-ns"
	}
	if len(b) < pcapHeaderLen {
		return fmt.Errorf("conformance: pcap file header at offset 0 is %d bytes, want %d", len(b), pcapHeaderLen)
	}
	// The link-layer header type is the low 16 bits of the last field; the
	// upper bits may carry FCS information (draft-ietf-opsawg-pcap §4).
	linkType := order.Uint32(b[20:]) & 0xffff
	off := pcapHeaderLen
	for rec := 1; off < len(b); rec++ {
		if len(b)-off < pcapRecordLen {
			return fmt.Errorf("conformance: pcap record %d at offset %d: header truncated (%d of %d bytes)", rec, off, len(b)-off, pcapRecordLen)
		}
		h := b[off : off+pcapRecordLen]
		sec, sub := order.Uint32(h[0:]), order.Uint32(h[4:])
		capLen := order.Uint32(h[8:])
		if uint64(capLen) > uint64(len(b)-off-pcapRecordLen) {
			return fmt.Errorf("conformance: pcap record %d at offset %d: captured length %d exceeds the %d bytes left", rec, off, capLen, len(b)-off-pcapRecordLen)
		}
		nsec := int64(sub)
		if !nano {
			nsec *= 1000
		}
		data := b[off+pcapRecordLen : off+pcapRecordLen+int(capLen)]
		c.frame(linkType, time.Unix(int64(sec), nsec), data)
		off += pcapRecordLen + int(capLen)
	}
	return nil
}
