package demux

// Class is what a datagram's first byte says it carries (RFC 7983 §7,
// RFC 9443 §3).
type Class uint8

// The classes, in first-byte order.
const (
	// Unknown: first byte 4..15, or an empty datagram; RFC 7983 §7 says drop it.
	Unknown Class = iota
	// STUN: first byte 0..3 (the two leading zero bits of a STUN header, RFC 8489 §5).
	STUN
	// ZRTP: first byte 16..19 (RFC 7983 §7).
	ZRTP
	// DTLS: first byte 20..63, the record content type (RFC 7983 §7, RFC 6347 §4.1).
	DTLS
	// TURNChannel: first byte 64..79, a TURN ChannelData message (RFC 8656
	// §12; channel numbers 0x4000-0x4FFF, the range RFC 7983 §7 keeps).
	TURNChannel
	// QUIC: first byte 80..127 (short header, RFC 9000 §17.3, less TURN's
	// 64..79) or 192..255 (long header, RFC 9000 §17.2), RFC 9443 §3.
	QUIC
	// RTP: first byte 128..191 (version 2) and not RTCP (RFC 7983 §7, RFC 5761 §4).
	RTP
	// RTCP: first byte 128..191 and second byte & 0x7f in 64..95, i.e. packet
	// type 192..223 (RFC 5761 §4).
	RTCP
)

var classNames = [...]string{
	Unknown:     "unknown",
	STUN:        "stun",
	ZRTP:        "zrtp",
	DTLS:        "dtls",
	TURNChannel: "turn-channel",
	QUIC:        "quic",
	RTP:         "rtp",
	RTCP:        "rtcp",
}

// String returns the class's lower-case name ("stun", "dtls", "rtp", ...).
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "unknown"
}

// Classify returns the class of datagram b by its first byte, and for
// 128..191 its second byte (RFC 7983 §7, RFC 9443 §3, RFC 5761 §4).
// A datagram of one byte in 128..191 cannot be told apart and is Unknown.
func Classify(b []byte) Class {
	if len(b) == 0 {
		return Unknown
	}
	switch c := b[0]; {
	case c <= 3:
		return STUN
	case c >= 16 && c <= 19:
		return ZRTP
	case c >= 20 && c <= 63:
		return DTLS
	case c >= 64 && c <= 79:
		return TURNChannel
	case c >= 80 && c <= 127:
		return QUIC
	case c >= 128 && c <= 191:
		if len(b) < 2 {
			return Unknown
		}
		if pt := b[1] & 0x7f; pt >= 64 && pt <= 95 {
			return RTCP
		}
		return RTP
	case c >= 192:
		return QUIC
	}
	return Unknown
}
