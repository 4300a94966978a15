package stun

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Error codes of RFC 8489 §14.8 and RFC 8445 §16.1 (487).
const (
	CodeTryAlternate     = 300 // RFC 8489 §14.8
	CodeBadRequest       = 400 // RFC 8489 §14.8
	CodeUnauthenticated  = 401 // RFC 8489 §14.8 (RFC 5389 called it Unauthorized)
	CodeUnknownAttribute = 420 // RFC 8489 §14.8
	CodeStaleNonce       = 438 // RFC 8489 §14.8
	CodeRoleConflict     = 487 // RFC 8445 §7.3.1.1, §16.1
	CodeServerError      = 500 // RFC 8489 §14.8
)

// ReasonPhrase returns the recommended reason phrase for code (RFC 8489
// §14.8, RFC 8445 §16.1), or "" when the code is not registered here.
func ReasonPhrase(code int) string {
	switch code {
	case CodeTryAlternate:
		return "Try Alternate"
	case CodeBadRequest:
		return "Bad Request"
	case CodeUnauthenticated:
		return "Unauthenticated"
	case CodeUnknownAttribute:
		return "Unknown Attribute"
	case CodeStaleNonce:
		return "Stale Nonce"
	case CodeRoleConflict:
		return "Role Conflict"
	case CodeServerError:
		return "Server Error"
	}
	return ""
}

// ErrorCode is the value of ERROR-CODE, RFC 8489 §14.8: Code is
// Class*100 + Number (300-699); Reason references the message.
type ErrorCode struct {
	Code   int
	Reason []byte
}

// Class is the hundreds digit (3-6) of the code.
func (e ErrorCode) Class() int { return e.Code / 100 }

// Number is the code modulo 100 (0-99).
func (e ErrorCode) Number() int { return e.Code % 100 }

// String prints "487 Role Conflict".
func (e ErrorCode) String() string { return strconv.Itoa(e.Code) + " " + string(e.Reason) }

// ErrorCode returns ERROR-CODE, RFC 8489 §14.8:
//
//	| Reserved, should be 0 (21 bits) |Class|     Number    |
//	|      Reason Phrase (variable, UTF-8, <128 characters) ...
func (m *Message) ErrorCode() (ErrorCode, error) {
	v, err := m.value(AttrErrorCode)
	if err != nil {
		return ErrorCode{}, err
	}
	if len(v) < 4 || len(v) > 4+maxTextBytes {
		return ErrorCode{}, attrLengthError(AttrErrorCode, len(v), "4 to 767", "RFC 8489 §14.8")
	}
	class := int(v[2] & 0x07)
	number := int(v[3])
	if class < 3 || class > 6 {
		return ErrorCode{}, fmt.Errorf("stun: ERROR-CODE class %d, want 3 to 6 (RFC 8489 §14.8)", class)
	}
	if number > 99 {
		return ErrorCode{}, fmt.Errorf("stun: ERROR-CODE number %d, want 0 to 99 (RFC 8489 §14.8)", number)
	}
	if !utf8.Valid(v[4:]) {
		return ErrorCode{}, &textError{t: AttrErrorCode, ref: "RFC 8489 §14.8"}
	}
	return ErrorCode{Code: class*100 + number, Reason: v[4:]}, nil
}

// AddErrorCode appends ERROR-CODE; an empty reason takes ReasonPhrase(code).
// RFC 8489 §14.8.
func (b *Builder) AddErrorCode(code int, reason string) {
	if (code < 300 || code > 699) && b.err == nil {
		b.err = fmt.Errorf("stun: ERROR-CODE %d, want 300 to 699 (RFC 8489 §14.8)", code)
	}
	if reason == "" {
		reason = ReasonPhrase(code)
	}
	b.checkPhrase(AttrErrorCode, reason, "RFC 8489 §14.8")
	s := b.begin(AttrErrorCode, 4+len(reason))
	b.buf = binary.BigEndian.AppendUint32(b.buf, uint32(code/100)<<8|uint32(code%100))
	b.buf = append(b.buf, reason...)
	b.finish(s)
}
