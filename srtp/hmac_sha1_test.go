package srtp

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"testing"
)

// hmacSHA1.sum agrees with crypto/hmac for every message length around the
// block and padding boundaries, with and without the ROC suffix, and for
// keys shorter and longer than a block.
func TestHMACSHA1MatchesStdlib(t *testing.T) {
	t.Logf("SHA-NI path: %v", haveSHANI)
	msg := make([]byte, 300)
	for i := range msg {
		msg[i] = byte(i*7 + 3)
	}
	for _, keyLen := range []int{20, 64, 65, 100} {
		key := msg[len(msg)-keyLen:]
		var m hmacSHA1
		m.init(key)
		for n := 0; n <= 260; n++ {
			for _, suffix := range [][]byte{nil, {0, 0, 1, 2}} {
				var got [sha1.Size]byte
				m.sum(&got, msg[:n], suffix)
				h := hmac.New(sha1.New, key)
				h.Write(msg[:n])
				h.Write(suffix)
				if want := h.Sum(nil); string(want) != string(got[:]) {
					t.Fatalf("key %d, msg %d, suffix %x: got %x, want %x", keyLen, n, suffix, got, want)
				}
			}
		}
	}
}

// RFC 2202 §3 test case 2 (HMAC-SHA1, key "Jefe").
func TestHMACSHA1RFC2202(t *testing.T) {
	var m hmacSHA1
	m.init([]byte("Jefe"))
	var got [sha1.Size]byte
	// suffix is at most 8 bytes; the message is split across msg and suffix.
	m.sum(&got, []byte("what do ya want for "), []byte("nothing?"))
	if want := "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"; hex.EncodeToString(got[:]) != want {
		t.Fatalf("got %x, want %s", got, want)
	}
}
