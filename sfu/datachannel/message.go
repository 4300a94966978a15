package datachannel

import (
	"errors"
	"fmt"
)

// MessageType is the first byte of every DCEP message (RFC 8832 §8.2.1).
type MessageType uint8

// RFC 8832 §8.2.1: 0x00 and 0x01 are reserved, 0xff is reserved for
// extensions.
const (
	MessageTypeAck  MessageType = 0x02
	MessageTypeOpen MessageType = 0x03
)

func (m MessageType) String() string {
	switch m {
	case MessageTypeAck:
		return "DATA_CHANNEL_ACK"
	case MessageTypeOpen:
		return "DATA_CHANNEL_OPEN"
	}
	return fmt.Sprintf("message-type(0x%02x)", uint8(m))
}

// ErrShortBuffer is returned by MarshalTo when the buffer cannot hold the
// message.
var ErrShortBuffer = errors.New("datachannel: buffer too short")

// errTruncated is wrapped by every "input shorter than the field" error.
var errTruncated = errors.New("datachannel: message truncated")

// PeekType returns the message type of a DCEP message (RFC 8832 §5).
func PeekType(b []byte) (MessageType, error) {
	if len(b) < 1 {
		return 0, fmt.Errorf("%w: DCEP message is empty, want a Message Type byte (RFC 8832 §5)", errTruncated)
	}
	return MessageType(b[0]), nil
}

// Message is a parsed DCEP message: exactly one of Open or Ack is set,
// according to Type.
type Message struct {
	Type MessageType
	Open Open
	Ack  Ack
}

// Unmarshal parses a DCEP message (the payload of an SCTP DATA chunk with
// PPID 50) into m. Open's Label and Protocol reference b. Unknown message
// types are an error naming the type (RFC 8832 §8.2.1).
func (m *Message) Unmarshal(b []byte) error {
	t, err := PeekType(b)
	if err != nil {
		return err
	}
	m.Type = t
	switch t {
	case MessageTypeOpen:
		return m.Open.Unmarshal(b)
	case MessageTypeAck:
		return m.Ack.Unmarshal(b)
	}
	return fmt.Errorf("datachannel: message type 0x%02x, want 0x02 (ACK) or 0x03 (OPEN) (RFC 8832 §8.2.1)", uint8(t))
}
