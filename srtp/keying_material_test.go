package srtp

import (
	"bytes"
	"testing"
)

// RFC 5764 §4.2 split of keying material that OpenSSL itself exported
// (openssl s_server -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen 56,
// SRTP_AEAD_AES_128_GCM; conformance/testdata/exporter-openssl).
func TestSplitKeyingMaterial(t *testing.T) {
	km := unhex(t, "33B3311F9764DC6CC4A53ACA4267261E74BBE2D391617131B07DDEB9A3C2781018E8F967DB6D697B5597CC277F76F0D63A6AC1AA877D8715")
	ck, cs, sk, ss, err := SplitKeyingMaterial(ProfileAEADAES128GCM, km)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want []byte
	}{
		{"client key", ck, unhex(t, "33b3311f9764dc6cc4a53aca4267261e")},
		{"server key", sk, unhex(t, "74bbe2d391617131b07ddeb9a3c27810")},
		{"client salt", cs, unhex(t, "18e8f967db6d697b5597cc27")},
		{"server salt", ss, unhex(t, "7f76f0d63a6ac1aa877d8715")},
	} {
		if !bytes.Equal(c.got, c.want) {
			t.Errorf("%s: %x, want %x", c.name, c.got, c.want)
		}
	}
	if _, _, _, _, err := SplitKeyingMaterial(ProfileAES128CMHMACSHA1_80, km); err != ErrKeyLen {
		t.Errorf("56 bytes for a 60-byte profile: %v", err)
	}
	// The client's local context and the server's remote one share keys.
	cl, cr, _ := FromKeyingMaterial(ProfileAEADAES128GCM, km, true)
	sl, sr, _ := FromKeyingMaterial(ProfileAEADAES128GCM, km, false)
	for _, pr := range []struct{ tx, rx *Context }{{cl, sr}, {sl, cr}} {
		out, _ := pr.tx.EncryptRTP(nil, testRTP(1, 1, 10))
		if _, err := pr.rx.DecryptRTP(out); err != nil {
			t.Fatal(err)
		}
	}
	out, _ := cl.EncryptRTP(nil, testRTP(1, 2, 10))
	if _, err := cr.DecryptRTP(out); err != ErrAuthFailed {
		t.Fatalf("the client's own remote context decrypted its local output: %v", err)
	}
}
