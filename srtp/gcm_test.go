package srtp

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

// gcmContext builds a context from RFC 7714's session key and salt, which
// the vectors give below the key derivation function.
func gcmContext(t *testing.T, v vectorCase, opts ...Option) *Context {
	t.Helper()
	key, salt := v.hex(t, "key"), v.hex(t, "salt")
	p := ProfileAEADAES128GCM
	if len(key) == 32 {
		p = ProfileAEADAES256GCM
	}
	c, err := newContext(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	if c.rtp, err = newSessionKeys(p, key, salt, nil); err != nil {
		t.Fatal(err)
	}
	if c.rtcp, err = newSessionKeys(p, key, salt, nil); err != nil {
		t.Fatal(err)
	}
	return c
}

// All twelve RFC 7714 cases: §16.1.1–16.1.4, §16.2.1–16.2.4, §17.1–17.4.
func TestRFC7714Vectors(t *testing.T) {
	cases := readVectors(t, "rfc7714.txt")
	if len(cases) != 12 {
		t.Fatalf("%d RFC 7714 vectors, want 12", len(cases))
	}
	for _, v := range cases {
		t.Run(v.section, func(t *testing.T) {
			plain, packet := v.hex(t, "plain"), v.hex(t, "packet")
			var opts []Option
			tagOnly := strings.Contains(v.section, "no encryption") || strings.Contains(v.section, "tagging only")
			rtcp := strings.HasPrefix(v.section, "17.")
			if tagOnly {
				opts = append(opts, WithUnencryptedSRTP(), WithUnencryptedSRTCP())
			}
			encrypt := strings.Contains(v.section, "encryption") || strings.Contains(v.section, "tagging")
			if !rtcp {
				if iv, ok := v.fields["iv"]; ok {
					c := gcmContext(t, v)
					c.gcmRTPNonce(c.rtp, binary.BigEndian.Uint32(plain[8:12]), int64(binary.BigEndian.Uint16(plain[2:4])))
					if got := c.nonce[:]; !bytes.Equal(got, unhex(t, iv)) {
						t.Errorf("IV (§8.1): got %x want %s", got, iv)
					}
				}
				if encrypt {
					c := gcmContext(t, v, opts...)
					buf := append(make([]byte, 0, len(plain)+16), plain...)
					got, err := c.EncryptRTP(buf[:0], buf)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, packet) {
						t.Fatalf("EncryptRTP:\n got %x\nwant %x", got, packet)
					}
				}
				c := gcmContext(t, v, opts...)
				got, err := c.DecryptRTP(bytes.Clone(packet))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, plain) {
					t.Fatalf("DecryptRTP:\n got %x\nwant %x", got, plain)
				}
				// A flipped bit anywhere must fail authentication.
				for _, i := range []int{1, 12, len(packet) - 1} {
					bad := bytes.Clone(packet)
					bad[i] ^= 0x08
					if _, err := gcmContext(t, v, opts...).DecryptRTP(bad); err != ErrAuthFailed {
						t.Errorf("bit flipped at %d: err %v, want ErrAuthFailed", i, err)
					}
				}
				return
			}
			index := binary.BigEndian.Uint32(v.hex(t, "index"))
			ssrc := binary.BigEndian.Uint32(plain[4:8])
			if iv, ok := v.fields["iv"]; ok {
				c := gcmContext(t, v)
				c.gcmRTCPNonce(c.rtcp, ssrc, index)
				if got := c.nonce[:]; !bytes.Equal(got, unhex(t, iv)) {
					t.Errorf("IV (§9.1): got %x want %s", got, iv)
				}
			}
			c := gcmContext(t, v, opts...)
			c.SetSRTCPIndex(ssrc, index)
			got, err := c.EncryptRTCP(nil, plain)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, packet) {
				t.Fatalf("EncryptRTCP:\n got %x\nwant %x", got, packet)
			}
			got, err = gcmContext(t, v).DecryptRTCP(bytes.Clone(packet))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, plain) {
				t.Fatalf("DecryptRTCP:\n got %x\nwant %x", got, plain)
			}
			for _, i := range []int{0, 9, len(packet) - 21, len(packet) - 1} {
				bad := bytes.Clone(packet)
				bad[i] ^= 0x01
				if _, err := gcmContext(t, v).DecryptRTCP(bad); err != ErrAuthFailed {
					t.Errorf("bit flipped at %d: err %v, want ErrAuthFailed", i, err)
				}
			}
		})
	}
}
