//go:build amd64 && !purego

package srtp

import (
	"bytes"
	"crypto/aes"
	"crypto/fips140"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
)

// The AES-NI block loop against crypto/aes block by block: every block
// count from 0 to 20 (the eight-block batch, the single-block tail and
// both), distinct and identical source and destination, all key sizes.
func TestAESNIEncryptBlocks(t *testing.T) {
	if !haveAESNI {
		t.Skip("CPU has no AES-NI; the generic path is tested by TestCounterModeLengths")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, keyLen := range []int{16, 24, 32} {
		key := make([]byte, keyLen)
		for i := range key {
			key[i] = byte(rng.Uint32())
		}
		block, _ := aes.NewCipher(key)
		xk, rounds := expandKey(key)
		if rounds != keyLen/4+6 {
			t.Fatalf("key %d bytes: %d rounds", keyLen, rounds)
		}
		for blocks := 0; blocks <= 20; blocks++ {
			src := make([]byte, 16*blocks+1) // +1: never index an empty slice
			for i := range src {
				src[i] = byte(rng.Uint32())
			}
			want := make([]byte, 16*blocks)
			for i := 0; i < blocks; i++ {
				block.Encrypt(want[16*i:], src[16*i:])
			}
			dst := make([]byte, 16*blocks+1)
			dst[16*blocks] = 0xa5
			aesniEncryptBlocks(rounds, &xk[0], &dst[0], &src[0], blocks)
			if !bytes.Equal(dst[:16*blocks], want) || dst[16*blocks] != 0xa5 {
				t.Fatalf("key %d bytes, %d blocks, distinct buffers: differs or wrote past the end", keyLen, blocks)
			}
			inPlace := bytes.Clone(src)
			aesniEncryptBlocks(rounds, &xk[0], &inPlace[0], &inPlace[0], blocks)
			if !bytes.Equal(inPlace[:16*blocks], want) || inPlace[16*blocks] != src[16*blocks] {
				t.Fatalf("key %d bytes, %d blocks, in place: differs or wrote past the end", keyLen, blocks)
			}
		}
	}
}

// In FIPS 140-3 mode AES comes from the standard library's module: the
// test binary re-runs itself with GODEBUG=fips140=on and reports whether
// the AES-NI loop would be used.
func TestAESNIOffInFIPSMode(t *testing.T) {
	if os.Getenv("SRTP_REPORT_AESNI") == "1" {
		fmt.Printf("haveAESNI=%v fips=%v\n", haveAESNI, fips140.Enabled())
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAESNIOffInFIPSMode$")
	cmd.Env = append(os.Environ(), "SRTP_REPORT_AESNI=1", "GODEBUG=fips140=on")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("haveAESNI=false fips=true")) {
		t.Fatalf("in FIPS mode: %s", out)
	}
}
