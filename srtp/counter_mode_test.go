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

// Every length around the 16-byte block, the eight-block AES-NI batch and
// the 256-byte chunk, for each key size, on the path in use (AES-NI or, with
// -tags purego or without AES-NI, generic) and the generic one.
func TestCounterModeLengths(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	lengths := []int{0, 1, 15, 16, 17, 31, 32, 33, 112, 127, 128, 129, 143, 144, 255, 256, 257, 271, 383, 384, 385, 511, 512, 513, 1500}
	for _, keyLen := range []int{16, 24, 32} {
		key := make([]byte, keyLen)
		for i := range key {
			key[i] = byte(rng.Uint32())
		}
		block, _ := aes.NewCipher(key)
		var cm counterMode
		if err := cm.init(key); err != nil {
			t.Fatal(err)
		}
		gen := counterMode{block: block}
		for _, n := range lengths {
			var iv [16]byte
			for i := range iv {
				iv[i] = byte(rng.Uint32())
			}
			msg := make([]byte, n)
			for i := range msg {
				msg[i] = byte(rng.Uint32())
			}
			want := make([]byte, n)
			cipher.NewCTR(block, iv[:]).XORKeyStream(want, msg)
			for name, c := range map[string]*counterMode{"in use": &cm, "generic": &gen} {
				got := bytes.Clone(msg)
				c.xorKeyStream(got, &iv)
				if !bytes.Equal(got, want) {
					t.Fatalf("%s, key %d bytes, length %d: differs from crypto/cipher CTR", name, keyLen, n)
				}
			}
		}
	}
}

// xorKeyStreamAt(buf, iv, off) is the keystream from byte off on, for any
// offset (RFC 6904 walks it element by element), also when the counter's
// low 64 bits carry.
func TestCounterModeKeystreamAt(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, keyLen := range []int{16, 24, 32} {
		key := make([]byte, keyLen)
		for i := range key {
			key[i] = byte(rng.Uint32())
		}
		block, _ := aes.NewCipher(key)
		var cm counterMode
		if err := cm.init(key); err != nil {
			t.Fatal(err)
		}
		for trial := 0; trial < 200; trial++ {
			var iv [16]byte
			for i := range iv {
				iv[i] = byte(rng.Uint32())
			}
			if trial%4 == 0 {
				for i := 8; i < 16; i++ {
					iv[i] = 0xff
				}
				iv[15] = byte(0xff - rng.IntN(4))
			}
			off, n := rng.IntN(600), rng.IntN(300)
			full := make([]byte, off+n)
			cipher.NewCTR(block, iv[:]).XORKeyStream(full, full)
			got := make([]byte, n)
			cm.xorKeyStreamAt(got, &iv, off)
			if !bytes.Equal(got, full[off:]) {
				t.Fatalf("key %d bytes, offset %d, length %d: differs from crypto/cipher CTR", keyLen, off, n)
			}
		}
	}
}
