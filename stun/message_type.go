package stun

import "strconv"

// Class is the two-bit message class of RFC 8489 §5: request, indication,
// success response or error response.
type Class uint8

// Message classes, RFC 8489 §5 (bits C1 C0).
const (
	ClassRequest         Class = 0b00
	ClassIndication      Class = 0b01
	ClassSuccessResponse Class = 0b10
	ClassErrorResponse   Class = 0b11
)

// String names the class as RFC 8489 §5 does.
func (c Class) String() string {
	switch c {
	case ClassRequest:
		return "request"
	case ClassIndication:
		return "indication"
	case ClassSuccessResponse:
		return "success response"
	case ClassErrorResponse:
		return "error response"
	}
	return "class " + strconv.Itoa(int(c))
}

// Method is the 12-bit STUN method (RFC 8489 §5, §18.2).
type Method uint16

// MethodBinding is the only method RFC 8489 defines (§18.2).
const MethodBinding Method = 0x001

// String names the method; unknown methods print as hex.
func (m Method) String() string {
	if m == MethodBinding {
		return "Binding"
	}
	return "method 0x" + strconv.FormatUint(uint64(m), 16)
}

// MessageType is the 14-bit STUN message type: a method with the class
// bits interleaved (RFC 8489 §5, Figure 3):
//
//	 0                 1
//	 2  3  4 5 6 7 8 9 0 1 2 3 4 5
//	+--+--+-+-+-+-+-+-+-+-+-+-+-+-+
//	|M |M |M|M|M|C|M|M|M|C|M|M|M|M|
//	|11|10|9|8|7|1|6|5|4|0|3|2|1|0|
//	+--+--+-+-+-+-+-+-+-+-+-+-+-+-+
type MessageType struct {
	Method Method
	Class  Class
}

// Common message types.
var (
	BindingRequest  = MessageType{Method: MethodBinding, Class: ClassRequest}
	BindingSuccess  = MessageType{Method: MethodBinding, Class: ClassSuccessResponse}
	BindingError    = MessageType{Method: MethodBinding, Class: ClassErrorResponse}
	BindingIndicate = MessageType{Method: MethodBinding, Class: ClassIndication}
)

// Value encodes the type into the 16-bit header field (top two bits zero),
// RFC 8489 §5.
func (t MessageType) Value() uint16 {
	m := uint16(t.Method) & 0x0fff
	c := uint16(t.Class) & 0b11
	return (m & 0x000f) | (m&0x0070)<<1 | (m&0x0f80)<<2 |
		(c&0b01)<<4 | (c&0b10)<<7
}

// ParseMessageType decodes the 16-bit header field; the top two bits are
// ignored (Unmarshal rejects them when set), RFC 8489 §5.
func ParseMessageType(v uint16) MessageType {
	m := (v & 0x000f) | (v&0x00e0)>>1 | (v&0x3e00)>>2
	c := (v&0x0010)>>4 | (v&0x0100)>>7
	return MessageType{Method: Method(m), Class: Class(c)}
}

// String prints e.g. "Binding success response".
func (t MessageType) String() string {
	return t.Method.String() + " " + t.Class.String()
}
