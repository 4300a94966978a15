package srtp

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// RFC 3711 B.3 and RFC 6188 §7.2/§7.4: session keys from a master key.
func TestKeyDerivationVectors(t *testing.T) {
	var cases []vectorCase
	for _, c := range readVectors(t, "rfc3711.txt") {
		if strings.Contains(c.section, "key derivation") {
			cases = append(cases, c)
		}
	}
	for _, c := range readVectors(t, "rfc6188.txt") {
		if strings.Contains(c.section, "key derivation") {
			cases = append(cases, c)
		}
	}
	if len(cases) != 3 {
		t.Fatalf("found %d key derivation vectors, want 3", len(cases))
	}
	for _, c := range cases {
		t.Run(c.section, func(t *testing.T) {
			mk, ms := c.hex(t, "master_key"), c.hex(t, "master_salt")
			for _, f := range []struct {
				label byte
				name  string
			}{{labelSRTPEncryption, "cipher_key"}, {labelSRTPSalt, "cipher_salt"}, {labelSRTPAuth, "auth_key"}} {
				want := c.hex(t, f.name)
				got, err := DeriveSessionKey(mk, ms, f.label, 0, 0, len(want))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s (label %d):\n got %x\nwant %x", f.name, f.label, got, want)
				}
			}
		})
	}
}

// Key derivation rate: r = index DIV kdr enters the PRF input (RFC 3711 §4.3.1).
func TestKeyDerivationRate(t *testing.T) {
	for _, c := range readVectors(t, "kdf-rate.txt") {
		t.Run(c.section, func(t *testing.T) {
			mk, ms := c.hex(t, "master_key"), c.hex(t, "master_salt")
			var index uint64
			for _, b := range c.hex(t, "index") {
				index = index<<8 | uint64(b)
			}
			n := 0
			for name := range c.fields {
				if !strings.HasPrefix(name, "label") {
					continue
				}
				label, _ := strconv.Atoi(strings.TrimPrefix(name, "label"))
				want := c.hex(t, name)
				got, err := DeriveSessionKey(mk, ms, byte(label), index, 1, len(want))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("label %d:\n got %x\nwant %x", label, got, want)
				}
				// With kdr = 0 the index must not matter, so the result differs.
				got0, _ := DeriveSessionKey(mk, ms, byte(label), index, 0, len(want))
				if bytes.Equal(got0, want) {
					t.Errorf("label %d: kdr 0 gave the kdr-1 key; index ignored?", label)
				}
				n++
			}
			if n != 3 {
				t.Fatalf("%d labels in vector, want 3", n)
			}
		})
	}
}

// RFC 3711 B.2 and RFC 6188 §7.1/§7.3: the AES-CM keystream over a whole
// 65282-block segment, first and last three blocks.
func TestCounterModeKeystreamVectors(t *testing.T) {
	var cases []vectorCase
	for _, f := range []string{"rfc3711.txt", "rfc6188.txt"} {
		for _, c := range readVectors(t, f) {
			if strings.Contains(c.section, "keystream") {
				cases = append(cases, c)
			}
		}
	}
	if len(cases) != 3 {
		t.Fatalf("found %d keystream vectors, want 3", len(cases))
	}
	for _, c := range cases {
		t.Run(c.section, func(t *testing.T) {
			var cm counterMode
			if err := cm.init(c.hex(t, "session_key")); err != nil {
				t.Fatal(err)
			}
			blocks, _ := strconv.Atoi(c.fields["segment_blocks"])
			var iv [16]byte
			copy(iv[:], c.hex(t, "session_salt")) // SSRC 0, index 0: IV = k_s * 2^16
			ks := make([]byte, blocks*16)
			cm.xorKeyStream(ks, &iv)
			if want := c.hex(t, "first_blocks"); !bytes.Equal(ks[:48], want) {
				t.Errorf("first blocks:\n got %x\nwant %x", ks[:48], want)
			}
			if want := c.hex(t, "last_blocks"); !bytes.Equal(ks[len(ks)-48:], want) {
				t.Errorf("last blocks:\n got %x\nwant %x", ks[len(ks)-48:], want)
			}
			// Random access into the keystream agrees with the sequential one.
			for _, off := range []int{0, 1, 15, 16, 17, 255, 256, 1000, len(ks) - 40} {
				buf := make([]byte, 40)
				cm.xorKeyStreamAt(buf, &iv, off)
				if !bytes.Equal(buf, ks[off:off+40]) {
					t.Errorf("xorKeyStreamAt offset %d disagrees", off)
				}
			}
		})
	}
}

// A negative session key length is an error, not a panic in make.
func TestDeriveSessionKeyNegativeLength(t *testing.T) {
	if _, err := DeriveSessionKey(make([]byte, 16), make([]byte, 14), labelSRTPEncryption, 0, 0, -1); err != ErrKeyLen {
		t.Fatalf("n = -1: %v, want ErrKeyLen", err)
	}
}
