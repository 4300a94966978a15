package ice

import (
	"fmt"
	"io"
)

// Credentials are one agent's ice-ufrag and ice-pwd (RFC 8445 §5.3,
// RFC 8839 §5.4).
type Credentials struct {
	Ufrag string
	Pwd   string
}

// Lengths of generated credentials. RFC 8445 §5.3 asks for at least 24
// bits of randomness in the ufrag and 128 bits in the password; RFC 8839
// §5.4 for 4-256 and 22-256 ice-chars. Every generated ice-char carries
// 6 bits, so 16 chars give 96 bits and 32 chars give 192 bits.
const (
	ufragLen = 16
	pwdLen   = 32
)

// iceChars is the ice-char alphabet of RFC 8839 §5.4: ALPHA / DIGIT / "+" / "/".
// It has exactly 64 symbols, so a random byte masked to 6 bits maps
// uniformly onto it.
const iceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// generateCredentials draws a fresh ufrag and password from r.
func generateCredentials(r io.Reader) (Credentials, error) {
	var b [ufragLen + pwdLen]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return Credentials{}, fmt.Errorf("ice: reading randomness for ice-ufrag/ice-pwd: %w", err)
	}
	for i := range b {
		b[i] = iceChars[b[i]&63]
	}
	return Credentials{Ufrag: string(b[:ufragLen]), Pwd: string(b[ufragLen:])}, nil
}

// Validate checks the RFC 8839 §5.4 syntax: ufrag 4-256 ice-chars,
// password 22-256 ice-chars.
func (c Credentials) Validate() error {
	if n := len(c.Ufrag); n < 4 || n > 256 {
		return fmt.Errorf("ice: ice-ufrag length %d, want 4 to 256 (RFC 8839 §5.4)", n)
	}
	if n := len(c.Pwd); n < 22 || n > 256 {
		return fmt.Errorf("ice: ice-pwd length %d, want 22 to 256 (RFC 8839 §5.4)", n)
	}
	for _, s := range [2]string{c.Ufrag, c.Pwd} {
		for i := 0; i < len(s); i++ {
			if !isICEChar(s[i]) {
				return fmt.Errorf("ice: credential byte %q is not an ice-char (RFC 8839 §5.4)", s[i])
			}
		}
	}
	return nil
}

func isICEChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
}

// initialCredentials are an agent's first local credentials: the
// configured ones, else random ones (RFC 8445 §5.3), validated.
func initialCredentials(local *Credentials, r io.Reader) (Credentials, error) {
	if local == nil {
		return generateCredentials(r)
	}
	if err := local.Validate(); err != nil {
		return Credentials{}, err
	}
	return *local, nil
}
