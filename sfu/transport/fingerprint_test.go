package transport

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestFingerprintMismatchRefused(t *testing.T) {
	other, err := GenerateCertificate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// "refuser" expects other's fingerprint but the peer presents its own.
	for _, refuserRole := range []Role{RoleServer, RoleClient} {
		t.Run("refuser-"+refuserRole.String(), func(t *testing.T) {
			refuser := newEndpoint(t, "rrrr", "r-password-0123456789")
			peer := newEndpoint(t, "pppp", "p-password-0123456789")
			connectICE(t, refuser, peer)
			rr, rp := handshake(t, refuser, peer, refuserRole,
				[]Fingerprint{other.Fingerprint()},
				[]Fingerprint{refuser.mux.Certificate().Fingerprint()})
			if !errors.Is(rr.err, ErrFingerprintMismatch) {
				t.Fatalf("refuser error = %v, want ErrFingerprintMismatch", rr.err)
			}
			if rp.err == nil {
				t.Error("the peer with the wrong certificate completed its handshake")
			}
			if got := refuser.mux.Counters.Drops(DropFingerprint); got != 1 {
				t.Errorf("fingerprint drops = %d, want 1", got)
			}
			logs := refuser.log.String()
			if !strings.Contains(logs, "DTLS handshake refused") || !strings.Contains(logs, "fingerprint-mismatch") {
				t.Errorf("no log line with the reason:\n%s", logs)
			}
		})
	}
}

func TestFingerprintMostPreferredHash(t *testing.T) {
	c, err := GenerateCertificate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	der := c.TLS().Certificate[0]
	fp := c.Fingerprint()
	parsed, err := ParseFingerprint(fp.String())
	if err != nil || !bytes.Equal(parsed.Value, fp.Value) || parsed.Hash != HashSHA256 {
		t.Fatalf("round trip %q: %v %v", fp.String(), parsed, err)
	}
	wrong := Fingerprint{Hash: HashSHA256, Value: bytes.Repeat([]byte{0xab}, 32)}
	if err := VerifyFingerprint(der, []Fingerprint{wrong}); !errors.Is(err, ErrFingerprintMismatch) {
		t.Fatalf("wrong fingerprint accepted: %v", err)
	}
	// sha-512 listed after a wrong sha-256: matches.
	h := newHash(HashSHA512)
	h.Write(der)
	good512 := Fingerprint{Hash: "SHA-512", Value: h.Sum(nil)}
	if err := VerifyFingerprint(der, []Fingerprint{wrong, good512}); err != nil {
		t.Fatal(err)
	}
	// RFC 8122 §5: only the set of the most preferred hash counts; a
	// matching sha-1 beside a non-matching sha-256 is not enough.
	h1 := newHash(HashSHA1)
	h1.Write(der)
	good1 := Fingerprint{Hash: HashSHA1, Value: h1.Sum(nil)}
	if err := VerifyFingerprint(der, []Fingerprint{wrong, good1}); !errors.Is(err, ErrFingerprintMismatch) {
		t.Fatalf("weaker sha-1 match accepted beside a wrong sha-256: %v", err)
	}
	if err := VerifyFingerprint(der, []Fingerprint{good1}); err != nil {
		t.Fatalf("sha-1 alone: %v", err)
	}
	if err := VerifyFingerprint(der, []Fingerprint{{Hash: "md5", Value: make([]byte, 16)}}); !errors.Is(err, ErrFingerprintMismatch) {
		t.Fatalf("only an unsupported hash: %v", err)
	}
	if err := VerifyFingerprint(der, nil); !errors.Is(err, ErrFingerprintMismatch) {
		t.Fatal("empty fingerprint list accepted")
	}
	for _, bad := range []string{"sha-256", "md5 AA:BB", "sha-256 AA:BB", "sha-256 " + strings.Repeat("ZZ:", 31) + "ZZ", "sha-256 A:BB"} {
		if _, err := ParseFingerprint(bad); err == nil || !strings.Contains(err.Error(), "RFC 8122") {
			t.Errorf("ParseFingerprint(%q) = %v", bad, err)
		}
	}
}
