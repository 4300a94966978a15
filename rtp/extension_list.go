package rtp

import "fmt"

// MaxExtensionElements is how many elements an ExtensionList holds.
const MaxExtensionElements = 32

// ExtensionList is an editable set of header extension elements, for
// building a new extension block (the SFU's per-subscriber rewrite). It is a
// fixed-size value: filling and marshalling it does not allocate. Values are
// referenced, not copied.
type ExtensionList struct {
	n     int
	elems [MaxExtensionElements]struct {
		id    uint8
		value []byte
	}
}

// Reset empties the list.
func (l *ExtensionList) Reset() { l.n = 0 }

// Len returns the number of elements.
func (l *ExtensionList) Len() int { return l.n }

// At returns the i-th element's ID and value.
func (l *ExtensionList) At(i int) (id uint8, value []byte) {
	return l.elems[i].id, l.elems[i].value
}

// FromHeader replaces the list with the elements of h's extension block.
func (l *ExtensionList) FromHeader(h *Header) error {
	l.n = 0
	it := h.Extensions()
	for e, ok := it.Next(); ok; e, ok = it.Next() {
		if err := l.Set(e.ID, e.Value); err != nil {
			return err
		}
	}
	return nil
}

// Get returns the value of the element with the given ID, or nil.
func (l *ExtensionList) Get(id uint8) []byte {
	for i := 0; i < l.n; i++ {
		if l.elems[i].id == id {
			return l.elems[i].value
		}
	}
	return nil
}

// Set adds the element or replaces the value of the element with that ID.
// ID 0 is padding and not an identifier (RFC 8285 §4.2, §4.3); values are
// at most 255 bytes (two-byte form).
func (l *ExtensionList) Set(id uint8, value []byte) error {
	if id == 0 {
		return fmt.Errorf("rtp: extension ID 0 is reserved for padding (RFC 8285 §4.2)")
	}
	if len(value) > 255 {
		return fmt.Errorf("rtp: extension ID %d value %d bytes, want at most 255 (RFC 8285 §4.3)", id, len(value))
	}
	for i := 0; i < l.n; i++ {
		if l.elems[i].id == id {
			l.elems[i].value = value
			return nil
		}
	}
	if l.n == MaxExtensionElements {
		return fmt.Errorf("rtp: extension list full at %d elements", MaxExtensionElements)
	}
	l.elems[l.n].id, l.elems[l.n].value = id, value
	l.n++
	return nil
}

// Remove deletes the element with the given ID, keeping the others in order.
func (l *ExtensionList) Remove(id uint8) {
	for i := 0; i < l.n; i++ {
		if l.elems[i].id == id {
			copy(l.elems[i:l.n], l.elems[i+1:l.n])
			l.n--
			l.elems[l.n].value = nil
			return
		}
	}
}

// Remap changes every element's ID through m; elements mapped to 0 are
// removed. This is how the SFU renumbers extensions for a subscriber whose
// SDP negotiated other IDs.
func (l *ExtensionList) Remap(m *ExtensionIDMap) {
	j := 0
	for i := 0; i < l.n; i++ {
		if to := m[l.elems[i].id]; to != 0 {
			l.elems[j].id, l.elems[j].value = to, l.elems[i].value
			j++
		}
	}
	for k := j; k < l.n; k++ {
		l.elems[k].value = nil
	}
	l.n = j
}

// Form returns the form the elements require: one-byte when every ID is
// 1–14 and every value 1–16 bytes, two-byte otherwise (RFC 8285 §4.2, §4.3;
// sending the two-byte form needs a=extmap-allow-mixed, RFC 8285 §6).
// An empty list has ExtensionFormNone.
func (l *ExtensionList) Form() ExtensionForm {
	if l.n == 0 {
		return ExtensionFormNone
	}
	for i := 0; i < l.n; i++ {
		e := &l.elems[i]
		if e.id > 14 || len(e.value) == 0 || len(e.value) > 16 {
			return ExtensionFormTwoByte
		}
	}
	return ExtensionFormOneByte
}

// Profile returns the extension block profile for Form: 0xBEDE or 0x1000.
func (l *ExtensionList) Profile() uint16 {
	if l.Form() == ExtensionFormTwoByte {
		return ExtensionProfileTwoByte
	}
	return ExtensionProfileOneByte
}

// MarshalSize returns the size of the extension block payload (without the
// 4-byte block header), padded to a multiple of 4 (RFC 3550 §5.3.1).
func (l *ExtensionList) MarshalSize() int {
	per := 1
	if l.Form() == ExtensionFormTwoByte {
		per = 2
	}
	n := 0
	for i := 0; i < l.n; i++ {
		n += per + len(l.elems[i].value)
	}
	return (n + 3) &^ 3
}

// MarshalTo writes the elements in the form Form picks, zero-padded to a
// multiple of 4, and returns the byte count. Put the result in
// Header.ExtensionPayload with Header.ExtensionProfile = l.Profile().
func (l *ExtensionList) MarshalTo(buf []byte) (int, error) {
	size := l.MarshalSize()
	if len(buf) < size {
		return 0, fmt.Errorf("rtp: buffer length %d, extension block needs %d", len(buf), size)
	}
	two := l.Form() == ExtensionFormTwoByte
	p := 0
	for i := 0; i < l.n; i++ {
		e := &l.elems[i]
		if two {
			buf[p], buf[p+1] = e.id, byte(len(e.value))
			p += 2
		} else {
			buf[p] = e.id<<4 | byte(len(e.value)-1)
			p++
		}
		p += copy(buf[p:], e.value)
	}
	clear(buf[p:size])
	return size, nil
}

// SetOn marshals the list into scratch and points h's extension block at it
// (clearing the X bit when the list is empty).
func (l *ExtensionList) SetOn(h *Header, scratch []byte) error {
	if l.n == 0 {
		h.Extension, h.ExtensionProfile, h.ExtensionPayload = false, 0, nil
		return nil
	}
	n, err := l.MarshalTo(scratch)
	if err != nil {
		return err
	}
	h.Extension = true
	h.ExtensionProfile = l.Profile()
	h.ExtensionPayload = scratch[:n]
	return nil
}
