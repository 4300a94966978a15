package stun_test

import (
	"bytes"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/stun"
)

// Every STUN message of every captured session decodes, verifies
// FINGERPRINT and MESSAGE-INTEGRITY with the ice-pwd from the right SDP,
// and round-trips byte for byte; the counts match truth.json.
func TestCorpus(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		var m stun.Message
		var n, integrityOK, fingerprintOK int
		types := map[string]int{}
		for _, d := range s.Datagrams {
			if demux.Classify(d.Payload) != demux.STUN {
				continue
			}
			n++
			if err := m.Unmarshal(d.Payload); err != nil {
				t.Errorf("frame %d: %v", d.N, err)
				continue
			}
			out := make([]byte, m.MarshalSize())
			if k, err := m.MarshalTo(out); err != nil || !bytes.Equal(out[:k], d.Payload) {
				t.Errorf("frame %d: round trip differs (%v):\n got %x\nwant %x", d.N, err, out, d.Payload)
			}
			isRequest := m.Type.Class == stun.ClassRequest
			types[m.Type.String()]++
			pwd := s.STUNPassword(d, isRequest)
			if err := stun.NewShortTermIntegrity(pwd).Check(&m); err != nil {
				t.Errorf("frame %d (%v): MESSAGE-INTEGRITY with %q: %v", d.N, m.Type, pwd, err)
			} else {
				integrityOK++
			}
			if err := stun.CheckFingerprint(&m); err != nil {
				t.Errorf("frame %d: %v", d.N, err)
			} else {
				fingerprintOK++
			}
			// The typed getters agree with what the browser and server are.
			if isRequest {
				u, err := m.Username()
				want := s.ServerICE.Ufrag + ":" + s.BrowserICE.Ufrag
				if err != nil || string(u) != want {
					t.Errorf("frame %d: USERNAME %q, %v; want %q (RFC 8445 §7.2.2)", d.N, u, err, want)
				}
				if _, err := m.Priority(); err != nil {
					t.Errorf("frame %d: PRIORITY: %v", d.N, err)
				}
				if _, err := m.ICEControlling(); err != nil {
					t.Errorf("frame %d: ICE-CONTROLLING: %v", d.N, err)
				}
				if unk := m.UnknownComprehensionRequired(nil, nil); len(unk) != 0 {
					t.Errorf("frame %d: browser sent comprehension-required unknowns %v", d.N, unk)
				}
			} else {
				ap, err := m.XORMappedAddress()
				if err != nil || ap != d.Dst {
					t.Errorf("frame %d: XOR-MAPPED-ADDRESS %v, %v; want the request's source %v", d.N, ap, err, d.Dst)
				}
			}
		}
		c := s.Truth.Counts
		if n != c.STUN || integrityOK != c.STUNIntegrityOK || fingerprintOK != c.STUNFingerprintOK {
			t.Errorf("stun %d integrity %d fingerprint %d; truth.json says %d %d %d",
				n, integrityOK, fingerprintOK, c.STUN, c.STUNIntegrityOK, c.STUNFingerprintOK)
		}
		for k, want := range s.Truth.STUNTypes {
			if types[k] != want {
				t.Errorf("%s: %d messages, truth.json says %d", k, types[k], want)
			}
		}
		if n == 0 {
			t.Error("no STUN message in the session")
		}
	})
}
