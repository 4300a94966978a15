package sdp

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusFiles lists the corpus SDPs directly from disk; corpus_test.go
// also runs them through conformance.ForEachSession.
func corpusFiles(t testing.TB) []string {
	files, err := filepath.Glob("../conformance/testdata/corpus/*/*.sdp")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus SDPs found: %v", err)
	}
	return files
}

func TestParseCorpusRoundTrip(t *testing.T) {
	for _, f := range corpusFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Parse(b)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if got := s.Marshal(); !bytes.Equal(got, b) {
			t.Errorf("%s: round trip differs", f)
		}
		u, p, ok := s.ICECredentials()
		if !ok || u == "" || len(p) < 22 {
			t.Errorf("%s: ICECredentials = %q %q %v", f, u, p, ok)
		}
		if !strings.Contains(string(b), "a=ice-ufrag:"+u+"\r\n") || !strings.Contains(string(b), "a=ice-pwd:"+p+"\r\n") {
			t.Errorf("%s: credentials %q/%q not in the text", f, u, p)
		}
	}
}

func TestICECredentialsSessionLevelFirst(t *testing.T) {
	sdp := "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-ufrag:sess\r\na=ice-pwd:sesspwd\r\n" +
		"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:media\r\na=ice-pwd:mediapwd\r\n"
	s, err := Parse([]byte(sdp))
	if err != nil {
		t.Fatal(err)
	}
	u, p, ok := s.ICECredentials()
	if !ok || u != "sess" || p != "sesspwd" {
		t.Fatalf("got %q %q %v", u, p, ok)
	}
	sdp = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\na=ice-ufrag:sess\n" +
		"m=audio 9 UDP/TLS/RTP/SAVPF 111\na=ice-ufrag:m1\n" +
		"m=video 9 UDP/TLS/RTP/SAVPF 96\na=ice-pwd:p2\na=ice-ufrag:m2\n"
	s, err = Parse([]byte(sdp))
	if err != nil {
		t.Fatal(err)
	}
	u, p, ok = s.ICECredentials()
	if !ok || u != "m2" || p != "p2" {
		t.Fatalf("got %q %q %v", u, p, ok)
	}
	s, _ = Parse([]byte("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n"))
	if _, _, ok := s.ICECredentials(); ok {
		t.Fatal("credentials reported for a description without them")
	}
}
