package rtp

import "fmt"

// AudioLevel is the client-to-mixer audio level extension value (RFC 6464
// §3): one byte, V (voice activity) and the level in −dBov, 0–127.
type AudioLevel struct {
	Voice bool  // V: the encoder believes the packet holds speech
	Level uint8 // level in −dBov: 0 is loudest, 127 silence
}

// Unmarshal parses the extension value's first byte (RFC 6464 §3).
func (a *AudioLevel) Unmarshal(v []byte) error {
	if len(v) < 1 {
		return fmt.Errorf("rtp: audio level value %d bytes, want 1 (RFC 6464 §3)", len(v))
	}
	a.Voice = v[0]&0x80 != 0
	a.Level = v[0] & 0x7f
	return nil
}

// MarshalSize is 1.
func (a *AudioLevel) MarshalSize() int { return 1 }

// MarshalTo writes the one-byte value.
func (a *AudioLevel) MarshalTo(buf []byte) (int, error) {
	if a.Level > 127 {
		return 0, fmt.Errorf("rtp: audio level %d, want 0..127 (RFC 6464 §3)", a.Level)
	}
	if len(buf) < 1 {
		return 0, fmt.Errorf("rtp: buffer length %d, audio level needs 1", len(buf))
	}
	buf[0] = a.Level
	if a.Voice {
		buf[0] |= 0x80
	}
	return 1, nil
}
