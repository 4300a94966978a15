package rtcp

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// unhex decodes hex with spaces, newlines and | separators allowed.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	s = strings.NewReplacer(" ", "", "\n", "", "\t", "", "|", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex: %v", err)
	}
	return b
}

type codec interface {
	Marshaler
	Unmarshal([]byte) error
}

// roundTrip unmarshals b into m, then checks that marshalling gives b back.
func roundTrip(t testing.TB, m codec, b []byte) {
	t.Helper()
	if err := m.Unmarshal(b); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	checkMarshal(t, m, b)
}

func checkMarshal(t testing.TB, m Marshaler, want []byte) {
	t.Helper()
	if got := m.MarshalSize(); got != len(want) {
		t.Fatalf("MarshalSize = %d, want %d", got, len(want))
	}
	buf := make([]byte, len(want)+8)
	n, err := m.MarshalTo(buf)
	if err != nil {
		t.Fatalf("MarshalTo: %v", err)
	}
	if !bytes.Equal(buf[:n], want) {
		t.Fatalf("marshal mismatch\n got %x\nwant %x", buf[:n], want)
	}
	if _, err := m.MarshalTo(buf[:len(want)-1]); err == nil {
		t.Fatalf("MarshalTo into a buffer one byte short succeeded")
	}
}
