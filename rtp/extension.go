package rtp

import "fmt"

// Extension block profiles of RFC 8285.
const (
	// ExtensionProfileOneByte marks a block of one-byte elements, IDs 1–14
	// and values of 1–16 bytes (RFC 8285 §4.2).
	ExtensionProfileOneByte uint16 = 0xBEDE
	// ExtensionProfileTwoByte is the two-byte form 0x100X with appbits 0;
	// any 0x100X (X the 4 appbits) is recognised, IDs 1–255 and values of
	// 0–255 bytes (RFC 8285 §4.3).
	ExtensionProfileTwoByte uint16 = 0x1000
)

// ExtensionForm says how a header extension block is laid out.
type ExtensionForm uint8

// The forms of ExtensionFormOf.
const (
	ExtensionFormNone    ExtensionForm = iota // no RFC 8285 elements (no block, or another profile)
	ExtensionFormOneByte                      // RFC 8285 §4.2
	ExtensionFormTwoByte                      // RFC 8285 §4.3
)

// ExtensionFormOf maps an extension block profile to its RFC 8285 form.
func ExtensionFormOf(profile uint16) ExtensionForm {
	switch {
	case profile == ExtensionProfileOneByte:
		return ExtensionFormOneByte
	case profile&0xfff0 == ExtensionProfileTwoByte:
		return ExtensionFormTwoByte
	}
	return ExtensionFormNone
}

// Extension is one RFC 8285 header extension element.
type Extension struct {
	ID    uint8  // local identifier: 1–14 one-byte, 1–255 two-byte
	Value []byte // element data, referencing the parsed buffer
	// ElementOffset is the offset of the element's first (ID) byte inside
	// the buffer given to Header.Unmarshal; ValueOffset that of Value.
	ElementOffset, ValueOffset int
}

// ExtensionIterator walks the elements of a header's extension block,
// skipping padding. Use it as
//
//	it := h.Extensions()
//	for e, ok := it.Next(); ok; e, ok = it.Next() { … }
type ExtensionIterator struct {
	data []byte
	base int // offset of data inside the packet
	pos  int
	form ExtensionForm
}

// Extensions returns an iterator over h's RFC 8285 extension elements.
// It yields nothing when h has no block or an unknown profile.
func (h *Header) Extensions() ExtensionIterator {
	return ExtensionIterator{data: h.ExtensionPayload, base: h.ExtensionOffset, form: ExtensionFormOf(h.ExtensionProfile)}
}

// Next returns the next element, or false at the end of the block.
// Padding bytes (ID 0) are skipped; a one-byte ID 15 ends the block
// (RFC 8285 §4.2).
func (it *ExtensionIterator) Next() (Extension, bool) {
	data := it.data
	for p := it.pos; p < len(data); p++ {
		b := data[p]
		if b == 0 { // padding, RFC 8285 §4.1
			continue
		}
		var id uint8
		var vstart, vlen int
		if it.form == ExtensionFormOneByte {
			id = b >> 4
			if id == 0 { // ID 0 with a non-zero length: one padding byte
				continue
			}
			if id == 15 { // RFC 8285 §4.2: stop processing
				break
			}
			vstart, vlen = p+1, int(b&0x0f)+1
		} else if it.form == ExtensionFormTwoByte && p+1 < len(data) {
			id, vstart, vlen = b, p+2, int(data[p+1])
		} else {
			break
		}
		end := vstart + vlen
		if end > len(data) {
			break
		}
		it.pos = end
		return Extension{ID: id, Value: data[vstart:end:end], ElementOffset: it.base + p, ValueOffset: it.base + vstart}, true
	}
	it.pos = len(data)
	return Extension{}, false
}

// validateExtensionElements checks that every RFC 8285 element of an
// extension block lies inside it. Other profiles are opaque and pass.
func validateExtensionElements(profile uint16, data []byte) error {
	form := ExtensionFormOf(profile)
	for p := 0; p < len(data); {
		b := data[p]
		switch form {
		case ExtensionFormNone:
			return nil
		case ExtensionFormOneByte:
			if b>>4 == 15 {
				return nil // RFC 8285 §4.2: the rest is not parsed
			}
			if b>>4 == 0 {
				p++
				continue
			}
			end := p + 2 + int(b&0x0f)
			if end > len(data) {
				return fmt.Errorf("rtp: one-byte extension ID %d length %d overruns the %d-byte block at offset %d (RFC 8285 §4.2)", b>>4, int(b&0x0f)+1, len(data), p)
			}
			p = end
		case ExtensionFormTwoByte:
			if b == 0 {
				p++
				continue
			}
			if p+1 >= len(data) {
				return fmt.Errorf("rtp: two-byte extension ID %d at offset %d has no length byte (RFC 8285 §4.3)", b, p)
			}
			end := p + 2 + int(data[p+1])
			if end > len(data) {
				return fmt.Errorf("rtp: two-byte extension ID %d length %d overruns the %d-byte block at offset %d (RFC 8285 §4.3)", b, data[p+1], len(data), p)
			}
			p = end
		}
	}
	return nil
}

// GetExtension returns the value of the first element with the given ID,
// or nil when there is none (RFC 8285 §4). It walks the block like
// Extensions, without building an Extension per element.
func (h *Header) GetExtension(id uint8) []byte {
	data := h.ExtensionPayload
	switch ExtensionFormOf(h.ExtensionProfile) {
	case ExtensionFormOneByte:
		if id == 0 || id > 14 {
			return nil
		}
		for p := 0; p < len(data); {
			b := data[p]
			switch b >> 4 {
			case 0: // padding
				p++
				continue
			case 15: // RFC 8285 §4.2: stop processing
				return nil
			}
			end := p + 2 + int(b&0x0f)
			if end > len(data) {
				return nil
			}
			if b>>4 == id {
				return data[p+1 : end : end]
			}
			p = end
		}
	case ExtensionFormTwoByte:
		if id == 0 {
			return nil
		}
		for p := 0; p < len(data); {
			b := data[p]
			if b == 0 { // padding
				p++
				continue
			}
			if p+1 >= len(data) {
				return nil
			}
			end := p + 2 + int(data[p+1])
			if end > len(data) {
				return nil
			}
			if b == id {
				return data[p+2 : end : end]
			}
			p = end
		}
	}
	return nil
}
