package srtp

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"testing"
)

// rtpWithExtension builds an RTP packet with the given extension profile
// and element bytes (padded to a word) and a payload.
func rtpWithExtension(profile uint16, elems []byte, seq uint16) []byte {
	for len(elems)%4 != 0 {
		elems = append(elems, 0)
	}
	p := []byte{0x90, 111, byte(seq >> 8), byte(seq), 0, 0, 0, 1, 0x11, 0x22, 0x33, 0x44}
	p = binary.BigEndian.AppendUint16(p, profile)
	p = binary.BigEndian.AppendUint16(p, uint16(len(elems)/4))
	p = append(p, elems...)
	p = append(p, []byte("opus payload bytes")...)
	return append(make([]byte, 0, len(p)+32), p...)
}

// headerKeystream computes, independently of the package's counter mode,
// the RFC 6904 keystream: AES-CTR under the session header key (label 0x06)
// from the IV built with the session header salt (label 0x07).
func headerKeystream(t *testing.T, p Profile, key, salt []byte, ssrc uint32, index int64, n int) []byte {
	t.Helper()
	hk, _ := DeriveSessionKey(key, salt, labelSRTPHeaderKey, 0, 0, p.KeyLen())
	hs, _ := DeriveSessionKey(key, salt, labelSRTPHeaderSalt, 0, 0, p.SaltLen())
	var iv [16]byte
	copy(iv[:], hs)
	binary.BigEndian.PutUint32(iv[4:8], binary.BigEndian.Uint32(iv[4:8])^ssrc)
	for i := 0; i < 6; i++ {
		iv[13-i] ^= byte(index >> (8 * i))
	}
	block, _ := aes.NewCipher(hk)
	ks := make([]byte, n)
	cipher.NewCTR(block, iv[:]).XORKeyStream(ks, ks)
	return ks
}

func TestHeaderExtensionEncryption(t *testing.T) {
	oneByte := []byte{
		0x11, 0xaa, 0xbb, // ID 1, 2 bytes: encrypted
		0x20, 0xcc, // ID 2, 1 byte: clear
		0x00,             // padding between elements
		0x33, 1, 2, 3, 4, // ID 3, 4 bytes: encrypted
	}
	twoByte := []byte{
		1, 2, 0xaa, 0xbb, // ID 1, 2 bytes: encrypted
		2, 0, // ID 2, empty
		0,          // padding
		3, 1, 0xee, // ID 3, 1 byte: encrypted
		200, 3, 7, 8, 9, // ID 200, clear
	}
	// Expected keystream offsets of each encrypted byte (libsrtp layout:
	// ID/length bytes consume keystream, padding does not).
	cases := []struct {
		name    string
		profile uint16
		elems   []byte
		enc     map[int]int // element byte offset -> keystream offset
	}{
		{"one-byte", 0xBEDE, oneByte, map[int]int{1: 1, 2: 2, 7: 6, 8: 7, 9: 8, 10: 9}},
		{"two-byte", 0x1000, twoByte, map[int]int{2: 2, 3: 3, 9: 8}},
	}
	for _, p := range []Profile{ProfileAES128CMHMACSHA1_80, ProfileAEADAES128GCM, ProfileAEADAES256GCM} {
		for _, c := range cases {
			t.Run(p.String()+"/"+c.name, func(t *testing.T) {
				key := bytes.Repeat([]byte{5}, p.KeyLen())
				salt := bytes.Repeat([]byte{9}, p.SaltLen())
				ids := []uint8{1, 3}
				tx, _ := NewContext(p, key, salt, WithEncryptedHeaderExtensions(ids...))
				rx, _ := NewContext(p, key, salt, WithEncryptedHeaderExtensions(ids...))
				plain := rtpWithExtension(c.profile, c.elems, 77)
				out, err := tx.EncryptRTP(nil, plain)
				if err != nil {
					t.Fatal(err)
				}
				ks := headerKeystream(t, p, key, salt, 0x11223344, 77, 64)
				ext := plain[16:]
				for i := 0; i < len(c.elems); i++ {
					want := ext[i]
					if k, ok := c.enc[i]; ok {
						want ^= ks[k]
					}
					if out[16+i] != want {
						t.Errorf("extension byte %d: %#x, want %#x", i, out[16+i], want)
					}
				}
				got, err := rx.DecryptRTP(bytes.Clone(out))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, plain) {
					t.Fatalf("round trip:\n got %x\nwant %x", got, plain)
				}
				// The encrypted extension is authenticated: flip one byte.
				out[17] ^= 1
				rx, _ = NewContext(p, key, salt, WithEncryptedHeaderExtensions(ids...))
				if _, err := rx.DecryptRTP(out); err != ErrAuthFailed {
					t.Fatalf("tampered extension: %v", err)
				}
			})
		}
	}
}

// Without negotiated IDs, or with ID 15 (stop, RFC 8285 §4.2) first, the
// extension stays as it is; other extension profiles are not touched.
func TestHeaderExtensionUntouched(t *testing.T) {
	p := ProfileAES128CMHMACSHA1_80
	key, salt := bytes.Repeat([]byte{5}, 16), bytes.Repeat([]byte{9}, 14)
	for _, c := range []struct {
		name    string
		profile uint16
		elems   []byte
		ids     []uint8
	}{
		{"no ids", 0xBEDE, []byte{0x10, 1, 2}, nil},
		{"other ids", 0xBEDE, []byte{0x10, 1, 2}, []uint8{4}},
		{"id 15 stops", 0xBEDE, []byte{0xf0, 0x10, 1, 2}, []uint8{1}},
		{"foreign profile", 0x1234, []byte{0x10, 1, 2, 3}, []uint8{1}},
		{"truncated element", 0xBEDE, []byte{0x1f, 1, 2}, []uint8{1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tx, _ := NewContext(p, key, salt, WithEncryptedHeaderExtensions(c.ids...))
			plain := rtpWithExtension(c.profile, c.elems, 1)
			out, err := tx.EncryptRTP(nil, plain)
			if err != nil {
				t.Fatal(err)
			}
			hdrLen := 16 + 4*int(binary.BigEndian.Uint16(plain[14:16]))
			if !bytes.Equal(out[:hdrLen], plain[:hdrLen]) {
				t.Fatalf("header changed:\n got %x\nwant %x", out[:hdrLen], plain[:hdrLen])
			}
		})
	}
}
