package stun

import (
	"errors"
	"fmt"
)

// Sentinel errors. They are returned unwrapped on the paths an attacker can
// drive at line rate (missing attribute, failed integrity or fingerprint),
// so rejecting a packet allocates nothing.
var (
	// ErrAttributeNotFound: the message has no attribute of the asked type.
	ErrAttributeNotFound = errors.New("stun: attribute not found")
	// ErrIntegrityMismatch: MESSAGE-INTEGRITY(-SHA256) does not match the
	// HMAC computed with the key (RFC 8489 §14.5, §14.6).
	ErrIntegrityMismatch = errors.New("stun: MESSAGE-INTEGRITY does not match the key (RFC 8489 §14.5)")
	// ErrIntegritySHA256Mismatch: as ErrIntegrityMismatch, for
	// MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6).
	ErrIntegritySHA256Mismatch = errors.New("stun: MESSAGE-INTEGRITY-SHA256 does not match the key (RFC 8489 §14.6)")
	// ErrFingerprintMismatch: FINGERPRINT is not the CRC-32 of the message
	// XOR 0x5354554E (RFC 8489 §14.7).
	ErrFingerprintMismatch = errors.New("stun: FINGERPRINT does not match CRC-32 of the message (RFC 8489 §14.7)")
	// ErrFingerprintNotLast: FINGERPRINT must be the last attribute
	// (RFC 8489 §14.7).
	ErrFingerprintNotLast = errors.New("stun: FINGERPRINT is not the last attribute (RFC 8489 §14.7)")
	// ErrBufferTooSmall: the message does not fit the destination buffer.
	ErrBufferTooSmall = errors.New("stun: buffer too small")
)

// attrLengthError reports an attribute whose value length breaks its rule.
func attrLengthError(t AttrType, got int, want string, ref string) error {
	return fmt.Errorf("stun: attribute %s (0x%04X) length %d, want %s (%s)", t, uint16(t), got, want, ref)
}
