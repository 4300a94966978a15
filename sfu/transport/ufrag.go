package transport

import (
	"bytes"

	"github.com/plainrtc/plainrtc/stun"
)

// UfragFunc returns the local ICE ufrag a STUN message is addressed to, or
// false if it names none. The result may reference msg.
type UfragFunc func(msg []byte) (localUfrag []byte, ok bool)

// UsernameLocalUfrag is the default UfragFunc: the part of USERNAME before
// the colon. A connectivity check's USERNAME is "receiver-ufrag:sender-ufrag"
// (RFC 8445 §7.2.2), so the first part is ours.
func UsernameLocalUfrag(msg []byte) ([]byte, bool) {
	u, err := stun.FindAttribute(msg, stun.AttrUsername)
	if err != nil {
		return nil, false
	}
	i := bytes.IndexByte(u, ':')
	if i <= 0 {
		return nil, false
	}
	return u[:i], true
}
