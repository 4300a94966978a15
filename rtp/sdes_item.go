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
	for i, c := range v {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return nil, fmt.Errorf("rtp: rtp-stream-id byte %d is 0x%02x, want ALPHA / DIGIT / \"-\" / \"_\" (RFC 8851 §10)", i, c)
		}
	}
	return v, nil
}

// ParseMid checks an sdes:mid value: 1–255 bytes (RFC 9143 §15) of
// printable token characters (RFC 8866 §9 token).
func ParseMid(v []byte) ([]byte, error) {
	if len(v) == 0 {
		return nil, fmt.Errorf("rtp: mid empty, want 1..255 bytes (RFC 9143 §15)")
	}
	for i, c := range v {
		if c <= 0x20 || c >= 0x7f {
			return nil, fmt.Errorf("rtp: mid byte %d is 0x%02x, want a token character (RFC 8866 §9)", i, c)
		}
	}
	return v, nil
}
