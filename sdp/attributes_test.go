package sdp

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseLineEndings(t *testing.T) {
	crlf := "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
	for name, in := range map[string]string{
		"CRLF":             crlf,
		"LF":               strings.ReplaceAll(crlf, "\r\n", "\n"),
		"mixed":            strings.Replace(crlf, "\r\n", "\n", 3),
		"no final newline": strings.TrimSuffix(crlf, "\r\n"),
	} {
		s, err := Parse([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := string(s.Marshal()); got != crlf {
			t.Errorf("%s: marshal %q, want %q", name, got, crlf)
		}
		if len(s.Media) != 1 || len(s.Media[0].Lines) != 2 || len(s.SessionLines()) != 4 {
			t.Errorf("%s: sections %d media, %d lines", name, len(s.Media), len(s.Lines))
		}
	}
}

func TestParseErrors(t *testing.T) {
	head := "v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nt=0 0\n"
	tests := []struct {
		in   string
		line int
		rule string
	}{
		{"", 1, "empty session description"},
		{"o=- 1 2 IN IP4 0.0.0.0\n", 1, "first line must be v="},
		{"v=1\n", 1, "v= must be 0"},
		{"v=0\ns=-\n", 2, "second line must be o="},
		{"v=0\no=- 1 2 IN IP4\n", 2, "6 space-separated fields"},
		{"v=0\no=- x 2 IN IP4 0.0.0.0\n", 2, "digits"},
		{"v=0\no=- 1 2 IN IP4 0.0.0.0\nt=0 0\n", 3, "third line must be s="},
		{"v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\n", 3, "missing t= line"},
		{head + "t=0\n", 5, "t= needs"},
		{head + "x=1\n", 5, "unknown type letter x"},
		{head + "m=audio 9 RTP/AVP 0\ns=again\n", 6, "not allowed at media level"},
		{head + "m=audio 9 RTP/AVP\n", 5, "m= needs"},
		{head + "m=audio 99999 RTP/AVP 0\n", 5, "0-65535"},
		{head + "m=audio 9 RTP/AVP 0  8\n", 5, "single spaces"},
		{head + "m=audio 9 RTP//AVP 0\n", 5, "proto must be token"},
		{head + "m=audio 9 RTP/AVP 0 (8)\n", 5, "formats must be tokens"},
		{head + "a=\n", 5, "non-empty token"},
		{head + "\n", 5, "empty line"},
		{head + "a=x\ry\n", 5, "bare CR"},
		{head + "a=x\x00\n", 5, "NUL"},
		{head + "m=audio 9 RTP/AVP 0\nb=AS\n", 6, "b= needs"},
		{head + "m=audio 9 RTP/AVP 0\nc=IN IP4\n", 6, "c= needs"},
		{head + "b=AS:1\n", 5, "b= after t= breaks the line order"},
		{head + "m=audio 9 RTP/AVP 0\nc=IN IP4 0.0.0.0\ni=late\n", 7, "breaks the line order"},
		// RFC 8866 §9: z= only inside a time description, after its r= lines.
		{head + "z=0 0\nr=1 1 0\n", 5, "z= must follow the r= lines"},
		{head + "r=1 1 0\nz=0 0\nz=1 0\n", 7, "repeated z= line"},
		{head + "r=1 1 0\nz=0 0\nr=1 1 0\n", 7, "r= must follow a t="},
		{head + "k=clear:x\nz=0 0\n", 6, "z= after k= breaks the line order"},
		{"v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nz=0 0\n", 4, "z= must follow the r= lines"},
		// RFC 8866 §9 fields of r=, z= and k=.
		{head + "r=1 1\n", 5, "r= needs"},
		{head + "r=1 1w 0\n", 5, "r= needs"},
		{head + "r=1  1 0\n", 5, "r= needs"},
		{head + "r=1 1 0\nz=1\n", 6, "z= needs"},
		{head + "r=1 1 0\nz=1 -x\n", 6, "z= needs"},
		{head + "r=1 1 0\nz=1 2 3\n", 6, "z= needs"},
		{head + "r=1 1 0\nz=1 2 \n", 6, "z= needs"},
		{head + "k=secret\n", 5, "k= must be"},
		{head + "k=clear:\n", 5, "k= must be"},
		{"v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nr=1 1 0\n", 4, "r= must follow a t="},
		{"v=0\r\nv=0\r\n", 2, "second line must be o="},
		// As many CRs as LFs, but one is inside a line: the CRLF fast path
		// must still find it, and before a later error.
		{strings.ReplaceAll(head, "\n", "\r\n") + "a=x\ry\n", 5, "bare CR"},
		{strings.ReplaceAll(head, "\n", "\r\n") + "a=x\ry\r\nm=bad\r\na=z\n", 5, "bare CR"},
	}
	for _, tc := range tests {
		_, err := Parse([]byte(tc.in))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != tc.line || !strings.Contains(pe.Rule, tc.rule) || !strings.Contains(pe.Rule, "RFC 8866") {
			t.Errorf("Parse(%q) = %v, want line %d %q citing RFC 8866", tc.in, err, tc.line, tc.rule)
		}
	}
}

func TestParseCandidate(t *testing.T) {
	c, err := ParseCandidate("1681724976 1 udp 2122134271 fd00::2 43728 typ host generation 0 network-id 2")
	if err != nil {
		t.Fatal(err)
	}
	want := Candidate{Foundation: "1681724976", Component: 1, Transport: "udp", Priority: 2122134271, Address: "fd00::2",
		Port: 43728, Type: "host", Extensions: "generation 0 network-id 2"}
	if c != want {
		t.Errorf("got %+v", c)
	}
	c, err = ParseCandidate("4 1 TCP 1688207359 192.0.2.3 9 typ srflx raddr 10.0.1.1 rport 9 tcptype active")
	if err != nil || c.RelAddr != "10.0.1.1" || c.RelPort != 9 || c.TCPType != "active" || c.Type != "srflx" {
		t.Errorf("got %+v, %v", c, err)
	}
	if got := c.String(); got != "4 1 TCP 1688207359 192.0.2.3 9 typ srflx raddr 10.0.1.1 rport 9 tcptype active" {
		t.Errorf("String() = %q", got)
	}
	built := Candidate{Foundation: "1", Component: 1, Transport: "udp", Priority: 7, Address: "192.0.2.1", Port: 5, Type: "host"}
	if got := built.String(); got != "1 1 udp 7 192.0.2.1 5 typ host" {
		t.Errorf("String() = %q", got)
	}
	for _, bad := range []string{"", "1 1 udp 1 1.2.3.4 5 host x", "1 0 udp 1 1.2.3.4 5 typ host", "1 1 udp 99999999999 1.2.3.4 5 typ host",
		"1 1 udp 1 1.2.3.4 70000 typ host", "1 1 udp 1 1.2.3.4 5 typ host raddr", "1 1 udp 1 1.2.3.4 5 typ"} {
		if _, err := ParseCandidate(bad); err == nil {
			t.Errorf("ParseCandidate(%q) accepted", bad)
		}
	}
}

func TestParseFingerprint(t *testing.T) {
	good := "sha-256 8A:08:38:43:0D:8F:AC:4C:C5:BF:50:CB:27:35:31:AC:67:20:25:32:44:40:C2:20:AF:A9:80:34:1E:DC:E5:CC"
	f, err := ParseFingerprint(good)
	if err != nil || f.Hash != "sha-256" || f.String() != good {
		t.Fatalf("got %+v %v", f, err)
	}
	for _, bad := range []string{
		"sha-256 8A:08", // 2 bytes for a 32-byte hash
		"sha-1 DF:FA:FB:08:3B:3C:54:1D:D7:D4:05:77:A0:72:9B:14:08:6D:0F:4C:2E:AC:8A:FD:0A:8E:99:BF:5D:E8:3C:E7", // webrtc-sdp 08.sdp
		"sha-256 8A-08", "sha-256", "sha-256 8A:0G",
	} {
		if _, err := ParseFingerprint(bad); err == nil {
			t.Errorf("ParseFingerprint(%q) accepted", bad)
		}
	}
}

func TestSimulcastAndRID(t *testing.T) {
	s, err := ParseSimulcast("send q;h;~f recv a,b")
	if err != nil || s.Send != "q;h;~f" || s.Recv != "a,b" {
		t.Fatalf("got %+v %v", s, err)
	}
	if got := slices.Collect(SimulcastRIDs(s.Send)); !slices.Equal(got, []string{"q", "h", "f"}) {
		t.Errorf("rids %v", got)
	}
	for _, bad := range []string{"send", "send q recv", "both q", "send q send h", "send q;h x", "send q!"} {
		if _, err := ParseSimulcast(bad); err == nil {
			t.Errorf("ParseSimulcast(%q) accepted", bad)
		}
	}
	r, err := ParseRID("q send pt=96;max-width=1280")
	if err != nil || r.ID != "q" || r.Direction != "send" || r.Params != "pt=96;max-width=1280" {
		t.Errorf("got %+v %v", r, err)
	}
	if _, err := ParseRID("q sideways"); err == nil {
		t.Error("rid direction sideways accepted")
	}
}

func TestExtMapRTPMapFMTP(t *testing.T) {
	e, err := ParseExtMap("2/sendonly urn:x attr")
	if err != nil || e.ID != 2 || e.Direction != "sendonly" || e.URI != "urn:x" || e.Attributes != "attr" || e.String() != "2/sendonly urn:x attr" {
		t.Errorf("got %+v %v", e, err)
	}
	for _, bad := range []string{"0 urn:x", "15 urn:x", "256 urn:x", "1/up urn:x", "1"} {
		if _, err := ParseExtMap(bad); err == nil {
			t.Errorf("ParseExtMap(%q) accepted", bad)
		}
	}
	r, err := ParseRTPMap("111 opus/48000/2")
	if err != nil || r.PayloadType != 111 || r.Encoding != "opus" || r.ClockRate != 48000 || r.Params != "2" || r.String() != "111 opus/48000/2" {
		t.Errorf("got %+v %v", r, err)
	}
	for _, bad := range []string{"96 AppleLossless", "128 x/1", "96 x/0", "x y/1"} {
		if _, err := ParseRTPMap(bad); err == nil {
			t.Errorf("ParseRTPMap(%q) accepted", bad)
		}
	}
	f := FMTP{Format: "102", Params: "level-asymmetry-allowed=1; packetization-mode=1;PROFILE-LEVEL-ID=42e01f"}
	if v, ok := f.Param("profile-level-id"); !ok || v != "42e01f" {
		t.Errorf("Param = %q %v", v, ok)
	}
	if _, ok := f.Param("apt"); ok {
		t.Error("absent parameter found")
	}
}

func TestCodecMatches(t *testing.T) {
	codecs := DefaultCodecs()
	h264, vp9, opus := &codecs[3], &codecs[2], &codecs[0]
	rH264 := RTPMap{Encoding: "H264", ClockRate: 90000}
	withPLID := func(plid string) Codec {
		c := *h264
		c.FMTP = "packetization-mode=1;profile-level-id=" + plid
		return c
	}
	chp, high, baseline := withPLID("640c1f"), withPLID("64001f"), withPLID("42001f")
	tests := []struct {
		c    *Codec
		r    RTPMap
		fmtp string
		want bool
	}{
		{h264, rH264, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", true},
		{h264, rH264, "packetization-mode=1;profile-level-id=42e034", true},  // other level, same profile
		{h264, rH264, "packetization-mode=1;profile-level-id=42c01f", true},  // constrained baseline too
		{h264, rH264, "packetization-mode=1;profile-level-id=4d801f", true},  // Main + constraint_set0 = CB (RFC 6184 Table 5)
		{h264, rH264, "packetization-mode=1;profile-level-id=4d401f", false}, // Main
		{h264, rH264, "packetization-mode=0;profile-level-id=42e01f", false}, // other packetization mode
		{h264, rH264, "packetization-mode=1;profile-level-id=42001f", false}, // Baseline, not constrained
		{h264, rH264, "packetization-mode=1;profile-level-id=64001f", false}, // High
		{h264, rH264, "packetization-mode=1", false},                         // default 42000a: Baseline
		{h264, rH264, "packetization-mode=1;profile-level-id=58c01f", true},  // Extended + set0 + set1 = CB
		{&chp, rH264, "packetization-mode=1;profile-level-id=640c34", true},  // Constrained High, other level
		{&chp, rH264, "packetization-mode=1;profile-level-id=64001f", false}, // High is not Constrained High
		{&high, rH264, "packetization-mode=1;profile-level-id=640c1f", false},
		{&baseline, rH264, "packetization-mode=1;profile-level-id=58801f", true},  // Extended + set0 = Baseline
		{&baseline, rH264, "packetization-mode=1;profile-level-id=58001f", false}, // Extended
		{vp9, RTPMap{Encoding: "VP9", ClockRate: 90000}, "profile-id=0", true},
		{vp9, RTPMap{Encoding: "VP9", ClockRate: 90000}, "", true},
		{vp9, RTPMap{Encoding: "VP9", ClockRate: 90000}, "profile-id=2", false},
		{opus, RTPMap{Encoding: "OPUS", ClockRate: 48000, Params: "2"}, "", true},
		{opus, RTPMap{Encoding: "opus", ClockRate: 48000}, "", true}, // GStreamer: stereo Opus all the same (RFC 7587 §7)
		{opus, RTPMap{Encoding: "opus", ClockRate: 48000, Params: "1"}, "", false},
		{opus, RTPMap{Encoding: "opus", ClockRate: 16000, Params: "2"}, "", false},
	}
	for _, tc := range tests {
		if got := tc.c.Matches(tc.r, FMTP{Params: tc.fmtp}); got != tc.want {
			t.Errorf("%s vs %v %q: %v, want %v", tc.c.Name, tc.r, tc.fmtp, got, tc.want)
		}
	}
}

// RFC 8866 §9: each time description may end in its own z= after its r=
// lines (time-description = t [1*r [z]]), then k= and a= follow; RFC 4566's
// single z= after all t= lines is no longer the grammar.
func TestParseTimeDescriptionsWithZones(t *testing.T) {
	in := "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\n" +
		"t=3034423619 3042462419\r\nr=604800 3600 0 90000\r\nz=2882844526 -1h\r\n" +
		"t=3042462419 0\r\nr=7d 1h 0 25h\r\nz=2898848070 0\r\n" +
		"k=prompt\r\na=recvonly\r\nm=audio 9 RTP/AVP 0\r\nk=prompt\r\na=mid:0\r\n"
	s, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(s.Marshal()); got != in {
		t.Errorf("round trip %q, want %q", got, in)
	}
}

// RFC 8839 §5.1 field grammar: foundation 1*32ice-char, component-id
// 1*3DIGIT, priority 1*10DIGIT, ports 1*5DIGIT (no sign), tokens.
func TestParseCandidateFieldGrammar(t *testing.T) {
	for _, tc := range []struct{ in, rule string }{
		{"fo.o 1 udp 1 192.0.2.1 5 typ host", "foundation"},
		{strings.Repeat("a", 33) + " 1 udp 1 192.0.2.1 5 typ host", "foundation"},
		{"1 +1 udp 1 192.0.2.1 5 typ host", "component-id"},
		{"1 0001 udp 1 192.0.2.1 5 typ host", "component-id"},
		{"1 1 udp 00000000001 192.0.2.1 5 typ host", "priority"},
		{"1 1 udp +1 192.0.2.1 5 typ host", "priority"},
		{"1 1 u(p 1 192.0.2.1 5 typ host", "tokens"},
		{"1 1 udp 1 192.0.2.1 +5 typ host", "RFC 8839 §5.1"},
		{"1 1 udp 1 192.0.2.1 5 typ host raddr 0.0.0.0 rport +9", "rport"},
	} {
		if _, err := ParseCandidate(tc.in); err == nil || !strings.Contains(err.Error(), tc.rule) {
			t.Errorf("ParseCandidate(%q) = %v, want an error naming %q", tc.in, err, tc.rule)
		}
	}
	c, err := ParseCandidate(strings.Repeat("a/+9", 8) + " 256 udp 4294967295 192.0.2.1 65535 typ host")
	if err != nil || c.Component != 256 || c.Priority != 4294967295 || c.Port != 65535 {
		t.Errorf("longest valid fields: %+v, %v", c, err)
	}
}

func TestValidateICEOptions(t *testing.T) {
	head := "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
	for in, bad := range map[string]bool{
		"a=ice-options:trickle\r\n":       false,
		"a=ice-options:trickle ice2\r\n":  false,
		"a=ice-options:\r\n":              true,
		"a=ice-options\r\n":               true,
		"a=ice-options:trickle  ice2\r\n": true,
		"a=ice-options:tri,ckle\r\n":      true,
		// Validate stays strict; servers that must tolerate these use
		// ValidateExcept("ice-options") and ICEOptionTags.
	} {
		s, err := Parse([]byte(head + in))
		if err != nil {
			t.Fatal(err)
		}
		err = s.Validate()
		var pe *ParseError
		if bad != (err != nil) || bad && (!errors.As(err, &pe) || pe.Line != 5 || !strings.Contains(pe.Rule, "RFC 8839 §5.6")) {
			t.Errorf("%q: Validate() = %v, want error %v at line 5 citing RFC 8839 §5.6", in, err, bad)
		}
	}
}

// RFC 8851 §10: rid-id SP rid-dir [SP (rid-pt-param-list / rid-param-list)].
func TestParseRIDRestrictions(t *testing.T) {
	for _, ok := range []string{
		"h send", "h recv pt=96", "h send pt=96,97;max-width=1280;max-height=720",
		"h send max-fps=30;max-bpp=1.5;depend=l", "q recv max-br=100000;foo",
	} {
		r, err := ParseRID(ok)
		if err != nil {
			t.Errorf("ParseRID(%q): %v", ok, err)
		}
		if _, p, _ := strings.Cut(ok, " pt="); r.PayloadTypes() != strings.Split(p, ";")[0] {
			t.Errorf("ParseRID(%q).PayloadTypes() = %q", ok, r.PayloadTypes())
		}
	}
	for _, bad := range []string{
		"h send ", "h send pt=", "h send pt=96,", "h send max-width=1280;pt=96",
		"h send max-width=wide", "h send ;max-width=1", "h send max_width=1", "h send max-width=1;;",
	} {
		if _, err := ParseRID(bad); err == nil || !strings.Contains(err.Error(), "RFC 8851 §10") {
			t.Errorf("ParseRID(%q) = %v, want an error citing RFC 8851 §10", bad, err)
		}
	}
}

// RFC 8830 §2 msid-value and RFC 5576 §4.1 ssrc-attr grammar in Validate.
func TestValidateMSIDAndSSRC(t *testing.T) {
	head := "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
	for in, bad := range map[string]bool{
		"a=msid:s t\r\n":   false,
		"a=msid:- t\r\n":   false,
		"a=msid:s\r\n":     false,
		"a=msid:\r\n":      true,
		"a=msid:s \r\n":    true,
		"a=msid:s t u\r\n": true,
		"a=msid:" + strings.Repeat("s", 65) + "\r\n": true,
		"a=ssrc:1 cname:x\r\n":                       false,
		"a=ssrc:1\r\n":                               true,
		"a=ssrc:1 :x\r\n":                            true,
	} {
		s, err := Parse([]byte(head + in))
		if err != nil {
			t.Fatal(err)
		}
		err = s.Validate()
		var pe *ParseError
		if bad != (err != nil) || bad && (!errors.As(err, &pe) || pe.Line != 6) {
			t.Errorf("%q: Validate() = %v, want error %v at line 6", in, err, bad)
		}
	}
}
