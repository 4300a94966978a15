package conformance

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"testing"
)

// TestPRFVectors checks the TLS 1.2 PRF against the published P_SHA256 and
// P_SHA384 vectors (IETF TLS WG list, msg03416; used by BearSSL's KAT).
func TestPRFVectors(t *testing.T) {
	for _, v := range []struct {
		name              string
		h                 func() hash.Hash
		secret, seed, out string
	}{
		{"sha256", sha256.New, "9bbe436ba940f017b17652849a71db35", "a0ba9f936cda311827a6f796ffd5198c",
			"e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a" +
				"6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab" +
				"4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701" +
				"87347b66"},
		{"sha384", sha512.New384, "b80b733d6ceefcdc71566ea48e5567df", "cd665cf6a8447dd6ff8b27555edb7465",
			"7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd" +
				"e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd" +
				"8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425" +
				"9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6" +
				"91c8f3a26854308d5eaa3be85e0990703d73e56f"},
	} {
		secret, _ := hex.DecodeString(v.secret)
		seed, _ := hex.DecodeString(v.seed)
		want, _ := hex.DecodeString(v.out)
		got := make([]byte, len(want))
		PRF(v.h, secret, "test label", seed, got)
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %x\nwant %x", v.name, got, want)
		}
		// A shorter output is a prefix of the longer one (P_hash is a stream).
		short := make([]byte, 7)
		PRF(v.h, secret, "test label", seed, short)
		if !bytes.Equal(short, want[:7]) {
			t.Errorf("%s: 7-byte output %x is not a prefix", v.name, short)
		}
	}
}

func TestCipherSuiteHash(t *testing.T) {
	for suite, size := range map[uint16]int{
		0xc02b: 32, // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (the browsers')
		0xc02f: 32, // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
		0xc00a: 32, // TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: _SHA suites use the SHA-256 PRF
		0xc02c: 48, // TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
		0xc030: 48, // TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
	} {
		if got := CipherSuiteHash(suite)().Size(); got != size {
			t.Errorf("suite %#04x: hash size %d, want %d", suite, got, size)
		}
	}
}

func TestSplitSRTPKeyingMaterial(t *testing.T) {
	km := make([]byte, 2*(32+12))
	for i := range km {
		km[i] = byte(i)
	}
	k, err := SplitSRTPKeyingMaterial(ProfileAEADAES256GCM, km)
	if err != nil {
		t.Fatal(err)
	}
	if k.ClientKey[0] != 0 || len(k.ClientKey) != 32 || k.ServerKey[0] != 32 || len(k.ServerKey) != 32 ||
		k.ClientSalt[0] != 64 || len(k.ClientSalt) != 12 || k.ServerSalt[0] != 76 || len(k.ServerSalt) != 12 {
		t.Errorf("split: %x %x %x %x", k.ClientKey, k.ServerKey, k.ClientSalt, k.ServerSalt)
	}
	if _, err := SplitSRTPKeyingMaterial(ProfileAES128CMSHA1_80, km); err == nil {
		t.Error("88 bytes accepted for AES128_CM_SHA1_80 (needs 60)")
	}
	if _, err := SplitSRTPKeyingMaterial(0x0005, km); err == nil {
		t.Error("unknown profile accepted")
	}
	for p, want := range map[uint16][2]int{1: {16, 14}, 2: {16, 14}, 7: {16, 12}, 8: {32, 12}} {
		kl, sl, ok := SRTPKeyLengths(p)
		if !ok || kl != want[0] || sl != want[1] {
			t.Errorf("profile %d: %d/%d %v, want %v", p, kl, sl, ok, want)
		}
	}
}

func BenchmarkExportKeyingMaterial(b *testing.B) {
	ms := make([]byte, 48)
	var cr, sr [32]byte
	b.ReportAllocs()
	for b.Loop() {
		ExportKeyingMaterial(sha256.New, ms, ExporterLabelDTLSSRTP, cr, sr, 60)
	}
}
