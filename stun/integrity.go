package stun

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
)

// Sizes of the integrity attributes' values.
const (
	messageIntegritySize       = sha1.Size   // RFC 8489 §14.5: 20 bytes
	messageIntegritySHA256Size = sha256.Size // RFC 8489 §14.6: 16 to 32 bytes, multiple of 4
)

// Integrity checks and generates MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489
// §14.5) and MESSAGE-INTEGRITY-SHA256 (HMAC-SHA256, §14.6) with one key.
// It keeps keyed HMAC states between calls, so after the first use a check
// or a signature allocates nothing. An Integrity is not safe for
// concurrent use; keep one per goroutine (an ICE agent owns one per
// local password).
type Integrity struct {
	key    []byte
	sha1   hash.Hash
	sha256 hash.Hash
	sum    [sha256.Size]byte
	length [2]byte
}

// NewIntegrity returns an Integrity for a raw key.
func NewIntegrity(key []byte) *Integrity {
	return &Integrity{key: append([]byte(nil), key...)}
}

// NewShortTermIntegrity returns an Integrity for short-term credentials:
// the key is the OpaqueString-prepared password itself, RFC 8489 §9.1.1.
// ICE uses the ice-pwd of the agent that receives the request
// (RFC 8445 §7.2.2).
func NewShortTermIntegrity(password string) *Integrity {
	return &Integrity{key: []byte(password)}
}

// NewLongTermIntegrity returns an Integrity for long-term credentials with
// the key of LongTermKey, RFC 8489 §9.2.2.
func NewLongTermIntegrity(alg PasswordAlgorithm, username, realm, password string) (*Integrity, error) {
	k, err := LongTermKey(alg, username, realm, password)
	if err != nil {
		return nil, err
	}
	return &Integrity{key: k}, nil
}

// Key returns the HMAC key.
func (i *Integrity) Key() []byte { return i.key }

func (i *Integrity) mac(sha256Variant bool) hash.Hash {
	if sha256Variant {
		if i.sha256 == nil {
			i.sha256 = hmac.New(sha256.New, i.key)
		}
		i.sha256.Reset()
		return i.sha256
	}
	if i.sha1 == nil {
		i.sha1 = hmac.New(sha1.New, i.key)
	}
	i.sha1.Reset()
	return i.sha1
}

// sumOver returns the HMAC of raw[:off] where the header Length field is
// replaced by length (RFC 8489 §14.5: "adjusted to point to the end of the
// MESSAGE-INTEGRITY attribute"). raw is not modified.
func (i *Integrity) sumOver(sha256Variant bool, raw []byte, off, length int) []byte {
	h := i.mac(sha256Variant)
	binary.BigEndian.PutUint16(i.length[:], uint16(length))
	h.Write(raw[0:2])
	h.Write(i.length[:])
	h.Write(raw[4:off])
	return h.Sum(i.sum[:0])
}

var errNoRaw = errors.New("stun: message has no raw bytes; integrity is checked on parsed messages (use Unmarshal)")

// CheckSHA1 verifies MESSAGE-INTEGRITY, RFC 8489 §14.5: HMAC-SHA1 over the
// message up to the attribute, with the Length field covering it.
// Attributes after it (other than MESSAGE-INTEGRITY-SHA256 and
// FINGERPRINT) are ignored by the computation, as the RFC requires.
func (i *Integrity) CheckSHA1(m *Message) error {
	a, ok := m.Get(AttrMessageIntegrity)
	if !ok {
		return ErrAttributeNotFound
	}
	if m.Raw == nil {
		return errNoRaw
	}
	if len(a.Value) != messageIntegritySize {
		return attrLengthError(AttrMessageIntegrity, len(a.Value), "20", "RFC 8489 §14.5")
	}
	sum := i.sumOver(false, m.Raw, a.Offset, a.Offset+attrHeaderSize+messageIntegritySize-HeaderSize)
	if !hmac.Equal(sum, a.Value) {
		return ErrIntegrityMismatch
	}
	return nil
}

// CheckSHA256 verifies MESSAGE-INTEGRITY-SHA256, RFC 8489 §14.6: the value
// may be the HMAC-SHA256 truncated to 16..32 bytes (a multiple of 4).
func (i *Integrity) CheckSHA256(m *Message) error {
	a, ok := m.Get(AttrMessageIntegritySHA256)
	if !ok {
		return ErrAttributeNotFound
	}
	if m.Raw == nil {
		return errNoRaw
	}
	n := len(a.Value)
	if n < 16 || n > 32 || n%4 != 0 {
		return attrLengthError(AttrMessageIntegritySHA256, n, "16 to 32, a multiple of 4", "RFC 8489 §14.6")
	}
	sum := i.sumOver(true, m.Raw, a.Offset, a.Offset+attrHeaderSize+n-HeaderSize)
	if !hmac.Equal(sum[:n], a.Value) {
		return ErrIntegritySHA256Mismatch
	}
	return nil
}

// Check verifies MESSAGE-INTEGRITY-SHA256 when the message has it, else
// MESSAGE-INTEGRITY (RFC 8489 §9.1.3, §9.2.4: the receiver uses the
// strongest integrity attribute it understands). It returns
// ErrAttributeNotFound when the message carries neither.
func (i *Integrity) Check(m *Message) error {
	if m.Contains(AttrMessageIntegritySHA256) {
		return i.CheckSHA256(m)
	}
	return i.CheckSHA1(m)
}

// AddMessageIntegrity appends MESSAGE-INTEGRITY computed with i over the
// message built so far, RFC 8489 §14.5.
func (b *Builder) AddMessageIntegrity(i *Integrity) {
	start := len(b.buf)
	b.setLength(start + attrHeaderSize + messageIntegritySize - HeaderSize)
	sum := i.sumOver(false, b.buf, start, start+attrHeaderSize+messageIntegritySize-HeaderSize)
	s := b.begin(AttrMessageIntegrity, messageIntegritySize)
	b.buf = append(b.buf, sum...)
	b.finish(s)
}

// AddMessageIntegritySHA256 appends MESSAGE-INTEGRITY-SHA256 computed with
// i, truncated to n bytes (16..32, a multiple of 4; 0 means 32),
// RFC 8489 §14.6.
func (b *Builder) AddMessageIntegritySHA256(i *Integrity, n int) {
	if n == 0 {
		n = messageIntegritySHA256Size
	}
	if (n < 16 || n > 32 || n%4 != 0) && b.err == nil {
		b.err = fmt.Errorf("stun: MESSAGE-INTEGRITY-SHA256 truncated to %d bytes, want 16 to 32, a multiple of 4 (RFC 8489 §14.6)", n)
		return
	}
	start := len(b.buf)
	b.setLength(start + attrHeaderSize + n - HeaderSize)
	sum := i.sumOver(true, b.buf, start, start+attrHeaderSize+n-HeaderSize)
	s := b.begin(AttrMessageIntegritySHA256, n)
	b.buf = append(b.buf, sum[:n]...)
	b.finish(s)
}
