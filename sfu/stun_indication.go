package sfu

import (
	"encoding/binary"

	"github.com/plainrtc/plainrtc/stun"
)

// isBindingIndication reports whether msg's header says Binding
// Indication (RFC 8489 §5, §6.3.2): what ICE agents send as keepalives
// (RFC 8445 §11). The mux only routes STUN of at least 20 bytes here.
func isBindingIndication(msg []byte) bool {
	return len(msg) >= 2 && stun.ParseMessageType(binary.BigEndian.Uint16(msg)) == stun.BindingIndicate
}
