package datachannel

import "fmt"

// Ack is DATA_CHANNEL_ACK (RFC 8832 §5.2): a single Message Type byte 0x02.
type Ack struct {
	// Trailing holds bytes after the Message Type. RFC 8832 defines none;
	// they are kept so that parse→marshal is lossless.
	Trailing []byte
}

// MarshalSize returns the encoded length of a.
func (a *Ack) MarshalSize() int { return 1 + len(a.Trailing) }

// Marshal returns a encoded in a new buffer.
func (a *Ack) Marshal() ([]byte, error) {
	b := make([]byte, a.MarshalSize())
	_, err := a.MarshalTo(b)
	return b, err
}

// MarshalTo encodes a into b and returns the number of bytes written.
func (a *Ack) MarshalTo(b []byte) (int, error) {
	n := a.MarshalSize()
	if len(b) < n {
		return 0, fmt.Errorf("%w: DATA_CHANNEL_ACK needs %d bytes, have %d", ErrShortBuffer, n, len(b))
	}
	b[0] = byte(MessageTypeAck)
	copy(b[1:], a.Trailing)
	return n, nil
}

// Unmarshal parses DATA_CHANNEL_ACK from b (RFC 8832 §5.2).
func (a *Ack) Unmarshal(b []byte) error {
	if len(b) < 1 {
		return fmt.Errorf("%w: DATA_CHANNEL_ACK is empty, want 1 byte (RFC 8832 §5.2)", errTruncated)
	}
	if MessageType(b[0]) != MessageTypeAck {
		return fmt.Errorf("datachannel: message type 0x%02x, want 0x02 DATA_CHANNEL_ACK (RFC 8832 §5.2)", b[0])
	}
	a.Trailing = nil
	if len(b) > 1 {
		a.Trailing = b[1:]
	}
	return nil
}
