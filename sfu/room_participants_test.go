package sfu

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/sdp"
)

// simClient is a participant's browser in these tests: it joins with an
// offer, answers the room's offers with the sdp package's answerer, and
// keeps the signaling messages it was sent.
type simClient struct {
	t      *testing.T
	r      *room
	p      *peer
	cfg    *sdp.Config // its side, as an answerer
	msgs   []map[string]any
	sends  map[string]sdp.LocalTrack // what it sends on sections the room asked it to publish on
	offers int
}

// clientOffer is chromeOffer with the given SSRC base and sections: audio
// and video sendonly (or only audio), and the data channel.
func clientOffer(base string, video bool) string {
	s := strings.NewReplacer("1001", base+"1", "2001", base+"2", "2002", base+"3", "ice-ufrag:abcd", "ice-ufrag:us"+base).Replace(chromeOffer)
	if !video {
		i := strings.Index(s, "m=video")
		j := strings.Index(s, "m=application")
		s = s[:i] + s[j:]
		s = strings.Replace(s, "a=group:BUNDLE 0 1 2", "a=group:BUNDLE 0 2", 1)
	}
	return s
}

func joinSim(t *testing.T, r *room, id, name, offer string, now time.Time) *simClient {
	t.Helper()
	o, err := parseOffer([]byte(offer))
	if err != nil {
		t.Fatal(err)
	}
	p, media, err := r.addParticipant(id, name, o, now)
	if err != nil {
		t.Fatal(err)
	}
	p.name = name
	ans, err := writeAnswer(o, testParams, media, participantExtensions)
	if err != nil {
		t.Fatal(err)
	}
	local, err := sdp.Parse(ans)
	if err != nil {
		t.Fatal(err)
	}
	cfg := answerConfig(testParams, participantExtensions)
	cfg.Codecs = nil
	r.startNegotiation(p, cfg, local, o.SDP)
	r.setReady(p, now)
	c := &simClient{t: t, r: r, p: p, sends: map[string]sdp.LocalTrack{}}
	c.cfg = &sdp.Config{ICEUfrag: "cli" + id, ICEPwd: "clientPasswordClient1234", Setup: sdp.SetupPassive,
		Fingerprints: []sdp.Fingerprint{{Hash: "sha-256", Value: strings.Repeat("AB:", 31) + "AB"}},
		Tracks:       c.sends, DataChannel: true}
	r.signalOpen(p, now)
	return c
}

// pump delivers every queued signaling message to its client; clients
// answer offers at once, which may queue more.
func pump(t *testing.T, r *room, clients ...*simClient) {
	t.Helper()
	for range 10 {
		var out []signalOut
		r.pollSignals(func(to *peer, msg []byte) { out = append(out, signalOut{to, append([]byte(nil), msg...)}) })
		r.pollTransmits(func(_ *peer, it sendItem) { it.buf.release() })
		if len(out) == 0 {
			return
		}
		for _, o := range out {
			for _, c := range clients {
				if c.p == o.to {
					c.receive(o.msg)
				}
			}
		}
	}
	t.Fatal("signaling did not settle")
}

func (c *simClient) receive(raw []byte) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		c.t.Fatal(err)
	}
	c.msgs = append(c.msgs, m)
	if m["type"] != "offer" {
		return
	}
	c.offers++
	off, err := sdp.Parse([]byte(m["sdp"].(string)))
	if err != nil {
		c.t.Fatalf("room offer does not parse: %v\n%s", err, m["sdp"])
	}
	for i := range off.Media {
		mid, _ := off.Media[i].MID()
		if off.Direction(&off.Media[i]) == sdp.RecvOnly && off.Media[i].MediaLine().Port != 0 {
			if _, ok := c.sends[mid]; !ok {
				c.sends[mid] = sdp.LocalTrack{StreamID: "cs", TrackID: "cam", SSRC: 7777, CNAME: "c"}
			}
		}
	}
	ans, err := sdp.Answer(off, c.cfg)
	if err != nil {
		c.t.Fatalf("answering the room's offer: %v", err)
	}
	b, _ := json.Marshal(map[string]any{"type": "answer", "sdp": string(ans.Marshal()), "version": m["version"]})
	c.r.handleSignal(c.p, b, time.Unix(6000, 0))
}

func (c *simClient) last(typ string) map[string]any {
	for i := len(c.msgs) - 1; i >= 0; i-- {
		if c.msgs[i]["type"] == typ {
			return c.msgs[i]
		}
	}
	return nil
}

func (c *simClient) send(msg map[string]any, now time.Time) {
	b, _ := json.Marshal(msg)
	c.r.handleSignal(c.p, b, now)
}

func rosterNames(m map[string]any) []string {
	var names []string
	for _, e := range m["participants"].([]any) {
		names = append(names, e.(map[string]any)["name"].(string))
	}
	return names
}

// Two participants each receive the other's audio and video after one
// renegotiation each; chat reaches both; when one leaves, the other's
// sections for it are stopped by an offer and its roster drops it.
func TestRoomParticipantsRenegotiate(t *testing.T) {
	r := newRoom("p", slog.New(slog.DiscardHandler))
	now := time.Unix(6000, 0)
	a := joinSim(t, r, "A", "Ann", clientOffer("10", true), now)
	pump(t, r, a)
	if a.last("welcome") == nil || a.offers != 0 {
		t.Fatalf("first participant: welcome %v, offers %d", a.last("welcome"), a.offers)
	}
	b := joinSim(t, r, "B", "Bob", clientOffer("20", true), now)
	pump(t, r, a, b)
	if a.offers != 1 || b.offers != 1 || len(a.p.downs) != 2 || len(b.p.downs) != 2 {
		t.Fatalf("offers %d/%d, streams %d/%d", a.offers, b.offers, len(a.p.downs), len(b.p.downs))
	}
	for _, d := range a.p.downs {
		if d.track == nil || d.track.pub != b.p {
			t.Fatal("Ann's streams are not fed by Bob's tracks")
		}
	}
	if got := rosterNames(a.last("roster")); strings.Join(got, ",") != "Ann,Bob" {
		t.Fatalf("roster %v", got)
	}
	// Bob's audio reaches Ann, rewritten to the SSRC the room offered her.
	r.handleRTP(b.p, rtpPacket(t, 111, 1, 960, 201, []byte{1, 2}, nil), now)
	var toAnn int
	r.pollTransmits(func(to *peer, it sendItem) {
		if to == a.p && !it.rtcp && it.rw.ssrc == a.p.downs[0].ssrc {
			toAnn++
		}
		it.buf.release()
	})
	if toAnn != 1 {
		t.Fatalf("%d of Bob's packets reached Ann", toAnn)
	}
	a.send(map[string]any{"type": "chat", "text": "hello"}, now)
	pump(t, r, a, b)
	for _, c := range []*simClient{a, b} {
		if m := c.last("chat"); m == nil || m["text"] != "hello" || m["name"] != "Ann" {
			t.Fatalf("chat to %s: %v", c.p.name, m)
		}
	}
	r.leave(b.p, now)
	pump(t, r, a)
	if a.offers != 2 || len(a.p.downs) != 0 {
		t.Fatalf("after Bob left: offers %d, streams %d", a.offers, len(a.p.downs))
	}
	if got := rosterNames(a.last("roster")); strings.Join(got, ",") != "Ann" || a.last("left")["id"] != "B" {
		t.Fatalf("roster after leave %v, left %v", got, a.last("left"))
	}
}

// A participant that joined with audio only publishes video later: the
// room offers it a recvonly section, its answer sends on it, and the other
// participant gets the new track in the room's next offer; unpublishing
// stops both sections, and the next track recycles one.
func TestRoomPublishLater(t *testing.T) {
	r := newRoom("p", slog.New(slog.DiscardHandler))
	now := time.Unix(6000, 0)
	a := joinSim(t, r, "A", "Ann", clientOffer("10", false), now)
	b := joinSim(t, r, "B", "Bob", clientOffer("20", true), now)
	pump(t, r, a, b)
	if len(b.p.downs) != 1 {
		t.Fatalf("Bob receives %d streams, want Ann's audio", len(b.p.downs))
	}
	a.send(map[string]any{"type": "publish", "kind": "video"}, now)
	pump(t, r, a, b)
	if len(a.p.tracks) != 2 || a.p.tracks[1].kind != "video" || a.p.tracks[1].ssrc != 7777 {
		t.Fatalf("Ann's tracks after publish: %d", len(a.p.tracks))
	}
	if len(b.p.downs) != 2 || b.p.downs[1].track != a.p.tracks[1] {
		t.Fatal("Bob was not offered Ann's new video")
	}
	videoMid := a.p.tracks[1].mid
	a.send(map[string]any{"type": "unpublish", "mid": videoMid}, now)
	pump(t, r, a, b)
	if len(a.p.tracks) != 1 || len(b.p.downs) != 1 {
		t.Fatalf("after unpublish: Ann has %d tracks, Bob %d streams", len(a.p.tracks), len(b.p.downs))
	}
	stopped := len(b.p.neg.local.Media)
	a.send(map[string]any{"type": "publish", "kind": "video"}, now)
	pump(t, r, a, b)
	if len(b.p.neg.local.Media) != stopped {
		t.Fatalf("Bob's description grew from %d to %d sections: the stopped one was not recycled", stopped, len(b.p.neg.local.Media))
	}
	if a.last("error") != nil || b.last("error") != nil {
		t.Fatalf("errors: %v %v", a.last("error"), b.last("error"))
	}
}

// The loudest participant becomes the active speaker only after being
// clearly louder for a while (no flapping), from RFC 6464 levels.
func TestRoomActiveSpeaker(t *testing.T) {
	r := newRoom("p", slog.New(slog.DiscardHandler))
	now := time.Unix(6000, 0)
	a := joinSim(t, r, "A", "Ann", clientOffer("10", false), now)
	b := joinSim(t, r, "B", "Bob", clientOffer("20", false), now)
	pump(t, r, a, b)
	audio := func(c *simClient, base uint32, seq uint16, dbov byte) {
		r.handleRTP(c.p, rtpPacket(t, 111, seq, uint32(seq)*960, base, []byte{1}, map[uint8][]byte{1: {dbov}}), now)
	}
	speaker := func() any { return a.last("levels")["speaker"] }
	at := now
	for i := range uint16(20) {
		audio(a, 101, i, 10)  // Ann loud
		audio(b, 201, i, 100) // Bob near silence
		at = at.Add(levelsInterval)
		r.tick(at)
		pump(t, r, a, b)
	}
	if speaker() != "A" {
		t.Fatalf("speaker %v, want A", speaker())
	}
	// One loud burst from Bob does not take the floor at once.
	audio(b, 201, 100, 5)
	at = at.Add(levelsInterval)
	r.tick(at)
	pump(t, r, a, b)
	if speaker() != "A" {
		t.Fatalf("speaker flapped to %v on one packet", speaker())
	}
	for i := range uint16(40) {
		audio(a, 101, 200+i, 120)
		audio(b, 201, 200+i, 5)
		at = at.Add(levelsInterval)
		r.tick(at)
		pump(t, r, a, b)
	}
	if speaker() != "B" {
		t.Fatalf("speaker %v, want B once Bob is clearly louder", speaker())
	}
	_ = rtp.URIAudioLevel
}

// A WHEP viewer's audio stream carries the loudest publisher and its video
// stream the active speaker's video: when the second publisher starts
// talking and the first goes quiet, both streams switch to it.
func TestRoomWHEPFollowsSpeaker(t *testing.T) {
	r := newRoom("w", slog.New(slog.DiscardHandler))
	now := time.Unix(7000, 0)
	o1, _ := parseOffer([]byte(chromeOffer))
	p1, _, err := r.addPublisher("P1", o1, now)
	if err != nil {
		t.Fatal(err)
	}
	o2, _ := parseOffer([]byte(strings.NewReplacer("1001", "3001", "2001", "4001", "2002", "4002").Replace(chromeOffer)))
	p2, _, err := r.addPublisher("P2", o2, now)
	if err != nil {
		t.Fatal(err)
	}
	so, _ := parseOffer([]byte(subscriberOffer()))
	v, _, err := r.addSubscriber("V", so, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*peer{p1, p2, v} {
		r.setReady(p, now)
	}
	if v.downs[0].track.pub != p1 || v.downs[1].track.pub != p1 {
		t.Fatal("the viewer does not start on the earliest publisher")
	}
	at := now
	for i := range uint16(30) {
		r.handleRTP(p1, rtpPacket(t, 111, i, uint32(i)*960, 1001, []byte{1}, map[uint8][]byte{1: {120}}), at)
		r.handleRTP(p2, rtpPacket(t, 111, i, uint32(i)*960, 3001, []byte{1}, map[uint8][]byte{1: {5}}), at)
		at = at.Add(levelsInterval)
		r.tick(at)
		r.pollTransmits(func(_ *peer, it sendItem) { it.buf.release() })
	}
	if v.downs[0].track.pub != p2 || v.downs[1].track.pub != p2 {
		t.Fatalf("viewer follows %s (audio) and %s (video), want P2", v.downs[0].track.pub.id, v.downs[1].track.pub.id)
	}
}
