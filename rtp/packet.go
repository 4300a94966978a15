package rtp

import "fmt"

// Packet is an RTP packet: header, payload and padding (RFC 3550 §5.1).
// Unmarshal makes Payload and Padding reference the parsed buffer.
type Packet struct {
	Header
	Payload []byte
	// Padding holds the padding octets including the final count octet,
	// exactly as received, so a packet marshals back to the same bytes.
	// It is empty unless Header.Padding is set.
	Padding []byte
}

// Unmarshal parses a whole RTP packet. It does not allocate.
func (p *Packet) Unmarshal(b []byte) error {
	n, err := p.Header.Unmarshal(b)
	if err != nil {
		return err
	}
	end := len(b)
	p.Padding = nil
	if p.Header.Padding {
		if end == n {
			return fmt.Errorf("rtp: padding bit set but no payload after the %d-byte header (RFC 3550 §5.1)", n)
		}
		pad := int(b[end-1])
		if pad == 0 || pad > end-n {
			return fmt.Errorf("rtp: padding count %d, want 1..%d (RFC 3550 §5.1)", pad, end-n)
		}
		end -= pad
		p.Padding = b[end:len(b):len(b)]
	}
	p.Payload = b[n:end:end]
	return nil
}

// MarshalSize returns the number of bytes MarshalTo writes.
func (p *Packet) MarshalSize() int {
	n := p.Header.MarshalSize() + len(p.Payload)
	if p.Header.Padding {
		n += len(p.Padding)
	}
	return n
}

// MarshalTo writes the packet into buf and returns its length. When the
// padding bit is set, Padding must be non-empty and end in its own length
// (RFC 3550 §5.1); see SetPadding.
func (p *Packet) MarshalTo(buf []byte) (int, error) {
	if p.Header.Padding {
		if len(p.Padding) == 0 || len(p.Padding) > 255 || int(p.Padding[len(p.Padding)-1]) != len(p.Padding) {
			return 0, fmt.Errorf("rtp: padding of %d bytes must end in its length (RFC 3550 §5.1)", len(p.Padding))
		}
	}
	size := p.MarshalSize()
	if len(buf) < size {
		return 0, fmt.Errorf("rtp: buffer length %d, packet needs %d", len(buf), size)
	}
	n, err := p.Header.MarshalTo(buf)
	if err != nil {
		return 0, err
	}
	n += copy(buf[n:], p.Payload)
	if p.Header.Padding {
		n += copy(buf[n:], p.Padding)
	}
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *Packet) Marshal() ([]byte, error) {
	buf := make([]byte, p.MarshalSize())
	n, err := p.MarshalTo(buf)
	if err != nil {
		return nil, err
	}
	return buf[:n], nil
}

// SetPadding sets the padding bit and fills scratch (at least size bytes)
// with size-1 zero octets and the count octet (RFC 3550 §5.1); size 0
// removes the padding.
func (p *Packet) SetPadding(size int, scratch []byte) error {
	if size == 0 {
		p.Header.Padding = false
		p.Padding = nil
		return nil
	}
	if size > 255 || len(scratch) < size {
		return fmt.Errorf("rtp: padding size %d, want 1..255 and a scratch buffer that large (RFC 3550 §5.1)", size)
	}
	clear(scratch[:size-1])
	scratch[size-1] = byte(size)
	p.Header.Padding = true
	p.Padding = scratch[:size]
	return nil
}
