package conformance

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

func TestParseKeyLog(t *testing.T) {
	cr := strings.Repeat("ab", 32)
	ms := strings.Repeat("cd", 48)
	in := "# comment\n\nCLIENT_HANDSHAKE_TRAFFIC_SECRET " + cr + " " + strings.Repeat("ee", 32) + "\r\n" +
		"CLIENT_RANDOM " + strings.ToUpper(cr) + " " + ms + "\r\n" + "RSA 0011 2233\n"
	kl, err := ParseKeyLog([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if kl.Len() != 1 {
		t.Fatalf("%d entries, want 1", kl.Len())
	}
	var key [32]byte
	hex.Decode(key[:], []byte(cr))
	got, ok := kl.MasterSecret(key)
	want, _ := hex.DecodeString(ms)
	if !ok || !bytes.Equal(got, want) {
		t.Errorf("master secret %x %v", got, ok)
	}
	key[0] ^= 1
	if _, ok := kl.MasterSecret(key); ok {
		t.Error("found a secret for another random")
	}
	for _, bad := range []string{
		"CLIENT_RANDOM " + cr,                                  // missing field
		"CLIENT_RANDOM " + cr[:62] + " " + ms,                  // short random
		"CLIENT_RANDOM " + cr + " " + ms[:94],                  // short secret
		"CLIENT_RANDOM " + strings.Repeat("zz", 32) + " " + ms, // not hex
	} {
		if _, err := ParseKeyLog([]byte("# x\n" + bad + "\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("%q: error %v, want one naming line 2", bad, err)
		}
	}
}
