package sfu

import (
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/sdp"
)

var testParams = answerParams{
	Ufrag: "srvUfragsrvUfrag", Pwd: "srvPasswordsrvPasswordsrvPasswor",
	Fingerprint: "sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CC:87:32:BE:DD:8C:66:A5:8E:50:55:EA:8C:D3:B6:5C:09:5E:D6:BC",
	Setup:       "passive",
	Candidates:  []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:50000")},
}

// sections splits an SDP into its m= sections' lines (index 0: session).
func sections(sdpText string) [][]string {
	out := [][]string{nil}
	for _, l := range strings.Split(strings.TrimSpace(sdpText), "\r\n") {
		if strings.HasPrefix(l, "m=") {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], l)
	}
	return out
}

func has(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

func TestAnswerToPublisher(t *testing.T) {
	e := newRoom("r", slog.New(slog.DiscardHandler))
	o, err := parseOffer([]byte(chromeOffer))
	if err != nil {
		t.Fatal(err)
	}
	_, media, err := e.addPublisher("p", o, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b, err := writeAnswer(o, testParams, media, publishExtensions)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdp.Parse(b); err != nil {
		t.Fatalf("answer does not parse: %v\n%s", err, b)
	}
	s := sections(string(b))
	if !has(s[0], "a=ice-lite") || !has(s[0], "a=group:BUNDLE 0 1 2") {
		t.Fatalf("session part %q", s[0])
	}
	want := []string{"m=audio 50000 UDP/TLS/RTP/SAVPF 111", "m=video 50000 UDP/TLS/RTP/SAVPF 96", "m=application 50000 UDP/DTLS/SCTP webrtc-datachannel"}
	for i, w := range want {
		sec := s[i+1]
		if sec[0] != w {
			t.Errorf("section %d = %q, want %q (one chosen codec, no RTX)", i, sec[0], w)
		}
		// Every accepted section carries the DTLS attributes (Firefox).
		if !has(sec, "a=fingerprint:sha-256 6B:8B") || !has(sec, "a=setup:passive") {
			t.Errorf("section %d lacks fingerprint/setup: %q", i, sec)
		}
	}
	if !has(s[1], "a=recvonly") || !has(s[1], "a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host") {
		t.Errorf("audio section %q", s[1])
	}
	if has(s[2], "a=rtpmap:97") || has(s[2], "transport-cc") || !has(s[2], "a=rtcp-fb:96 nack pli") {
		t.Errorf("video section offers RTX or transport-cc, or lacks PLI: %q", s[2])
	}
}

func TestAnswerToSubscriber(t *testing.T) {
	e, _, _, _ := setupRoom(t)
	o, err := parseOffer([]byte(subscriberOffer()))
	if err != nil {
		t.Fatal(err)
	}
	_, media, err := e.addSubscriber("s2", o, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b, err := writeAnswer(o, testParams, media, subscribeExtensions)
	if err != nil {
		t.Fatal(err)
	}
	s := sections(string(b))
	v := s[2]
	if v[0] != "m=video 50000 UDP/TLS/RTP/SAVPF 98" || !has(v, "a=sendonly") ||
		!has(v, fmt.Sprintf("a=ssrc:%d cname:", media[1].SSRC)) || !has(v, "a=extmap:3 urn:3gpp:video-orientation") {
		t.Fatalf("video section to subscriber: %q", v)
	}
	// Firefox ESR does not start ICE for a recvonly (WHEP) offer unless
	// every accepted bundled section carries a=fingerprint and a=setup:
	// sdp.Answer repeats them (not Config.StrictBundle), once each.
	for i, sec := range s[1:] {
		if strings.Contains(sec[0], " 0 UDP") {
			continue // rejected
		}
		var fp, setup int
		for _, l := range sec {
			if strings.HasPrefix(l, "a=fingerprint:") {
				fp++
			}
			if l == "a=setup:passive" {
				setup++
			}
		}
		if fp != 1 || setup != 1 {
			t.Errorf("section %d has %d a=fingerprint and %d a=setup:passive, want 1 each: %q", i, fp, setup, sec)
		}
	}
}

// Formats match by sdp.Codec.Matches: H264 by profile (RFC 6184 §8.1
// Table 5), so 42e01f and 4de01f (both Constrained Baseline, written with
// different profile_idc) forward to each other, while Baseline 42001f and
// Constrained High do not; Opus channels must agree, an Opus rtpmap
// without channels (GStreamer's opus/48000) being stereo (RFC 7587 §7).
func TestCodecSameFormat(t *testing.T) {
	h := func(plid string) codec {
		return codec{Name: "H264", Clock: 90000, Fmtp: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=" + plid}
	}
	for _, c := range []struct {
		a, b codec
		want bool
	}{
		{h("42e01f"), h("4de01f"), true},
		{h("42e01f"), h("42001f"), false},
		{h("42e01f"), h("42e034"), true}, // the level may differ
		{h("42e01f"), h("640c1f"), false},
		{h("42e01f"), codec{Name: "H264", Clock: 90000, Fmtp: "profile-level-id=42e01f"}, false}, // mode 0
		{codec{Name: "VP8", Clock: 90000}, codec{Name: "vp8", Clock: 90000}, true},
		{codec{Name: "VP9", Clock: 90000, Fmtp: "profile-id=0"}, codec{Name: "VP9", Clock: 90000}, true},
		{codec{Name: "VP9", Clock: 90000, Fmtp: "profile-id=2"}, codec{Name: "VP9", Clock: 90000}, false},
		{codec{Name: "opus", Clock: 48000, Channels: 2}, codec{Name: "OPUS", Clock: 48000, Channels: 2}, true},
		{codec{Name: "opus", Clock: 48000, Channels: 2}, codec{Name: "opus", Clock: 48000}, true},
		{codec{Name: "opus", Clock: 48000}, codec{Name: "opus", Clock: 48000, Channels: 2}, true},
		{codec{Name: "opus", Clock: 48000, Channels: 2}, codec{Name: "opus", Clock: 48000, Channels: 1}, false},
		{codec{Name: "PCMU", Clock: 8000}, codec{Name: "PCMU", Clock: 8000, Channels: 2}, false},
	} {
		if got := c.a.sameFormat(c.b); got != c.want {
			t.Errorf("%+v sameFormat %+v = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
