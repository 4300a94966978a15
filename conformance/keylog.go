package conformance

import (
	"bytes"
	"encoding/hex"
	"fmt"
)

// KeyLog holds the TLS 1.2 master secrets of an NSS key log file
// (SSLKEYLOGFILE format: "CLIENT_RANDOM <client_random hex> <master_secret hex>"),
// keyed by client random.
type KeyLog struct {
	secrets map[[32]byte][]byte
}

// ParseKeyLog parses an NSS key log. Comment lines (#), blank lines and
// labels other than CLIENT_RANDOM (TLS 1.3 traffic secrets, RSA, ...) are
// ignored; a malformed CLIENT_RANDOM line is an error naming its line.
func ParseKeyLog(b []byte) (*KeyLog, error) {
	kl := &KeyLog{secrets: make(map[[32]byte][]byte)}
	for i, line := range bytes.Split(b, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		f := bytes.Fields(line)
		if string(f[0]) != "CLIENT_RANDOM" {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("conformance: key log line %d: CLIENT_RANDOM has %d fields, want 3", i+1, len(f))
		}
		// Lengths first: hex.Decode writes DecodedLen(src) bytes into cr.
		var cr [32]byte
		if len(f[1]) != 64 {
			return nil, fmt.Errorf("conformance: key log line %d: client random %q is not 32 bytes of hex", i+1, f[1])
		}
		if n, err := hex.Decode(cr[:], f[1]); err != nil || n != 32 {
			return nil, fmt.Errorf("conformance: key log line %d: client random %q is not 32 bytes of hex", i+1, f[1])
		}
		ms := make([]byte, hex.DecodedLen(len(f[2])))
		if _, err := hex.Decode(ms, f[2]); err != nil || len(ms) != 48 || len(f[2]) != 96 {
			return nil, fmt.Errorf("conformance: key log line %d: master secret is not 48 bytes of hex (RFC 5246 §8.1)", i+1)
		}
		kl.secrets[cr] = ms
	}
	return kl, nil
}

// MasterSecret returns the master secret logged for a client random.
func (kl *KeyLog) MasterSecret(clientRandom [32]byte) ([]byte, bool) {
	if kl == nil {
		return nil, false
	}
	ms, ok := kl.secrets[clientRandom]
	return ms, ok
}

// Len is the number of CLIENT_RANDOM entries.
func (kl *KeyLog) Len() int {
	if kl == nil {
		return 0
	}
	return len(kl.secrets)
}
