package sdp

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: Parse never panics; what it accepts marshals to CRLF text
// that parses again to the same bytes, and the accessors and Validate
// never panic on it.
func FuzzParse(f *testing.F) {
	for _, pat := range []string{"../conformance/testdata/corpus/*/*.sdp", "testdata/fixtures/*/*.sdp"} {
		files, _ := filepath.Glob(pat)
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("v=0\no=- 0 0 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 0 RTP/AVP 0\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse(b)
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		out := s.Marshal()
		s2, err := Parse(out)
		if err != nil {
			t.Fatalf("marshalled output does not parse: %v\n%q", err, out)
		}
		if !bytes.Equal(s2.Marshal(), out) {
			t.Fatalf("second round trip differs")
		}
		_ = s.Validate()
		s.ICECredentials()
		s.Groups()(func(Group) bool { return true })
		for i := range s.Media {
			m := &s.Media[i]
			m.MediaLine()
			for range m.Candidates() {
			}
			for range s.Fingerprints(m) {
			}
			for range m.RTPMaps() {
			}
			for range s.ExtMaps(m) {
			}
			for range m.RIDs() {
			}
			for range m.SSRCs() {
			}
			m.Simulcast()
			m.SCTPPort()
			s.Direction(m)
		}
		cfg := &Config{ICEUfrag: "abcd", ICEPwd: "abcdefghijklmnopqrstuv",
			Fingerprints: []Fingerprint{{Hash: "sha-1", Value: "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33"}}, DataChannel: true}
		if a, err := Answer(s, cfg); err == nil {
			if _, err := Parse(a.Marshal()); err != nil {
				t.Fatalf("answer does not parse: %v", err)
			}
			ch := OfferChanges{Add: []NewTrack{{Kind: "video"}}}
			if mid, ok := a.Media[0].MID(); ok {
				ch.Stop = []string{mid}
			}
			if o, err := Offer(a, s, cfg, ch); err == nil {
				if _, err := Parse(o.Marshal()); err != nil {
					t.Fatalf("offer does not parse: %v", err)
				}
			}
		}
		_, _ = Offer(s, s, cfg, OfferChanges{Add: []NewTrack{{Kind: "audio"}}})
	})
}
