package datachannel

import (
	"encoding/binary"
	"fmt"
)

// openHeaderLen is the fixed part of DATA_CHANNEL_OPEN (RFC 8832 §5.1).
const openHeaderLen = 12

// Open is DATA_CHANNEL_OPEN (RFC 8832 §5.1):
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|  Message Type |  Channel Type |            Priority           |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                    Reliability Parameter                      |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|         Label Length          |       Protocol Length         |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                             Label                             |
//	|                            Protocol                           |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// After Unmarshal, Label, Protocol and Trailing reference the input.
type Open struct {
	ChannelType ChannelType
	Priority    uint16
	// ReliabilityParameter is the retransmission count (rexmit types) or
	// the lifetime in milliseconds (timed types). RFC 8832 §5.1: for reliable
	// channels it is sent as 0 and ignored on receipt.
	ReliabilityParameter uint32
	Label                []byte // UTF-8 (RFC 8832 §5.1)
	Protocol             []byte // UTF-8, an IANA WebSocket subprotocol or empty
	// Trailing holds bytes after Protocol. RFC 8832 defines none; they are
	// kept so that parse→marshal is lossless.
	Trailing []byte
}

// MarshalSize returns the encoded length of o.
func (o *Open) MarshalSize() int {
	return openHeaderLen + len(o.Label) + len(o.Protocol) + len(o.Trailing)
}

// Marshal returns o encoded in a new buffer.
func (o *Open) Marshal() ([]byte, error) {
	b := make([]byte, o.MarshalSize())
	_, err := o.MarshalTo(b)
	return b, err
}

// MarshalTo encodes o into b and returns the number of bytes written.
func (o *Open) MarshalTo(b []byte) (int, error) {
	if len(o.Label) > 0xffff {
		return 0, fmt.Errorf("datachannel: label length %d exceeds the 16-bit Label Length field (RFC 8832 §5.1)", len(o.Label))
	}
	if len(o.Protocol) > 0xffff {
		return 0, fmt.Errorf("datachannel: protocol length %d exceeds the 16-bit Protocol Length field (RFC 8832 §5.1)", len(o.Protocol))
	}
	n := o.MarshalSize()
	if len(b) < n {
		return 0, fmt.Errorf("%w: DATA_CHANNEL_OPEN needs %d bytes, have %d", ErrShortBuffer, n, len(b))
	}
	b[0] = byte(MessageTypeOpen)
	b[1] = byte(o.ChannelType)
	binary.BigEndian.PutUint16(b[2:], o.Priority)
	binary.BigEndian.PutUint32(b[4:], o.ReliabilityParameter)
	binary.BigEndian.PutUint16(b[8:], uint16(len(o.Label)))
	binary.BigEndian.PutUint16(b[10:], uint16(len(o.Protocol)))
	i := openHeaderLen
	i += copy(b[i:], o.Label)
	i += copy(b[i:], o.Protocol)
	i += copy(b[i:], o.Trailing)
	return i, nil
}

// Unmarshal parses DATA_CHANNEL_OPEN from b (RFC 8832 §5.1). The channel
// type is not validated here (see [ChannelType.Valid]) so that unknown types
// still round-trip; the association refuses them.
func (o *Open) Unmarshal(b []byte) error {
	if len(b) < openHeaderLen {
		return fmt.Errorf("%w: DATA_CHANNEL_OPEN length %d, want at least %d (RFC 8832 §5.1)", errTruncated, len(b), openHeaderLen)
	}
	if MessageType(b[0]) != MessageTypeOpen {
		return fmt.Errorf("datachannel: message type 0x%02x, want 0x03 DATA_CHANNEL_OPEN (RFC 8832 §5.1)", b[0])
	}
	labelLen := int(binary.BigEndian.Uint16(b[8:]))
	protoLen := int(binary.BigEndian.Uint16(b[10:]))
	if need := openHeaderLen + labelLen + protoLen; len(b) < need {
		return fmt.Errorf("%w: DATA_CHANNEL_OPEN label length %d + protocol length %d need %d bytes, have %d (RFC 8832 §5.1)",
			errTruncated, labelLen, protoLen, need, len(b))
	}
	o.ChannelType = ChannelType(b[1])
	o.Priority = binary.BigEndian.Uint16(b[2:])
	o.ReliabilityParameter = binary.BigEndian.Uint32(b[4:])
	i := openHeaderLen
	o.Label = b[i : i+labelLen : i+labelLen]
	i += labelLen
	o.Protocol = b[i : i+protoLen : i+protoLen]
	i += protoLen
	o.Trailing = nil
	if i < len(b) {
		o.Trailing = b[i:]
	}
	return nil
}
