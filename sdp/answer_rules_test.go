package sdp_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/sdp"
)

// ruleOffer is a hand-written offer for the answer rules the corpus does
// not exercise: extmap directions and media-level extmap-allow-mixed
// (RFC 8285 §6, §7), wildcard rtcp-fb (RFC 4585 §4.2), an already rejected
// section and a bundle-only one (RFC 9143 §6, §7.3.1).
const ruleOffer = "v=0\r\n" +
	"o=- 1 2 IN IP4 127.0.0.1\r\n" +
	"s=-\r\n" +
	"t=0 0\r\n" +
	"a=group:BUNDLE a v\r\n" +
	"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" +
	"c=IN IP4 0.0.0.0\r\n" +
	"a=ice-ufrag:offU\r\n" +
	"a=ice-pwd:offerPasswordOffer12345\r\n" +
	"a=fingerprint:sha-256 E9:05:A9:4E:7B:68:9F:E4:59:9C:33:AC:DE:10:71:A3:B2:14:2F:E0:B2:B1:A2:5E:52:98:0C:11:82:47:72:D5\r\n" +
	"a=setup:actpass\r\n" +
	"a=mid:a\r\n" +
	"a=extmap-allow-mixed\r\n" +
	"a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n" +
	"a=extmap:3/sendonly http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n" +
	"a=extmap:4/recvonly urn:ietf:params:rtp-hdrext:sdes:mid\r\n" +
	"a=sendrecv\r\n" +
	"a=rtcp-mux\r\n" +
	"a=rtpmap:111 opus/48000/2\r\n" +
	"a=rtcp-fb:111 transport-cc\r\n" +
	"a=rtcp-fb:* transport-cc\r\n" +
	"m=video 0 UDP/TLS/RTP/SAVPF 96\r\n" +
	"c=IN IP4 0.0.0.0\r\n" +
	"a=mid:gone\r\n" +
	"a=inactive\r\n" +
	"a=rtcp-mux\r\n" +
	"a=rtpmap:96 VP8/90000\r\n" +
	"m=video 0 UDP/TLS/RTP/SAVPF 96 97\r\n" +
	"c=IN IP4 0.0.0.0\r\n" +
	"a=bundle-only\r\n" +
	"a=mid:v\r\n" +
	"a=sendonly\r\n" +
	"a=rtcp-mux\r\n" +
	"a=rtpmap:96 VP8/90000\r\n" +
	"a=rtcp-fb:* nack\r\n" +
	"a=rtcp-fb:96 nack\r\n" +
	"a=rtcp-fb:* ccm fir\r\n" +
	"a=rtpmap:97 rtx/90000\r\n" +
	"a=fmtp:97 apt=96\r\n"

func TestAnswerRules(t *testing.T) {
	offer, err := sdp.Parse([]byte(ruleOffer))
	if err != nil {
		t.Fatal(err)
	}
	if err := offer.Validate(); err != nil {
		t.Fatal(err)
	}
	ans := answerAndCheck(t, offer, testConfig())
	if len(ans.Media) != 3 {
		t.Fatalf("%d m= sections, want 3", len(ans.Media))
	}
	audio, gone, video := &ans.Media[0], &ans.Media[1], &ans.Media[2]

	// RFC 8285 §7: directions answered in reverse; RFC 8285 §6: allow-mixed
	// offered at media level is answered there.
	if got, want := attrValues(audio, "extmap"), []string{
		"1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
		"3/recvonly http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
		"4/sendonly urn:ietf:params:rtp-hdrext:sdes:mid",
	}; !slices.Equal(got, want) {
		t.Errorf("audio extmaps %q, want %q", got, want)
	}
	if !audio.HasAttribute("extmap-allow-mixed") || ans.HasAttribute("extmap-allow-mixed") {
		t.Error("media-level a=extmap-allow-mixed not answered at media level")
	}
	// RFC 4585 §4.2: "*" applies to every format; each feedback once.
	if got, want := attrValues(audio, "rtcp-fb"), []string{"111 transport-cc"}; !slices.Equal(got, want) {
		t.Errorf("audio rtcp-fb %q, want %q", got, want)
	}
	if got, want := attrValues(video, "rtcp-fb"), []string{"96 nack", "96 ccm fir"}; !slices.Equal(got, want) {
		t.Errorf("video rtcp-fb %q, want %q", got, want)
	}
	// An offered port-0 section stays rejected and out of BUNDLE; the
	// bundle-only one is accepted, bundled, without bundle-only (RFC 9143
	// §7.3.1), and answers sendonly with recvonly (RFC 3264 §6.1).
	if gone.MediaLine().Port != 0 {
		t.Error("section rejected in the offer was accepted")
	}
	g, _ := ans.BundleGroup("")
	if got := strings.Join(slices.Collect(g.Each()), " "); got != "a v" {
		t.Errorf("BUNDLE %q, want \"a v\"", got)
	}
	if video.MediaLine().Port == 0 || video.BundleOnly() || ans.Direction(video) != sdp.RecvOnly {
		t.Errorf("bundle-only video: port %d, bundle-only %v, direction %s", video.MediaLine().Port, video.BundleOnly(), ans.Direction(video))
	}
	if got := video.MediaLine().Formats; got != "96 97" {
		t.Errorf("video formats %q, want \"96 97\" (RTX with apt of an accepted format)", got)
	}
}

// Audio only, no BUNDLE group: the one section is accepted and tagged.
func TestAnswerAudioOnly(t *testing.T) {
	in := strings.Replace(ruleOffer, "a=group:BUNDLE a v\r\n", "", 1)
	in = in[:strings.Index(in, "m=video")]
	offer, err := sdp.Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.DataChannel = false
	ans := answerAndCheck(t, offer, cfg)
	if len(ans.Media) != 1 || ans.Media[0].MediaLine().Port == 0 || !ans.Media[0].HasAttribute("candidate") {
		t.Errorf("audio-only answer:\n%s", ans)
	}
}

// RFC 8851 §6.2.2: a send rid whose pt= restriction names no format the
// answer accepts is not answered, nor listed in a=simulcast (RFC 8853
// §5.3); alternatives and pause markers of the rest are kept.
func TestAnswerSimulcastRIDRestrictions(t *testing.T) {
	in := ruleOffer +
		"a=extmap:5 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n" +
		"a=rid:h send pt=96;max-width=1280;max-height=720\r\n" +
		"a=rid:l send pt=100\r\n" +
		"a=rid:m send\r\n" +
		"a=simulcast:send h,l;~m\r\n"
	offer, err := sdp.Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if err := offer.Validate(); err != nil {
		t.Fatal(err)
	}
	ans := answerAndCheck(t, offer, testConfig())
	video := &ans.Media[2]
	if got, want := attrValues(video, "rid"), []string{"h recv", "m recv"}; !slices.Equal(got, want) {
		t.Errorf("rids %q, want %q", got, want)
	}
	if got, want := attrValues(video, "simulcast"), []string{"recv h;~m"}; !slices.Equal(got, want) {
		t.Errorf("simulcast %q, want %q", got, want)
	}
}

// RFC 8830 §2: msid-appdata is optional; a track without a track id is
// written "a=msid:<stream>", never with a trailing space, and a track
// without a stream id gets "-".
func TestAnswerMSIDWithoutTrackID(t *testing.T) {
	offer, err := sdp.Parse([]byte(ruleOffer))
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.Tracks = map[string]sdp.LocalTrack{"a": {StreamID: "s", SSRC: 7, CNAME: "c"}}
	ans := answerAndCheck(t, offer, cfg)
	audio := &ans.Media[0]
	if got, want := attrValues(audio, "msid"), []string{"s"}; !slices.Equal(got, want) {
		t.Errorf("msid %q, want %q", got, want)
	}
	if got, want := attrValues(audio, "ssrc"), []string{"7 cname:c", "7 msid:s"}; !slices.Equal(got, want) {
		t.Errorf("ssrc %q, want %q", got, want)
	}
	cfg.Tracks["a"] = sdp.LocalTrack{TrackID: "t"}
	ans = answerAndCheck(t, offer, cfg)
	if got, want := attrValues(&ans.Media[0], "msid"), []string{"- t"}; !slices.Equal(got, want) {
		t.Errorf("msid %q, want %q", got, want)
	}
}

// A Config value with a line break must not turn into lines of its own
// (RFC 8866 §9: no CR or LF inside a line).
func TestAnswerRefusesLineBreakInValues(t *testing.T) {
	offer, err := sdp.Parse([]byte(ruleOffer))
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range []sdp.LocalTrack{
		{StreamID: "s", SSRC: 7, CNAME: "c\r\na=setup:passive"},
		{StreamID: "s", SSRC: 7, CNAME: "c\na=x"},
		{StreamID: "s", SSRC: 7, CNAME: "c\x00"},
	} {
		cfg := testConfig()
		cfg.Tracks = map[string]sdp.LocalTrack{"a": tr}
		ans, err := sdp.Answer(offer, cfg)
		if err == nil || !strings.Contains(err.Error(), "RFC 8866 §9") {
			t.Errorf("CNAME %q: err %v, answer:\n%v", tr.CNAME, err, ans)
		}
	}
}
