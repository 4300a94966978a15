package stun

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// MESSAGE-INTEGRITY covers only what precedes it: an attribute appended
// after it (other than FINGERPRINT) does not break it (RFC 8489 §14.5),
// and the Length adjustment is applied.
func TestIntegrityIgnoresLaterAttributes(t *testing.T) {
	in := NewShortTermIntegrity("pwd")
	var b Builder
	b.Reset(nil, BindingRequest, TransactionID{1})
	b.AddUsername("a:b")
	b.AddMessageIntegrity(in)
	b.AddSoftware("after")
	b.AddFingerprint()
	raw, _ := b.Bytes()
	m := mustParse(t, raw)
	if m.Contains(AttrSoftware) {
		t.Error("SOFTWARE after MESSAGE-INTEGRITY not ignored (RFC 8489 §9)")
	}
	if err := in.Check(m); err != nil {
		t.Errorf("integrity with a trailing attribute: %v", err)
	}
	if err := CheckFingerprint(m); err != nil {
		t.Error(err)
	}
	// Changing the Length field's view (e.g. dropping the trailing
	// attributes) must keep integrity valid: the HMAC uses the adjusted length.
	mi, _ := m.Get(AttrMessageIntegrity)
	cut := bytes.Clone(raw[:mi.Offset+24])
	binary.BigEndian.PutUint16(cut[2:4], uint16(len(cut)-HeaderSize))
	if err := in.Check(mustParse(t, cut)); err != nil {
		t.Errorf("integrity after truncation to MESSAGE-INTEGRITY: %v", err)
	}
}

// RFC 8489 §9: attributes after MESSAGE-INTEGRITY (other than
// MESSAGE-INTEGRITY-SHA256 and FINGERPRINT) are not covered by it and must
// be ignored, so an on-path attacker cannot append USE-CANDIDATE to a
// signed request (and recompute the unkeyed FINGERPRINT).
func TestAttributesAfterIntegrityIgnored(t *testing.T) {
	in := NewShortTermIntegrity("pwd")
	var b Builder
	b.Reset(nil, BindingRequest, TransactionID{1})
	b.AddUsername("a:b")
	b.AddMessageIntegrity(in)
	b.AddUseCandidate()
	b.Add(0x7001, nil)
	b.AddMessageIntegritySHA256(in, 0)
	b.AddFingerprint()
	raw, _ := b.Bytes()
	m := mustParse(t, raw)
	checkRoundTrip(t, m, raw)
	if m.UseCandidate() {
		t.Error("USE-CANDIDATE after MESSAGE-INTEGRITY was not ignored")
	}
	if unk := m.UnknownComprehensionRequired(nil, nil); len(unk) != 0 {
		t.Errorf("ignored attribute reported unknown: %v", unk)
	}
	if !m.Contains(AttrMessageIntegritySHA256) || !m.Contains(AttrFingerprint) {
		t.Error("MESSAGE-INTEGRITY-SHA256 or FINGERPRINT after MESSAGE-INTEGRITY ignored")
	}
	if err := in.CheckSHA256(m); err != nil {
		t.Error(err)
	}
	if err := CheckFingerprint(m); err != nil {
		t.Error(err)
	}
	if len(m.Attributes) != 6 {
		t.Errorf("Attributes lists %d, want all 6", len(m.Attributes))
	}

	// MESSAGE-INTEGRITY-SHA256 alone: only FINGERPRINT may follow.
	b.Reset(nil, BindingRequest, TransactionID{2})
	b.AddMessageIntegritySHA256(in, 0)
	b.AddSoftware("x")
	b.AddFingerprint()
	raw, _ = b.Bytes()
	m = mustParse(t, raw)
	if m.Contains(AttrSoftware) || !m.Contains(AttrFingerprint) {
		t.Error("rule after MESSAGE-INTEGRITY-SHA256 not applied")
	}
}
