package stun

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Length limits of the text attributes. RFC 8489 states most of them in
// characters and in bytes; the byte bound is what a codec can check.
const (
	maxUsernameBytes        = 512 // RFC 8489 §14.3: "less than 513 bytes"
	maxTextBytes            = 763 // RFC 8489 §14.9, §14.10, §14.14, §14.8: "<128 characters", at most 763 bytes when decoding
	maxTextEncodeBytes      = 509 // the same attributes: at most 509 bytes when encoding
	maxTextChars            = 127 // the same attributes: "fewer than 128 characters"
	maxAlternateDomainBytes = 255 // RFC 8489 §14.16: "MUST NOT exceed 255 bytes"
	userhashSize            = 32  // RFC 8489 §14.4: SHA-256 output
)

// text returns the value of a text attribute after checking its byte
// limit and, for UTF-8 attributes, its encoding.
func (m *Message) text(t AttrType, max int, ref string) ([]byte, error) {
	v, err := m.value(t)
	if err != nil {
		return nil, err
	}
	if len(v) > max {
		return nil, attrLengthError(t, len(v), "at most "+strconv.Itoa(max), ref)
	}
	if !utf8.Valid(v) {
		return nil, &textError{t: t, ref: ref}
	}
	return v, nil
}

type textError struct {
	t   AttrType
	ref string
}

func (e *textError) Error() string {
	return "stun: attribute " + e.t.String() + " is not valid UTF-8 (" + e.ref + ")"
}

// Username returns USERNAME (UTF-8, OpaqueString-prepared by the sender,
// less than 513 bytes), RFC 8489 §14.3. The slice references the message.
// For ICE it is "remote-ufrag:local-ufrag" from the receiver's view
// (RFC 8445 §7.2.2).
func (m *Message) Username() ([]byte, error) {
	return m.text(AttrUsername, maxUsernameBytes, "RFC 8489 §14.3")
}

// Userhash returns USERHASH, RFC 8489 §14.4 (32 bytes).
func (m *Message) Userhash() ([]byte, error) {
	v, err := m.value(AttrUserhash)
	if err != nil {
		return nil, err
	}
	if len(v) != userhashSize {
		return nil, attrLengthError(AttrUserhash, len(v), "32", "RFC 8489 §14.4")
	}
	return v, nil
}

// Realm returns REALM, RFC 8489 §14.9.
func (m *Message) Realm() ([]byte, error) {
	return m.text(AttrRealm, maxTextBytes, "RFC 8489 §14.9")
}

// Nonce returns NONCE, RFC 8489 §14.10.
func (m *Message) Nonce() ([]byte, error) {
	return m.text(AttrNonce, maxTextBytes, "RFC 8489 §14.10")
}

// Software returns SOFTWARE, RFC 8489 §14.14.
func (m *Message) Software() ([]byte, error) {
	return m.text(AttrSoftware, maxTextBytes, "RFC 8489 §14.14")
}

// AlternateDomain returns ALTERNATE-DOMAIN, RFC 8489 §14.16.
func (m *Message) AlternateDomain() ([]byte, error) {
	return m.text(AttrAlternateDomain, maxAlternateDomainBytes, "RFC 8489 §14.16")
}

// AddUsername appends USERNAME, RFC 8489 §14.3.
func (b *Builder) AddUsername(s string) {
	b.checkText(AttrUsername, len(s), maxUsernameBytes, "RFC 8489 §14.3")
	b.AddString(AttrUsername, s)
}

// AddUserhash appends USERHASH, RFC 8489 §14.4.
func (b *Builder) AddUserhash(h [32]byte) { b.Add(AttrUserhash, h[:]) }

// AddRealm appends REALM, RFC 8489 §14.9.
func (b *Builder) AddRealm(s string) {
	b.checkPhrase(AttrRealm, s, "RFC 8489 §14.9")
	b.AddString(AttrRealm, s)
}

// AddNonce appends NONCE, RFC 8489 §14.10.
func (b *Builder) AddNonce(s string) {
	b.checkPhrase(AttrNonce, s, "RFC 8489 §14.10")
	b.AddString(AttrNonce, s)
}

// AddSoftware appends SOFTWARE, RFC 8489 §14.14.
func (b *Builder) AddSoftware(s string) {
	b.checkPhrase(AttrSoftware, s, "RFC 8489 §14.14")
	b.AddString(AttrSoftware, s)
}

// AddAlternateDomain appends ALTERNATE-DOMAIN, RFC 8489 §14.16.
func (b *Builder) AddAlternateDomain(s string) {
	b.checkText(AttrAlternateDomain, len(s), maxAlternateDomainBytes, "RFC 8489 §14.16")
	b.AddString(AttrAlternateDomain, s)
}

func (b *Builder) checkText(t AttrType, n, max int, ref string) {
	if n > max && b.err == nil {
		b.err = attrLengthError(t, n, "at most "+strconv.Itoa(max), ref)
	}
}

// checkPhrase applies the rule RFC 8489 gives REALM, NONCE, SOFTWARE and
// the ERROR-CODE reason (§14.8-§14.10, §14.14) to a value being sent:
// UTF-8, fewer than 128 characters, at most 509 bytes.
func (b *Builder) checkPhrase(t AttrType, s, ref string) {
	b.checkText(t, len(s), maxTextEncodeBytes, ref)
	if b.err != nil {
		return
	}
	if !utf8.ValidString(s) {
		b.err = &textError{t: t, ref: ref}
	} else if n := utf8.RuneCountInString(s); n > maxTextChars {
		b.err = fmt.Errorf("stun: attribute %s has %d characters, want fewer than 128 (%s)", t, n, ref)
	}
}
