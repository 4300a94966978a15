package datachannel

// DefaultSCTPPort is the SCTP port used when the SDP carries no a=sctp-port
// (RFC 8841 §5.2). Browsers use 5000.
const DefaultSCTPPort = 5000

// DefaultMaxMessageSize is assumed for a peer whose SDP has no
// a=max-message-size attribute (RFC 8841 §6.1: 64 KiB).
const DefaultMaxMessageSize = 65536

// LocalMaxMessageSize is what we announce in a=max-message-size: the largest
// message the association accepts (pion/sctp's receive limit).
const LocalMaxMessageSize = 262144

// MaxMessageSizeFromSDP returns the largest message we may send to a peer,
// from its a=max-message-size (RFC 8841 §6.1). present is false when the
// attribute is absent (64 KiB is assumed); the value 0 means the peer can
// take messages of any size, which we cap at LocalMaxMessageSize.
func MaxMessageSizeFromSDP(present bool, value uint64) uint32 {
	switch {
	case !present:
		return DefaultMaxMessageSize
	case value == 0 || value > LocalMaxMessageSize:
		return LocalMaxMessageSize
	}
	return uint32(value)
}
