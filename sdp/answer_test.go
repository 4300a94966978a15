package sdp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/sdp"
)

func testConfig() *sdp.Config {
	return &sdp.Config{
		ICEUfrag: "srvUfrag",
		ICEPwd:   "srvPasswordSrvPassword1234",
		Fingerprints: []sdp.Fingerprint{{Hash: "sha-256",
			Value: "E9:05:A9:4E:7B:68:9F:E4:59:9C:33:AC:DE:10:71:A3:B2:14:2F:E0:B2:B1:A2:5E:52:98:0C:11:82:47:72:D5"}},
		Candidates: []sdp.Candidate{{Foundation: "1", Component: 1, Transport: "udp", Priority: 2130706431,
			Address: "192.0.2.10", Port: 50000, Type: "host"}},
		DataChannel: true,
	}
}

// answerAndCheck answers offer with cfg and runs the JSEP rule checker.
func answerAndCheck(t *testing.T, offer *sdp.Session, cfg *sdp.Config) *sdp.Session {
	t.Helper()
	ans, err := sdp.Answer(offer, cfg)
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	for _, e := range checkAnswer(offer, ans, true, cfg.StrictBundle) {
		t.Error(e)
	}
	if t.Failed() {
		t.Logf("answer:\n%s", ans)
	}
	return ans
}

// TestAnswerCorpus: every corpus offer and answer round-trips and carries
// the credentials conformance found; when the browser wrote the offer, our
// answerer answers it and the answer passes the JSEP rule checker.
func TestAnswerCorpus(t *testing.T)        { conformance.ForEachSession(t, checkAnswerCorpus) }
func TestAnswerCorpusDerived(t *testing.T) { conformance.ForEachDerived(t, checkAnswerCorpus) }

func checkAnswerCorpus(t *testing.T, s *conformance.Session) {
	{
		offer, err := sdp.Parse(s.Offer)
		if err != nil {
			t.Fatalf("offer: %v", err)
		}
		if string(offer.Marshal()) != string(s.Offer) {
			t.Fatal("offer does not round-trip byte for byte")
		}
		if err := offer.Validate(); err != nil {
			t.Fatalf("offer Validate: %v", err)
		}
		answer, err := sdp.Parse(s.Answer)
		if err != nil {
			t.Fatalf("corpus answer: %v", err)
		}
		if string(answer.Marshal()) != string(s.Answer) {
			t.Fatal("corpus answer does not round-trip byte for byte")
		}
		// Credentials agree with what conformance took from the files.
		if u, p, _ := offer.ICECredentials(); u != s.Roles.Peers[conformance.Offerer].ICE.Ufrag || p != s.Roles.Peers[conformance.Offerer].ICE.Pwd {
			t.Errorf("offer ICE %q/%q, conformance %+v", u, p, s.Roles.Peers[conformance.Offerer].ICE)
		}
		if u, p, _ := answer.ICECredentials(); u != s.Roles.Peers[conformance.Answerer].ICE.Ufrag || p != s.Roles.Peers[conformance.Answerer].ICE.Pwd {
			t.Errorf("answer ICE %q/%q, conformance %+v", u, p, s.Roles.Peers[conformance.Answerer].ICE)
		}
		if s.Roles.Browser != conformance.Offerer {
			t.Skipf("the browser answered (%s): no browser offer for our answerer", s.Roles.BrowserRule)
		}
		strict := testConfig()
		strict.StrictBundle = true
		answerAndCheck(t, offer, strict)
		cfg := testConfig()
		ans := answerAndCheck(t, offer, cfg)
		// Every offered section is one the server supports, so all are accepted.
		for i := range ans.Media {
			if ans.Media[i].MediaLine().Port == 0 {
				t.Errorf("m= section %d rejected:\n%s", i, ans)
			}
		}
		// With a track on the first video section the server sends there.
		for i := range offer.Media {
			if offer.Media[i].MediaLine().Media != "video" {
				continue
			}
			mid, _ := offer.Media[i].MID()
			cfg.Tracks = map[string]sdp.LocalTrack{mid: {StreamID: "s1", TrackID: "t1", SSRC: 1111, RTXSSRC: 2222, CNAME: "sfu"}}
			ans := answerAndCheck(t, offer, cfg)
			if d := ans.Direction(&ans.Media[i]); d != sdp.SendRecv && offer.Direction(&offer.Media[i]) == sdp.SendRecv {
				t.Errorf("video answered %s with a track to send", d)
			}
			break
		}
	}
}

// TestAnswerSimulcastCorpus: the simulcast offer gets a=simulcast:recv
// with its rids.
func TestAnswerSimulcastCorpus(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(conformance.CorpusDir(), "chromium-156-simulcast", "offer.sdp"))
	if err != nil {
		t.Fatal(err)
	}
	offer, err := sdp.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	ans := answerAndCheck(t, offer, testConfig())
	found := false
	for i := range ans.Media {
		if s, ok := ans.Media[i].Simulcast(); ok {
			found = true
			os, _ := offer.Media[i].Simulcast()
			if s.Recv != os.Send {
				t.Errorf("simulcast recv %q, offered send %q", s.Recv, os.Send)
			}
		}
	}
	if !found {
		t.Errorf("no a=simulcast in the answer:\n%s", ans)
	}
}

// TestAnswerFixtureOffers answers fixture offers that Parse accepts. The
// expectations come from the offers: sections the server supports are
// accepted, the rest rejected; offers with nothing usable are refused.
func TestAnswerFixtureOffers(t *testing.T) {
	tests := []struct {
		file     string
		accepted []bool // per m= section; nil: Answer must refuse the offer
	}{
		{"sdp-transform/jsep.sdp", []bool{true, true}},   // video: port 0 + a=bundle-only is bundled, not disabled (RFC 9143 §6)
		{"sdp-transform/ssrc.sdp", []bool{true, true}},   // Chrome-style offer
		{"sdp-transform/sctp-dtls-26.sdp", []bool{true}}, // data channel only
		{"webrtc-sdp/13.sdp", []bool{true}},              // data channel, no BUNDLE group
		{"sdp-transform/icelite.sdp", nil},               // RTP/SAVPF: not a WebRTC proto
		{"sdp-transform/rtcp-fb.sdp", nil},               // RTP/AVP, no DTLS
		{"webrtc-sdp/12.sdp", nil},                       // RTP/SAVPF and DTLS/SCTP (pre-RFC 8841)
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "fixtures", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			offer, err := sdp.Parse(b)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			ans, err := sdp.Answer(offer, testConfig())
			if tc.accepted == nil {
				if err == nil || !strings.Contains(err.Error(), "(RFC") {
					t.Fatalf("got %v, want a refusal citing its rule; answer:\n%v", err, ans)
				}
				return
			}
			if err != nil {
				t.Fatalf("Answer: %v", err)
			}
			for _, e := range checkAnswer(offer, ans, true, false) {
				t.Error(e)
			}
			for i, want := range tc.accepted {
				if got := ans.Media[i].MediaLine().Port != 0; got != want {
					t.Errorf("m= section %d accepted=%v, want %v", i, got, want)
				}
			}
		})
	}
}

// TestAnswerRejections: sections the server cannot take are rejected with
// port 0 and left out of BUNDLE; if the offer's first tagged section is
// one of them the next accepted one is tagged (RFC 9143 §7.3.1).
func TestAnswerRejections(t *testing.T) {
	forEachCorpusSDP(t, func(t *testing.T, s corpusSDP) {
		offer, err := sdp.Parse(s.browserOffer(t))
		if err != nil {
			t.Fatal(err)
		}
		cfg := testConfig()
		cfg.DataChannel = false
		for _, c := range sdp.DefaultCodecs() {
			if c.Kind == "video" { // no audio codec: audio has no common format
				cfg.Codecs = append(cfg.Codecs, c)
			}
		}
		hasVideo := false
		for i := range offer.Media {
			hasVideo = hasVideo || offer.Media[i].MediaLine().Media == "video"
		}
		if !hasVideo {
			// Nothing the server can take: refused, naming the rule.
			if _, err := sdp.Answer(offer, cfg); err == nil || !strings.Contains(err.Error(), "RFC 9143") {
				t.Errorf("offer without video, server with video codecs only and no data channel: %v", err)
			}
			return
		}
		ans := answerAndCheck(t, offer, cfg)
		g, _ := ans.BundleGroup("")
		for i := range ans.Media {
			m := &ans.Media[i]
			kind, mid := m.MediaLine().Media, ""
			mid, _ = m.MID()
			if accepted := m.MediaLine().Port != 0; accepted != (kind == "video") || g.Has(mid) != accepted {
				t.Errorf("%s section %q: port %d, in BUNDLE %v", kind, mid, m.MediaLine().Port, g.Has(mid))
			}
		}
		if first, _ := ans.MediaByMID(g.First()); first == nil || first.MediaLine().Media != "video" || !first.HasAttribute("candidate") {
			t.Errorf("tagged section %q is not the accepted video one", g.First())
		}
		// Nothing acceptable: refused.
		cfg.Codecs = []sdp.Codec{{Kind: "video", Name: "AV2", ClockRate: 90000}}
		if _, err := sdp.Answer(offer, cfg); err == nil || !strings.Contains(err.Error(), "RFC 9143") {
			t.Errorf("offer with nothing acceptable: %v", err)
		}
	})
}

// RFC 8122 §5: fingerprint = 2UHEX *(":" 2UHEX); we accept lower case from
// peers but never write it.
func TestAnswerRefusesLowerCaseFingerprint(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "fixtures", "sdp-transform", "jsep.sdp"))
	if err != nil {
		t.Fatal(err)
	}
	offer, err := sdp.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdp.Answer(offer, testConfig()); err != nil {
		t.Fatalf("upper-case fingerprint: %v", err)
	}
	cfg := testConfig()
	cfg.Fingerprints[0].Value = strings.ToLower(cfg.Fingerprints[0].Value)
	if _, err := sdp.Answer(offer, cfg); err == nil || !strings.Contains(err.Error(), "RFC 8122 §5") {
		t.Fatalf("Answer with lower-case fingerprint: %v, want an error citing RFC 8122 §5", err)
	}
}
