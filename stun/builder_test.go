package stun

import (
	"bytes"
	"strings"
	"testing"
)

func TestBuilderErrors(t *testing.T) {
	var b Builder
	b.Reset(nil, BindingError, TransactionID{})
	b.AddErrorCode(200, "x")
	if _, err := b.Bytes(); err == nil || !strings.Contains(err.Error(), "ERROR-CODE 200, want 300 to 699") {
		t.Errorf("err %v", err)
	}
	b.Reset(nil, BindingRequest, TransactionID{})
	b.AddUsername(strings.Repeat("u", 513))
	if _, err := b.Bytes(); err == nil || !strings.Contains(err.Error(), "USERNAME (0x0006) length 513, want at most 512") {
		t.Errorf("err %v", err)
	}
	b.Reset(nil, BindingRequest, TransactionID{})
	b.AddMessageIntegritySHA256(NewShortTermIntegrity("x"), 18)
	if _, err := b.Bytes(); err == nil {
		t.Error("MESSAGE-INTEGRITY-SHA256 of 18 bytes accepted")
	}
	if _, err := LongTermKey(9, "u", "r", "p"); err == nil {
		t.Error("unknown password algorithm accepted")
	}
	var m Message
	if _, err := m.MarshalTo(make([]byte, 10)); err != ErrBufferTooSmall {
		t.Errorf("MarshalTo small buffer: %v", err)
	}
}

// The Builder refuses attributes a receiver would not process: anything
// after FINGERPRINT (RFC 8489 §14.7), after MESSAGE-INTEGRITY anything but
// MESSAGE-INTEGRITY-SHA256 and FINGERPRINT (§14.5), after
// MESSAGE-INTEGRITY-SHA256 anything but FINGERPRINT (§14.6).
func TestBuilderAttributeOrder(t *testing.T) {
	key := NewShortTermIntegrity("pw")
	for _, c := range []struct {
		name  string
		build func(b *Builder)
		want  string // substring of the error, "" for none
	}{
		{"MI, MI-SHA256, FINGERPRINT", func(b *Builder) {
			b.AddUsername("a:b")
			b.AddMessageIntegrity(key)
			b.AddMessageIntegritySHA256(key, 0)
			b.AddFingerprint()
		}, ""},
		{"after FINGERPRINT", func(b *Builder) {
			b.AddFingerprint()
			b.AddSoftware("x")
		}, "§14.7"},
		{"FINGERPRINT twice", func(b *Builder) {
			b.AddFingerprint()
			b.AddFingerprint()
		}, "§14.7"},
		{"MI after FINGERPRINT", func(b *Builder) {
			b.AddFingerprint()
			b.AddMessageIntegrity(key)
		}, "§14.7"},
		{"USERNAME after MI", func(b *Builder) {
			b.AddMessageIntegrity(key)
			b.AddUsername("a:b")
		}, "§14.5"},
		{"MI after MI-SHA256", func(b *Builder) {
			b.AddMessageIntegritySHA256(key, 0)
			b.AddMessageIntegrity(key)
		}, "§14.6"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b Builder
			b.Reset(nil, BindingRequest, TransactionID{1})
			c.build(&b)
			_, err := b.Bytes()
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("error %v, want one citing %s", err, c.want)
			}
			b.Reset(nil, BindingRequest, TransactionID{2})
			b.AddUsername("a:b")
			if _, err := b.Bytes(); err != nil {
				t.Errorf("Reset kept the order state: %v", err)
			}
		})
	}
}

// REALM, NONCE, SOFTWARE and the ERROR-CODE reason are "fewer than 128
// characters (which can be as long as 509 bytes when encoding them and as
// long as 763 bytes when decoding them)", RFC 8489 §14.8-§14.10, §14.14:
// the Builder keeps to the encoding bound, the getters to the decoding one.
func TestTextAttributeEncodeLimits(t *testing.T) {
	threeByte := strings.Repeat("€", 127) // 127 characters, 381 bytes
	for _, c := range []struct {
		name string
		add  func(b *Builder)
		ok   bool
	}{
		{"127 three-byte characters", func(b *Builder) { b.AddSoftware(threeByte) }, true},
		{"128 characters", func(b *Builder) { b.AddRealm(strings.Repeat("x", 128)) }, false},
		{"510 bytes", func(b *Builder) { b.AddNonce(strings.Repeat("€", 100) + strings.Repeat("x", 210)) }, false},
		{"invalid UTF-8", func(b *Builder) { b.AddSoftware("\xff") }, false},
		{"reason of 128 characters", func(b *Builder) { b.AddErrorCode(400, strings.Repeat("x", 128)) }, false},
		{"reason of 127 characters", func(b *Builder) { b.AddErrorCode(400, strings.Repeat("x", 127)) }, true},
	} {
		var b Builder
		b.Reset(nil, BindingRequest, TransactionID{1})
		c.add(&b)
		if _, err := b.Bytes(); (err == nil) != c.ok {
			t.Errorf("%s: error %v, want ok=%v", c.name, err, c.ok)
		}
	}
	// A 763-byte value (as the RFC allows a decoder to see) still parses.
	var b Builder
	b.Reset(nil, BindingRequest, TransactionID{1})
	b.Add(AttrSoftware, bytes.Repeat([]byte("x"), maxTextBytes))
	raw, _ := b.Bytes()
	var m Message
	if err := m.Unmarshal(raw); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Software(); err != nil {
		t.Errorf("763-byte SOFTWARE rejected: %v", err)
	}
}

// The ERROR-CODE reason phrase is UTF-8 (RFC 8489 §14.8), checked like the
// other text attributes' values.
func TestErrorCodeReasonUTF8(t *testing.T) {
	var b Builder
	b.Reset(nil, BindingError, TransactionID{1})
	b.Add(AttrErrorCode, []byte{0, 0, 4, 0, 'B', 0xff, 'd'})
	raw, _ := b.Bytes()
	var m Message
	if err := m.Unmarshal(raw); err != nil {
		t.Fatal(err)
	}
	if _, err := m.ErrorCode(); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("invalid UTF-8 reason: %v", err)
	}
}
