package rtcp

// RawPacket is a packet kept as bytes: an unknown packet type, or a feedback
// format this package does not decode (RFC 3550 §6.1: unknown types are
// ignored, here preserved). It is the whole packet, header included.
type RawPacket struct {
	Header
	Data []byte // the whole packet, referencing the input
}

// Unmarshal checks b's header and length and keeps it.
func (p *RawPacket) Unmarshal(b []byte) error {
	h, _, _, err := parsePacket(b, PacketType(b1(b)), "raw packet")
	if err != nil {
		return err
	}
	p.Header, p.Data = h, b
	return nil
}

func b1(b []byte) byte {
	if len(b) < 2 {
		return 0
	}
	return b[1]
}

// MarshalSize is the packet's size in bytes.
func (p *RawPacket) MarshalSize() int { return len(p.Data) }

// MarshalTo copies the packet into b.
func (p *RawPacket) MarshalTo(b []byte) (int, error) {
	if len(b) < len(p.Data) {
		return 0, errShortBuffer("raw packet", len(p.Data), len(b))
	}
	return copy(b, p.Data), nil
}

// Marshal returns a copy of the packet.
func (p *RawPacket) Marshal() ([]byte, error) { return marshal(p) }
