package stun

import (
	"bufio"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// loadVectors reads testdata/stun-rfc5769.txt: "## title" lines, each
// followed by one message in whitespace-separated hex.
func loadVectors(t testing.TB) map[string][]byte {
	t.Helper()
	f, err := os.Open("testdata/stun-rfc5769.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]byte{}
	var title string
	var acc strings.Builder
	flush := func() {
		if title == "" || acc.Len() == 0 {
			return
		}
		b, err := hex.DecodeString(acc.String())
		if err != nil {
			t.Fatalf("vector %q: %v", title, err)
		}
		out[title] = b
	}
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			flush()
			title, acc = line[3:], strings.Builder{}
			if title == "derived keys" {
				title = ""
			}
		case strings.HasPrefix(line, "#"), title == "":
		default:
			acc.WriteString(strings.Join(strings.Fields(line), ""))
		}
	}
	flush()
	return out
}

// vector returns the message whose title starts with prefix.
func vector(t testing.TB, prefix string) []byte {
	t.Helper()
	for title, b := range loadVectors(t) {
		if strings.HasPrefix(title, prefix) {
			return b
		}
	}
	t.Fatalf("no vector %q in testdata/stun-rfc5769.txt", prefix)
	return nil
}
