package sdp_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/sdp"
)

// browserConfig stands in for the browser answering the server's offers;
// the answerer is this package's, so the exchange checks both directions.
func browserConfig() *sdp.Config {
	c := testConfig()
	c.ICEUfrag, c.ICEPwd = "brwsr", "browserPasswordBrowser12"
	c.Setup = sdp.SetupPassive
	return c
}

// TestOfferRenegotiation runs, for every corpus offer: browser offer ->
// server answer -> server offer adding an audio and a video track ->
// browser answer -> server offer stopping one of them -> browser answer
// -> server offer adding a track, which must recycle the stopped slot.
// Each server offer is checked against JSEP §5.2.2 and each answer
// against §5.3.
func TestOfferRenegotiation(t *testing.T) {
	for _, strict := range []bool{false, true} {
		t.Run(fmt.Sprintf("strict=%v", strict), func(t *testing.T) { testOfferRenegotiation(t, strict) })
	}
}

func testOfferRenegotiation(t *testing.T, strict bool) {
	forEachCorpusSDP(t, func(t *testing.T, s corpusSDP) {
		browserOffer, err := sdp.Parse(s.browserOffer(t))
		if err != nil {
			t.Fatal(err)
		}
		cfg := testConfig()
		cfg.StrictBundle = strict
		local, err := sdp.Answer(browserOffer, cfg)
		if err != nil {
			t.Fatal(err)
		}
		remote, answer := browserOffer, local
		wantSetup, _ := establishedSetup(local)

		step := func(name string, ch sdp.OfferChanges) *sdp.Session {
			t.Helper()
			offer, err := sdp.Offer(local, remote, cfg, ch)
			if err != nil {
				t.Fatalf("%s: Offer: %v", name, err)
			}
			for _, e := range checkOffer(local, remote, answer, offer, strict) {
				t.Errorf("%s: %s", name, e)
			}
			if got, _ := establishedSetup(offer); got != wantSetup {
				t.Errorf("%s: offer setup %s, established %s", name, got, wantSetup)
			}
			// The browser's side: answer the offer and check that answer.
			bc := browserConfig()
			bc.StrictBundle = strict
			reply, err := sdp.Answer(offer, bc)
			if err != nil {
				t.Fatalf("%s: answering the server offer: %v\n%s", name, err, offer)
			}
			for _, e := range checkAnswer(offer, reply, true, strict) {
				t.Errorf("%s: browser answer: %s", name, e)
			}
			if t.Failed() {
				t.Logf("%s offer:\n%s", name, offer)
			}
			local, remote, answer = offer, reply, reply
			return offer
		}

		n := len(browserOffer.Media)
		o1 := step("add", sdp.OfferChanges{Add: []sdp.NewTrack{
			{Kind: "audio", Track: sdp.LocalTrack{StreamID: "peerA", TrackID: "a1", SSRC: 100, CNAME: "sfu"}},
			{Kind: "video", Track: sdp.LocalTrack{StreamID: "peerA", TrackID: "v1", SSRC: 200, RTXSSRC: 201, CNAME: "sfu"}},
		}})
		if len(o1.Media) != n+2 {
			t.Fatalf("add: %d m= sections, want %d", len(o1.Media), n+2)
		}
		newVideo := &o1.Media[n+1]
		if newVideo.MediaLine().Media != "video" || o1.Direction(newVideo) != sdp.SendOnly {
			t.Fatalf("add: section %d is %s %s", n+1, newVideo.MediaLine().Media, o1.Direction(newVideo))
		}
		videoMID, _ := newVideo.MID()
		// The server must still send on these in later offers.
		cfg.Tracks = map[string]sdp.LocalTrack{}
		for _, i := range []int{n, n + 1} {
			mid, _ := o1.Media[i].MID()
			for m := range o1.Media[i].MSIDs() {
				cfg.Tracks[mid] = sdp.LocalTrack{StreamID: m.Stream, TrackID: m.Track}
			}
		}

		delete(cfg.Tracks, videoMID)
		o2 := step("stop", sdp.OfferChanges{Stop: []string{videoMID}})
		if o2.Media[n+1].MediaLine().Port != 0 {
			t.Fatalf("stop: stopped section has port %d", o2.Media[n+1].MediaLine().Port)
		}
		if o2.Direction(&o2.Media[n]) != sdp.SendOnly {
			t.Errorf("stop: the audio track stopped sending too")
		}

		o3 := step("recycle", sdp.OfferChanges{Add: []sdp.NewTrack{
			{Kind: "video", Track: sdp.LocalTrack{StreamID: "peerB", TrackID: "v2"}},
		}})
		if len(o3.Media) != n+2 {
			t.Fatalf("recycle: %d m= sections, want %d (the port-0 slot reused)", len(o3.Media), n+2)
		}
		mid, _ := o3.Media[n+1].MID()
		if mid == videoMID || o3.Media[n+1].MediaLine().Port == 0 {
			t.Errorf("recycle: slot %d has mid %q port %d", n+1, mid, o3.Media[n+1].MediaLine().Port)
		}
	})
}

// TestOfferKeepsDTLSRole: the offer keeps the role the answer took.
func TestOfferKeepsDTLSRole(t *testing.T) {
	forEachCorpusSDP(t, func(t *testing.T, s corpusSDP) {
		offer, _ := sdp.Parse(s.browserOffer(t))
		for _, role := range []sdp.Setup{sdp.SetupActive, sdp.SetupPassive} {
			cfg := testConfig()
			cfg.Setup = role
			ans, err := sdp.Answer(offer, cfg)
			if err != nil {
				t.Fatal(err)
			}
			o, err := sdp.Offer(ans, offer, cfg, sdp.OfferChanges{})
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := establishedSetup(o); got != role {
				t.Errorf("answered %s, re-offered %s", role, got)
			}
		}
	})
}

// TestOfferRecyclesRejectedSection: a section the answer rejected (port 0)
// is recycled by the next added track, at the same index with a new mid.
func TestOfferRecyclesRejectedSection(t *testing.T) {
	forEachCorpusSDP(t, func(t *testing.T, s corpusSDP) {
		offer, err := sdp.Parse(s.browserOffer(t))
		if err != nil {
			t.Fatal(err)
		}
		cfg := testConfig()
		for _, c := range sdp.DefaultCodecs() {
			if c.Kind == "video" {
				cfg.Codecs = append(cfg.Codecs, c)
			}
		}
		ans, err := sdp.Answer(offer, cfg) // audio rejected: no audio codec
		if err != nil {
			t.Fatal(err)
		}
		rejected := -1
		for i := range ans.Media {
			if ans.Media[i].MediaLine().Port == 0 {
				rejected = i
				break
			}
		}
		if rejected < 0 {
			t.Skip("the answer rejected no section (the offer has no audio): nothing to recycle")
		}
		if _, err := sdp.Offer(ans, offer, cfg, sdp.OfferChanges{Add: []sdp.NewTrack{{Kind: "audio"}}}); err == nil {
			t.Error("new audio track accepted without an audio codec")
		}
		o, err := sdp.Offer(ans, offer, cfg, sdp.OfferChanges{Add: []sdp.NewTrack{{Kind: "video", Track: sdp.LocalTrack{StreamID: "s", TrackID: "t"}}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range checkOffer(ans, offer, ans, o, false) {
			t.Error(e)
		}
		oldMID, _ := ans.Media[rejected].MID()
		newMID, _ := o.Media[rejected].MID()
		if len(o.Media) != len(ans.Media) || o.Media[rejected].MediaLine().Media != "video" || newMID == oldMID || o.Media[rejected].MediaLine().Port == 0 {
			t.Errorf("slot %d not recycled: %d sections, %s mid %q (was %q)", rejected, len(o.Media), o.Media[rejected].MediaLine().Media, newMID, oldMID)
		}
	})
}

// A recvonly new section asks the answerer to send: no msid or SSRC of
// ours, and only the codecs given for it.
func TestOfferNewReceiveSection(t *testing.T) {
	forEachCorpusSDP(t, func(t *testing.T, s corpusSDP) {
		offer, err := sdp.Parse(s.browserOffer(t))
		if err != nil {
			t.Fatal(err)
		}
		cfg := testConfig()
		ans, err := sdp.Answer(offer, cfg)
		if err != nil {
			t.Fatal(err)
		}
		var vp8 []sdp.Codec
		for _, c := range sdp.DefaultCodecs() {
			if c.Name == "VP8" {
				vp8 = append(vp8, c)
			}
		}
		off, err := sdp.Offer(ans, offer, cfg, sdp.OfferChanges{Add: []sdp.NewTrack{{Kind: "video", Receive: true, Codecs: vp8}}})
		if err != nil {
			t.Fatal(err)
		}
		m := &off.Media[len(off.Media)-1]
		if off.Direction(m) != sdp.RecvOnly || m.HasAttribute("msid") || m.HasAttribute("ssrc") {
			t.Fatalf("new receive section:\n%s", off.AppendTo(nil))
		}
		for _, l := range m.Lines {
			if name, v, _ := l.Attribute(); name == "rtpmap" && !strings.Contains(v, "VP8") && !strings.Contains(v, "rtx") {
				t.Fatalf("codec %q offered beside VP8", v)
			}
		}
	})
}
