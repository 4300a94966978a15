package stun_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/stun"
)

// checkCorpusSTUN: every STUN message of a session decodes, verifies
// FINGERPRINT and MESSAGE-INTEGRITY with the ice-pwd the roles give
// (requests: the receiver's, responses: the responder's, RFC 8445 §7.2.2,
// §7.3), and round-trips byte for byte. Requests name "<receiver
// ufrag>:<sender ufrag>" and carry the ICE role attribute of their sender's
// role; responses map the request's source. With a truth.json the counts
// must equal it.
func checkCorpusSTUN(t *testing.T, s *conformance.Session) {
	var m stun.Message
	var n, integrityOK, fingerprintOK int
	types := map[string]int{}
	r := &s.Roles
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
		sender, ok := r.Sender(d)
		if !ok {
			t.Errorf("frame %d: %v -> %v belongs to neither side", d.N, d.Src, d.Dst)
			continue
		}
		if !isRequest {
			ap, err := m.XORMappedAddress()
			if err != nil || ap != d.Dst {
				t.Errorf("frame %d: XOR-MAPPED-ADDRESS %v, %v; want the request's source %v", d.N, ap, err, d.Dst)
			}
			continue
		}
		// "<receiver ufrag>:<sender ufrag>" of one generation of
		// credentials: the first exchange's, or after an ICE restart both
		// sides' new ones (RFC 8445 §9).
		u, err := m.Username()
		recv, send, _ := strings.Cut(string(u), ":")
		gen := r.Peer(sender.Other()).Generation(recv)
		if err != nil || gen < 0 || r.Peer(sender).Generation(send) != gen {
			want := r.Peer(sender.Other()).ICE.Ufrag + ":" + r.Peer(sender).ICE.Ufrag
			t.Errorf("frame %d: USERNAME %q, %v; want %q or a later generation's pair (RFC 8445 §7.2.2)", d.N, u, err, want)
		}
		if _, err := m.Priority(); err != nil {
			t.Errorf("frame %d: PRIORITY: %v (RFC 8445 §7.1.1)", d.N, err)
		}
		// RFC 8445 §7.1.3: the controlling agent sends ICE-CONTROLLING,
		// the controlled one ICE-CONTROLLED.
		_, errCtl := m.ICEControlling()
		_, errCtd := m.ICEControlled()
		if r.ICEControllingKnown {
			if controlling := sender == r.ICEControlling; (errCtl == nil) != controlling || (errCtd == nil) == controlling {
				t.Errorf("frame %d: %v (controlling %v) sent ICE-CONTROLLING %v ICE-CONTROLLED %v (RFC 8445 §7.1.3)",
					d.N, sender, controlling, errCtl == nil, errCtd == nil)
			}
		} else if (errCtl == nil) == (errCtd == nil) {
			t.Errorf("frame %d: want exactly one of ICE-CONTROLLING/ICE-CONTROLLED (RFC 8445 §7.1.3)", d.N)
		}
		if unk := m.UnknownComprehensionRequired(nil, nil); len(unk) != 0 {
			t.Errorf("frame %d: %v sent comprehension-required unknowns %v", d.N, sender, unk)
		}
	}
	if n == 0 {
		t.Error("no STUN message in the session: ICE needs checks (RFC 8445 §7.2)")
	}
	if !s.HasTruth {
		t.Logf("%d STUN messages verified; no truth.json to compare counts with", n)
		return
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
}

func TestCorpus(t *testing.T)        { conformance.ForEachSession(t, checkCorpusSTUN) }
func TestCorpusDerived(t *testing.T) { conformance.ForEachDerived(t, checkCorpusSTUN) }

// TestCorpusCorruptedByteFailsIntegrity: flipping any one byte that
// MESSAGE-INTEGRITY covers (RFC 8489 §14.5: header with adjusted length and
// every attribute before it) of every captured message makes the check
// fail with the password that verified it; so does the right message with
// the other side's password.
func TestCorpusCorruptedByteFailsIntegrity(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		var m stun.Message
		var tried int
		for _, d := range s.Datagrams {
			if demux.Classify(d.Payload) != demux.STUN {
				continue
			}
			if err := m.Unmarshal(d.Payload); err != nil {
				t.Fatal(err)
			}
			isRequest := m.Type.Class == stun.ClassRequest
			pwd := s.STUNPassword(d, isRequest)
			mi := stun.NewShortTermIntegrity(pwd)
			if err := mi.Check(&m); err != nil {
				t.Fatalf("frame %d: uncorrupted message fails: %v", d.N, err)
			}
			other := s.BrowserICE.Pwd
			if other == pwd {
				other = s.ServerICE.Pwd
			}
			if err := stun.NewShortTermIntegrity(other).Check(&m); err == nil {
				t.Errorf("frame %d: verifies with the other side's password too", d.N)
			}
			// Bytes after the 2-byte type (the length is rewritten by the
			// check itself) up to the HMAC's end: transaction ID, attributes, the HMAC.
			end := bytes.Index(d.Payload, []byte{0x00, 0x08, 0x00, 0x14}) + 4 + 20
			for i := 4; i < end; i++ {
				bad := bytes.Clone(d.Payload)
				bad[i] ^= 0x01
				var c stun.Message
				if c.Unmarshal(bad) != nil {
					continue // the flip broke the framing: refused before integrity
				}
				if err := mi.Check(&c); err == nil {
					t.Errorf("frame %d: byte %d flipped and MESSAGE-INTEGRITY still verifies", d.N, i)
				}
				tried++
			}
		}
		if tried == 0 {
			t.Fatal("no corrupted message tried")
		}
		t.Logf("%d corrupted messages refused", tried)
	})
}
