package srtp

import (
	"bytes"
	"testing"
)

// With a key derivation rate, the packet at index i is protected with the
// session keys of r = i DIV kdr (RFC 3711 §4.3.1), derived independently
// here with DeriveSessionKey.
func TestContextKeyDerivationRate(t *testing.T) {
	if _, err := NewContext(ProfileAES128CMHMACSHA1_80, make([]byte, 16), make([]byte, 14), WithKeyDerivationRate(3)); err != ErrKDR {
		t.Fatalf("kdr 3: %v, want ErrKDR", err)
	}
	for _, p := range []Profile{ProfileAES128CMHMACSHA1_80, ProfileAEADAES128GCM} {
		t.Run(p.String(), func(t *testing.T) {
			key := bytes.Repeat([]byte{3}, p.KeyLen())
			salt := bytes.Repeat([]byte{4}, p.SaltLen())
			const kdr = 4
			tx, _ := NewContext(p, key, salt, WithKeyDerivationRate(kdr))
			rx, _ := NewContext(p, key, salt, WithKeyDerivationRate(kdr))
			for seq := uint16(0); seq < 20; seq++ {
				out, err := tx.EncryptRTP(nil, testRTP(5, seq, 30))
				if err != nil {
					t.Fatal(err)
				}
				// Reference: a rate-0 context whose SRTP keys are those of r.
				r := uint64(seq) / kdr
				ek, _ := DeriveSessionKey(key, salt, labelSRTPEncryption, uint64(seq), kdr, p.KeyLen())
				ak, _ := DeriveSessionKey(key, salt, labelSRTPAuth, uint64(seq), kdr, authKeyLen)
				sk, _ := DeriveSessionKey(key, salt, labelSRTPSalt, uint64(seq), kdr, p.SaltLen())
				ref, _ := NewContext(p, key, salt)
				ref.rtp, _ = newSessionKeys(p, ek, sk, ak)
				want, _ := ref.EncryptRTP(nil, testRTP(5, seq, 30))
				if !bytes.Equal(out, want) {
					t.Fatalf("seq %d (r %d): protected with other keys than r's", seq, r)
				}
				if got, err := rx.DecryptRTP(out); err != nil || !bytes.Equal(got, testRTP(5, seq, 30)) {
					t.Fatalf("seq %d: %v", seq, err)
				}
			}
			// SRTCP: r = SRTCP index DIV kdr with the 32-bit index.
			tx.SetSRTCPIndex(9, 6)
			out, _ := tx.EncryptRTCP(nil, testRTCP(9))
			ek, _ := DeriveSessionKey(key, salt, labelSRTCPEncryption, 6, kdr, p.KeyLen())
			ak, _ := DeriveSessionKey(key, salt, labelSRTCPAuth, 6, kdr, authKeyLen)
			sk, _ := DeriveSessionKey(key, salt, labelSRTCPSalt, 6, kdr, p.SaltLen())
			ref, _ := NewContext(p, key, salt)
			ref.rtcp, _ = newSessionKeys(p, ek, sk, ak)
			ref.SetSRTCPIndex(9, 6)
			if want, _ := ref.EncryptRTCP(nil, testRTCP(9)); !bytes.Equal(out, want) {
				t.Fatal("SRTCP index 6 protected with other keys than r = 1's")
			}
			if got, err := rx.DecryptRTCP(out); err != nil || !bytes.Equal(got, testRTCP(9)) {
				t.Fatalf("SRTCP: %v", err)
			}
		})
	}
}
