package ice

import (
	"bytes"

	"github.com/plainrtc/plainrtc/stun"
)

// LocalUfrag returns the receiver's ufrag from the USERNAME of a STUN
// Binding request, "<receiver ufrag>:<sender ufrag>" (RFC 8445 §7.2.2), so
// an SFU with one socket for every peer can route the request to the
// agent whose LocalCredentials().Ufrag it is. It parses only as far as
// USERNAME and does not allocate; the slice references msg. Look it up
// with agents[string(ufrag)] — Go does not allocate for that conversion
// in a map index.
func LocalUfrag(msg []byte) ([]byte, bool) {
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
