package conformance

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// FuzzParseKeyLog: ParseKeyLog never panics; what it accepts holds only
// 48-byte master secrets, and every accepted CLIENT_RANDOM line's secret is
// found again under its client random. Crashers are kept in
// testdata/fuzz/FuzzParseKeyLog.
func FuzzParseKeyLog(f *testing.F) {
	cr, ms := strings.Repeat("ab", 32), strings.Repeat("cd", 48)
	for _, s := range []string{
		"CLIENT_RANDOM " + cr + " " + ms + "\n",
		"# comment\r\n\r\nCLIENT_RANDOM " + strings.ToUpper(cr) + " " + ms + "\r\nRSA 00 11\n",
		"CLIENT_HANDSHAKE_TRAFFIC_SECRET " + cr + " " + strings.Repeat("ee", 32),
		"CLIENT_RANDOM " + cr,
		"CLIENT_RANDOM " + cr + "00 " + ms,
		"CLIENT_RANDOM " + cr + " " + ms + "00",
		"",
	} {
		f.Add([]byte(s))
	}
	dirs, _ := Sessions()
	for _, d := range dirs {
		if f2, err := ReadFiles(d); err == nil {
			f.Add(f2.KeyLog)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		kl, err := ParseKeyLog(b)
		if err != nil {
			if !strings.Contains(err.Error(), "key log line") {
				t.Errorf("error %q does not name its line", err)
			}
			return
		}
		for cr, secret := range kl.secrets {
			if len(secret) != 48 {
				t.Errorf("accepted a %d-byte master secret", len(secret))
			}
			if !bytes.Contains(bytes.ToLower(b), []byte(hex.EncodeToString(cr[:]))) {
				t.Errorf("client random %x not in the input", cr)
			}
		}
	})
}
