package rtp

import "fmt"

// SDES header extension values carry an identifier as bytes: sdes:mid
// (RFC 9143 §15), rtp-stream-id and repaired-rtp-stream-id (RFC 8852 §3).
// Read them with Header.GetExtension; these helpers validate them.

// ParseRtpStreamID checks an rtp-stream-id or repaired-rtp-stream-id value:
// 1–255 bytes (RFC 8852 §3) of the rid-id syntax, ALPHA / DIGIT / "-" / "_"
// (RFC 8851 §10). It returns v itself, so nothing is copied.
func ParseRtpStreamID(v []byte) ([]byte, error) {
	if len(v) == 0 {
		return nil, fmt.Errorf("rtp: rtp-stream-id empty, want 1..255 bytes (RFC 8852 §3)")
	}
	if i := invalidRidByte(v); i >= 0 {
		return nil, fmt.Errorf("rtp: rtp-stream-id byte %d is 0x%02x, want ALPHA / DIGIT / \"-\" / \"_\" (RFC 8851 §10)", i, v[i])
	}
	return v, nil
}

// invalidRidByte returns the index of the first byte of v outside the
// rid-id syntax (RFC 8851 §10), or -1.
func invalidRidByte(v []byte) int {
	for i, c := range v {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return i
		}
	}
	return -1
}

// ParseMid checks an sdes:mid value: 1–255 bytes (RFC 9143 §15) of
// printable token characters (RFC 8866 §9 token).
func ParseMid(v []byte) ([]byte, error) {
	if len(v) == 0 {
		return nil, fmt.Errorf("rtp: mid empty, want 1..255 bytes (RFC 9143 §15)")
	}
	if i := invalidMidByte(v); i >= 0 {
		return nil, fmt.Errorf("rtp: mid byte %d is 0x%02x, want a token character (RFC 8866 §9)", i, v[i])
	}
	return v, nil
}

// invalidMidByte returns the index of the first byte of v that is not a
// printable token character (RFC 8866 §9), or -1.
func invalidMidByte(v []byte) int {
	for i, c := range v {
		if c <= 0x20 || c >= 0x7f {
			return i
		}
	}
	return -1
}
