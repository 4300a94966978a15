package datachannel

import "strconv"

// PPID is an SCTP Payload Protocol Identifier as used by WebRTC data channels
// (RFC 8831 §8, IANA "SCTP Payload Protocol Identifiers").
type PPID uint32

// RFC 8831 §8: the PPIDs a data channel uses.
const (
	PPIDDCEP                PPID = 50 // WebRTC DCEP (RFC 8832 §8.1)
	PPIDString              PPID = 51 // WebRTC String
	PPIDBinaryPartial       PPID = 52 // WebRTC Binary Partial (deprecated)
	PPIDBinary              PPID = 53 // WebRTC Binary
	PPIDStringPartial       PPID = 54 // WebRTC String Partial (deprecated)
	PPIDStringEmpty         PPID = 56 // WebRTC String Empty
	PPIDBinaryEmpty         PPID = 57 // WebRTC Binary Empty
	emptyMessagePayloadByte      = 0  // RFC 8831 §6.6: the one byte sent with PPID 56/57
)

// IsString reports whether p carries (part of) a UTF-8 string message.
func (p PPID) IsString() bool {
	return p == PPIDString || p == PPIDStringPartial || p == PPIDStringEmpty
}

// IsEmpty reports whether p marks an empty message (RFC 8831 §6.6): its
// payload is one byte that the receiver ignores.
func (p PPID) IsEmpty() bool { return p == PPIDStringEmpty || p == PPIDBinaryEmpty }

// IsPartial reports whether p is one of the deprecated partial PPIDs
// (RFC 8831 §8): more fragments of the same message follow.
func (p PPID) IsPartial() bool { return p == PPIDStringPartial || p == PPIDBinaryPartial }

// IsUserData reports whether p carries application data (as opposed to
// DCEP or an unknown protocol).
func (p PPID) IsUserData() bool {
	switch p {
	case PPIDString, PPIDBinaryPartial, PPIDBinary, PPIDStringPartial, PPIDStringEmpty, PPIDBinaryEmpty:
		return true
	}
	return false
}

// PPIDFor returns the PPID a message of the given kind and length is sent
// with (RFC 8831 §6.6: empty messages use 56/57).
func PPIDFor(isString bool, length int) PPID {
	switch {
	case isString && length == 0:
		return PPIDStringEmpty
	case isString:
		return PPIDString
	case length == 0:
		return PPIDBinaryEmpty
	default:
		return PPIDBinary
	}
}

func (p PPID) String() string {
	switch p {
	case PPIDDCEP:
		return "DCEP"
	case PPIDString:
		return "string"
	case PPIDBinaryPartial:
		return "binary-partial"
	case PPIDBinary:
		return "binary"
	case PPIDStringPartial:
		return "string-partial"
	case PPIDStringEmpty:
		return "string-empty"
	case PPIDBinaryEmpty:
		return "binary-empty"
	}
	return "ppid(" + strconv.FormatUint(uint64(p), 10) + ")"
}
