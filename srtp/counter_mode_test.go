package srtp

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"math/rand/v2"
	"testing"
)

// The counter mode (AES-NI or generic) agrees with the standard library's
// AES-CTR for every key size, many lengths and counters that carry across
// 64 bits.
func TestCounterModeMatchesStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, keyLen := range []int{16, 24, 32} {
		for trial := 0; trial < 50; trial++ {
			key := make([]byte, keyLen)
			for i := range key {
				key[i] = byte(rng.Uint32())
			}
			var iv [16]byte
			for i := range iv {
				iv[i] = byte(rng.Uint32())
			}
			if trial%5 == 0 {
				for i := 8; i < 16; i++ {
					iv[i] = 0xff // low 64 bits about to carry
				}
			}
			n := rng.IntN(3000)
			msg := make([]byte, n)
			for i := range msg {
				msg[i] = byte(rng.Uint32())
			}
			var cm counterMode
			if err := cm.init(key); err != nil {
				t.Fatal(err)
			}
			if haveAESNI && cm.xk == nil {
				t.Fatal("AES-NI present but not used")
			}
			got := bytes.Clone(msg)
			cm.xorKeyStream(got, &iv)
			block, _ := aes.NewCipher(key)
			want := make([]byte, n)
			cipher.NewCTR(block, iv[:]).XORKeyStream(want, msg)
			if !bytes.Equal(got, want) {
				t.Fatalf("key %d bytes, %d bytes: differs from crypto/cipher CTR", keyLen, n)
			}
			// The generic path too.
			gen := counterMode{block: block}
			got2 := bytes.Clone(msg)
			gen.xorKeyStream(got2, &iv)
			if !bytes.Equal(got2, want) {
				t.Fatalf("generic path, key %d bytes, %d bytes: differs", keyLen, n)
			}
		}
	}
	t.Logf("AES-NI: %v", haveAESNI)
}
