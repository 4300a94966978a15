package conformance

import (
	"bytes"
	"crypto/sha512"
	"encoding/hex"
	"os"
	"testing"
)

// TestExporterOpenSSL derives DTLS-SRTP keys from an openssl s_client/s_server
// handshake (testdata/VECTORS-README.md): randoms from the capture, master
// secret from the key log, SHA-384 PRF for the suite, and compares with the
// bytes OpenSSL itself exported.
func TestExporterOpenSSL(t *testing.T) {
	f, err := os.Open("testdata/exporter-openssl/dtls.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ds, err := ReadCapture(f)
	if err != nil {
		t.Fatal(err)
	}
	h, err := FindDTLSHello(ds)
	if err != nil {
		t.Fatal(err)
	}
	if h.Server.Port() != 44330 {
		t.Errorf("DTLS server %v, want port 44330", h.Server)
	}
	if h.SRTPProfile != ProfileAEADAES128GCM {
		t.Errorf("profile %s, want SRTP_AEAD_AES_128_GCM", SRTPProfileName(h.SRTPProfile))
	}
	// The README says the suite hashes with SHA-384; check the table agrees.
	if CipherSuiteHash(h.CipherSuite)().Size() != sha512.Size384 {
		t.Errorf("cipher suite %#04x: PRF hash is not SHA-384", h.CipherSuite)
	}
	klb, err := os.ReadFile("testdata/exporter-openssl/keylog.txt")
	if err != nil {
		t.Fatal(err)
	}
	kl, err := ParseKeyLog(klb)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := DeriveSRTPKeys(h, kl)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := hex.DecodeString("33B3311F9764DC6CC4A53ACA4267261E74BBE2D391617131B07DDEB9A3C2781018E8F967DB6D697B5597CC277F76F0D63A6AC1AA877D8715")
	if !bytes.Equal(keys.Material, want) {
		t.Fatalf("keying material\n got %X\nwant %X", keys.Material, want)
	}
	for _, x := range []struct {
		name string
		got  []byte
		want string
	}{
		{"client key", keys.ClientKey, "33b3311f9764dc6cc4a53aca4267261e"},
		{"server key", keys.ServerKey, "74bbe2d391617131b07ddeb9a3c27810"},
		{"client salt", keys.ClientSalt, "18e8f967db6d697b5597cc27"},
		{"server salt", keys.ServerSalt, "7f76f0d63a6ac1aa877d8715"},
	} {
		if hex.EncodeToString(x.got) != x.want {
			t.Errorf("%s %x, want %s", x.name, x.got, x.want)
		}
	}
}
