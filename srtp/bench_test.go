package srtp

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"testing"
)

// Benchmarks of the packet path, beside the raw primitives they are built
// from (the floor): AES-CTR + HMAC-SHA1 over a 1200-byte packet, and one
// AES-GCM seal, with the standard library directly.

var benchProfiles = []struct {
	name string
	p    Profile
}{{"AES_CM_128_HMAC_SHA1_80", ProfileAES128CMHMACSHA1_80}, {"AEAD_AES_128_GCM", ProfileAEADAES128GCM}}

func BenchmarkEncryptRTP(b *testing.B) {
	for _, bp := range benchProfiles {
		for _, size := range []int{100, 1200} {
			b.Run(fmt.Sprintf("%s/%d", bp.name, size), func(b *testing.B) {
				key := bytes.Repeat([]byte{1}, bp.p.KeyLen())
				salt := bytes.Repeat([]byte{2}, bp.p.SaltLen())
				c, _ := NewContext(bp.p, key, salt)
				pkt := testRTP(1, 0, size-12)
				buf := make([]byte, size, size+bp.p.RTPOverhead())
				copy(buf, pkt)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					binary.BigEndian.PutUint16(buf[2:4], uint16(i))
					if _, err := c.EncryptRTP(buf[:0], buf[:size]); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkDecryptRTP decrypts a ring of pre-protected packets. Each
// iteration copies one packet into the work buffer (decryption is in place),
// and when the ring wraps the stream's state is rewound without allocating.
func BenchmarkDecryptRTP(b *testing.B) {
	const ring = 1024
	for _, bp := range benchProfiles {
		for _, size := range []int{100, 1200} {
			b.Run(fmt.Sprintf("%s/%d", bp.name, size), func(b *testing.B) {
				key := bytes.Repeat([]byte{1}, bp.p.KeyLen())
				salt := bytes.Repeat([]byte{2}, bp.p.SaltLen())
				tx, _ := NewContext(bp.p, key, salt)
				rx, _ := NewContext(bp.p, key, salt)
				pkts := make([][]byte, ring)
				for i := range pkts {
					pkts[i], _ = tx.EncryptRTP(nil, testRTP(1, uint16(i), size-12))
				}
				work := make([]byte, len(pkts[0]))
				b.SetBytes(int64(size))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					j := i % ring
					if j == 0 && i > 0 {
						rx.rtpStreams[1].started = false
					}
					copy(work, pkts[j])
					if _, err := rx.DecryptRTP(work); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkFloor is the standard library doing the same cryptographic work
// with nothing around it: cipher.NewCTR (which allocates a stream per IV) +
// HMAC-SHA1 over 1200 bytes, and one AES-GCM Seal of a 1188-byte payload.
func BenchmarkFloor(b *testing.B) {
	b.Run("AES-CTR+HMAC-SHA1/1200", func(b *testing.B) {
		block, _ := aes.NewCipher(make([]byte, 16))
		mac := hmac.New(sha1.New, make([]byte, 20))
		buf := make([]byte, 1200)
		iv := make([]byte, 16)
		tag := make([]byte, 0, sha1.Size)
		b.SetBytes(1200)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			iv[13] = byte(i)
			cipher.NewCTR(block, iv).XORKeyStream(buf[12:], buf[12:])
			mac.Reset()
			mac.Write(buf)
			mac.Write(iv[:4])
			tag = mac.Sum(tag[:0])
		}
	})
	b.Run("AES-GCM-Seal/1200", func(b *testing.B) {
		block, _ := aes.NewCipher(make([]byte, 16))
		gcm, _ := cipher.NewGCM(block)
		buf := make([]byte, 1200, 1200+16)
		nonce := make([]byte, 12)
		b.SetBytes(1200)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			nonce[11] = byte(i)
			gcm.Seal(buf[12:12], nonce, buf[12:1200], buf[:12])
		}
	})
}
