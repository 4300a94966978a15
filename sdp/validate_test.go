package sdp

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	head := "v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nt=0 0\n"
	tests := []struct {
		in   string
		line int
		rule string
	}{
		{head + "m=audio 9 UDP/TLS/RTP/SAVPF 0\na=mid:a\nm=video 9 UDP/TLS/RTP/SAVPF 96\na=mid:a\n", 8, "repeats an earlier"},
		{head + "m=audio 9 UDP/TLS/RTP/SAVPF 0\na=sendonly\na=recvonly\n", 7, "more than one direction"},
		{head + "a=ice-ufrag:abcd\na=ice-ufrag:efgh\n", 6, "once per section"},
		{head + "a=ice-ufrag:ab\n", 5, "ice-ufrag must be 4-256"},
		{head + "a=ice-pwd:short\n", 5, "ice-pwd must be 22-256"},
		{head + "a=setup:sometimes\n", 5, "a=setup must be"},
		{head + "a=ice-lite:yes\n", 5, "takes no value"},
		{head + "a=sendrecv:x\n", 5, "takes no value"},
		{head + "m=audio 9 UDP/TLS/RTP/SAVPF 0\na=ice-lite\n", 6, "session-level"},
		{head + "m=audio 9 UDP/TLS/RTP/SAVPF 0\na=candidate:1 1 udp 1 1.2.3.4 x typ host\n", 6, "candidate needs"},
		{head + "m=audio 9 UDP/TLS/RTP/SAVPF 0\na=rtcp-fb:x nack\n", 6, "rtcp-fb needs"},
		{head + "m=audio 9 UDP/TLS/RTP/SAVPF 0\na=ssrc-group:FID 1 x\n", 6, "ssrc-id"},
		{head + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\na=sctp-port:x\n", 6, "sctp-port"},
		{head + "a=group:BUNDLE a;b\n", 5, "identification-tag"},
	}
	for _, tc := range tests {
		s, err := Parse([]byte(tc.in))
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		err = s.Validate()
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != tc.line || !strings.Contains(pe.Rule, tc.rule) || !strings.Contains(pe.Rule, "(RFC") {
			t.Errorf("Validate(%q) = %v, want line %d %q with an RFC", tc.in, err, tc.line, tc.rule)
		}
	}
	ok := head + "a=ice-lite\na=group:BUNDLE 0\nm=audio 9 UDP/TLS/RTP/SAVPF 0\na=mid:0\na=sendonly\na=x-unknown:anything at all\n"
	s, err := Parse([]byte(ok))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("valid description refused: %v", err)
	}
	if !s.ICELite() || s.Direction(&s.Media[0]) != SendOnly {
		t.Errorf("ICELite %v direction %s", s.ICELite(), s.Direction(&s.Media[0]))
	}
	if g, ok := s.BundleGroup("0"); !ok || g.First() != "0" {
		t.Errorf("BundleGroup = %+v %v", g, ok)
	}
}

// TestTokenChar compares the token-char table with the ABNF of RFC 8866 §9:
// token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E
func TestTokenChar(t *testing.T) {
	in := func(c, lo, hi int) bool { return c >= lo && c <= hi }
	for c := 0; c < 256; c++ {
		want := c == 0x21 || in(c, 0x23, 0x27) || in(c, 0x2a, 0x2b) || in(c, 0x2d, 0x2e) ||
			in(c, 0x30, 0x39) || in(c, 0x41, 0x5a) || in(c, 0x5e, 0x7e)
		if tokenChar[c] != want || isToken(string([]byte{byte(c)})) != want {
			t.Errorf("byte %#x: token %v, want %v", c, tokenChar[c], want)
		}
	}
}
