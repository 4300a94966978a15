package rtp

import (
	"encoding/binary"
	"fmt"
)

// The SFU's per-subscriber rewrite of a marshalled packet, in place: the
// fixed header fields, the extension IDs and same-size extension values.
// When sizes change, rebuild the block with an ExtensionList instead.

// ExtensionIDMap maps a publisher's extension IDs to a subscriber's:
// m[from] = to, 0 meaning drop.
type ExtensionIDMap [256]uint8

// RemapExtensionIDsInPlace rewrites the IDs of the extension elements of a
// marshalled packet pkt, which h was unmarshalled from, through m. Elements
// mapped to 0 become padding (zero bytes, RFC 8285 §4.1), so the packet
// length never changes. In the one-byte form a target ID above 14 does not
// fit: the packet is left unchanged and an error is returned, and the
// caller rebuilds the block with an ExtensionList instead.
func RemapExtensionIDsInPlace(pkt []byte, h *Header, m *ExtensionIDMap) error {
	form := ExtensionFormOf(h.ExtensionProfile)
	if form == ExtensionFormNone {
		return nil
	}
	if h.ExtensionOffset+len(h.ExtensionPayload) > len(pkt) {
		return fmt.Errorf("rtp: packet of %d bytes does not hold the header's extension block", len(pkt))
	}
	if form == ExtensionFormOneByte {
		if id, to, ok := oneByteRemapFits(h, m); !ok {
			return fmt.Errorf("rtp: extension ID %d maps to %d, which the one-byte form cannot carry (RFC 8285 §4.2)", id, to)
		}
	}
	it := h.Extensions()
	for e, ok := it.Next(); ok; e, ok = it.Next() {
		to := m[e.ID]
		switch {
		case to == 0:
			clear(pkt[e.ElementOffset : e.ValueOffset+len(e.Value)])
		case form == ExtensionFormOneByte:
			pkt[e.ElementOffset] = to<<4 | pkt[e.ElementOffset]&0x0f
		default:
			pkt[e.ElementOffset] = to
		}
	}
	return nil
}

// SetExtensionInPlace overwrites the value of the element with the given ID
// in the marshalled packet pkt (which h was unmarshalled from) when the new
// value has the same length, and reports whether it did. The SFU uses it to
// restamp a transport-wide sequence number or abs-send-time without
// rebuilding the packet.
func SetExtensionInPlace(pkt []byte, h *Header, id uint8, value []byte) bool {
	it := h.Extensions()
	for e, ok := it.Next(); ok; e, ok = it.Next() {
		if e.ID == id {
			if len(e.Value) != len(value) || e.ValueOffset+len(value) > len(pkt) {
				return false
			}
			copy(pkt[e.ValueOffset:], value)
			return true
		}
	}
	return false
}

// RewriteFixedHeader sets payload type, sequence number, timestamp and SSRC
// of a marshalled packet in place (RFC 3550 §5.1), keeping the marker bit.
func RewriteFixedHeader(pkt []byte, pt uint8, seq uint16, ts, ssrc uint32) error {
	if len(pkt) < HeaderSize {
		return fmt.Errorf("rtp: header length %d, want at least %d (RFC 3550 §5.1)", len(pkt), HeaderSize)
	}
	pkt[1] = pkt[1]&0x80 | pt&0x7f
	binary.BigEndian.PutUint16(pkt[2:], seq)
	binary.BigEndian.PutUint32(pkt[4:], ts)
	binary.BigEndian.PutUint32(pkt[8:], ssrc)
	return nil
}

// RemapExtensionIDs renumbers the extension elements of the marshalled
// packet pkt (which h was unmarshalled from) through m, in place when it
// can, and otherwise (a target ID above 14 in a one-byte block) by
// rebuilding the packet into dst with a two-byte block, which needs
// a=extmap-allow-mixed (RFC 8285 §6). It returns the rewritten packet:
// pkt itself or a prefix of dst. It does not allocate.
func RemapExtensionIDs(dst, pkt []byte, h *Header, m *ExtensionIDMap) ([]byte, error) {
	if _, _, ok := oneByteRemapFits(h, m); ok || ExtensionFormOf(h.ExtensionProfile) != ExtensionFormOneByte {
		if err := RemapExtensionIDsInPlace(pkt, h, m); err != nil {
			return nil, err
		}
		return pkt, nil
	}
	hdrLen := h.MarshalSize()
	if hdrLen > len(pkt) {
		return nil, fmt.Errorf("rtp: packet of %d bytes shorter than its %d-byte header", len(pkt), hdrLen)
	}
	var l ExtensionList
	if err := l.FromHeader(h); err != nil {
		return nil, err
	}
	l.Remap(m)
	blockAt := HeaderSize + 4*int(h.CSRCCount) + 4
	size := l.MarshalSize()
	if len(dst) < blockAt+size+len(pkt)-hdrLen {
		return nil, fmt.Errorf("rtp: buffer length %d, rebuilt packet needs %d", len(dst), blockAt+size+len(pkt)-hdrLen)
	}
	h2 := *h
	// The element values still reference pkt, so the block is written
	// into dst, which must not overlap pkt.
	if err := l.SetOn(&h2, dst[blockAt:blockAt+size]); err != nil {
		return nil, err
	}
	n, err := h2.MarshalTo(dst)
	if err != nil {
		return nil, err
	}
	n += copy(dst[n:], pkt[hdrLen:])
	return dst[:n], nil
}

// oneByteRemapFits reports whether every element's target ID fits the
// one-byte form (RFC 8285 §4.2), and the first that does not.
func oneByteRemapFits(h *Header, m *ExtensionIDMap) (id, to uint8, ok bool) {
	it := h.Extensions()
	for e, more := it.Next(); more; e, more = it.Next() {
		if t := m[e.ID]; t > 14 {
			return e.ID, t, false
		}
	}
	return 0, 0, true
}
