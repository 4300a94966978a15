package rtp

import (
	"encoding/binary"
	"fmt"
)

// TransportCC is the transport-wide sequence number extension value
// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2): 16 bits,
// counted across every packet of the transport.
type TransportCC uint16

// Unmarshal parses the 2-byte value.
func (t *TransportCC) Unmarshal(v []byte) error {
	if len(v) < 2 {
		return fmt.Errorf("rtp: transport-wide-cc value %d bytes, want 2 (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2)", len(v))
	}
	*t = TransportCC(binary.BigEndian.Uint16(v))
	return nil
}

// MarshalSize is 2.
func (t TransportCC) MarshalSize() int { return 2 }

// MarshalTo writes the 2-byte value.
func (t TransportCC) MarshalTo(buf []byte) (int, error) {
	if len(buf) < 2 {
		return 0, fmt.Errorf("rtp: buffer length %d, transport-wide-cc needs 2", len(buf))
	}
	binary.BigEndian.PutUint16(buf, uint16(t))
	return 2, nil
}
