package ice_test

import (
	"bytes"
	"testing"

	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/stun"
)

// A request authenticated by MESSAGE-INTEGRITY-SHA256 gets a response with
// MESSAGE-INTEGRITY-SHA256 (RFC 8489 §9.1.3); one with both attributes
// gets both, so a client that checks either can verify it.
func TestResponseIntegrityFollowsRequest(t *testing.T) {
	key := stun.NewShortTermIntegrity(serverCreds.Pwd)
	sha256Only := req{tid: 1, noMI: true, extra: func(b *stun.Builder) { b.AddMessageIntegritySHA256(key, 16) }}
	for _, c := range []struct {
		name         string
		r            req
		sha1, sha256 bool
	}{
		{"MESSAGE-INTEGRITY", req{tid: 3}, true, false},
		{"MESSAGE-INTEGRITY-SHA256", sha256Only, false, true},
		{"both", req{tid: 2}, true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := newAgent(t, ice.Config{})
			r := c.r
			if c.name == "both" {
				// MESSAGE-INTEGRITY, then MESSAGE-INTEGRITY-SHA256 after it (RFC 8489 §14.6).
				raw := r.build(t)
				var m stun.Message
				if err := m.Unmarshal(raw); err != nil {
					t.Fatal(err)
				}
				var b stun.Builder
				b.Reset(nil, m.Type, m.TransactionID)
				for _, at := range m.Attributes {
					if at.Type == stun.AttrFingerprint {
						break
					}
					b.AddRaw(at)
				}
				b.AddMessageIntegritySHA256(key, 0)
				b.AddFingerprint()
				raw, _ = b.Bytes()
				if err := a.HandleSTUN(raw, sfuAddr, peerA, t0); err != nil {
					t.Fatal(err)
				}
				tx, _ := a.PollTransmit()
				checkSigned(t, tx.Payload, c.sha1, c.sha256)
				return
			}
			m, err := handle(t, a, r, peerA, t0)
			if m == nil || m.Type != stun.BindingSuccess {
				t.Fatalf("not answered with success: %v", err)
			}
			checkSigned(t, m.Raw, c.sha1, c.sha256)
		})
	}
}

func checkSigned(t *testing.T, raw []byte, sha1, sha256 bool) {
	t.Helper()
	var m stun.Message
	if err := m.Unmarshal(bytes.Clone(raw)); err != nil {
		t.Fatal(err)
	}
	key := stun.NewShortTermIntegrity(serverCreds.Pwd)
	if got := m.Contains(stun.AttrMessageIntegrity); got != sha1 {
		t.Errorf("MESSAGE-INTEGRITY present %v, want %v", got, sha1)
	} else if sha1 {
		if err := key.CheckSHA1(&m); err != nil {
			t.Errorf("MESSAGE-INTEGRITY: %v", err)
		}
	}
	if got := m.Contains(stun.AttrMessageIntegritySHA256); got != sha256 {
		t.Errorf("MESSAGE-INTEGRITY-SHA256 present %v, want %v", got, sha256)
	} else if sha256 {
		if err := key.CheckSHA256(&m); err != nil {
			t.Errorf("MESSAGE-INTEGRITY-SHA256: %v", err)
		}
	}
}

// An on-path attacker who appends USE-CANDIDATE after the MESSAGE-INTEGRITY
// of a genuine check (and recomputes the unkeyed FINGERPRINT) cannot steer
// the nomination: attributes after MESSAGE-INTEGRITY are ignored
// (RFC 8489 §9).
func TestUseCandidateAfterIntegrityIgnored(t *testing.T) {
	a := newAgent(t, ice.Config{})
	genuine := req{tid: 1, noFP: true}.build(t)
	var m stun.Message
	if err := m.Unmarshal(genuine); err != nil {
		t.Fatal(err)
	}
	var b stun.Builder
	b.Reset(nil, m.Type, m.TransactionID)
	for _, at := range m.Attributes {
		b.AddRaw(at)
	}
	b.AddUseCandidate()
	b.AddFingerprint()
	forged, _ := b.Bytes()
	if err := a.HandleSTUN(forged, sfuAddr, peerB, t0); err != nil {
		t.Fatalf("forged request: %v", err)
	}
	if _, ok := a.SelectedPair(); ok {
		t.Error("USE-CANDIDATE outside the integrity nominated a pair")
	}
}
