package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/internal/browsertest"
	"github.com/plainrtc/plainrtc/sfu"
)

// tileState is one tile of a room page as its "tiles" report shows it,
// read from the page's DOM (static/room.js, tileStates).
type tileState struct {
	ID, Name                             string
	Self, Muted, Speaking, ActiveSpeaker bool
	HasVideo                             bool
	Level                                float64
}

type tilesReport struct {
	Name, ID string
	Tiles    []tileState
	// left: every local track the page had, after leaving
	Tracks []struct{ Kind, ReadyState string }
}

func (r tilesReport) tile(id string) (tileState, bool) {
	for _, t := range r.Tiles {
		if t.ID == id {
			return t, true
		}
	}
	return tileState{}, false
}

// waitTiles returns the first "tiles" report of the page called name after
// the since-th report that match accepts.
func (r *roomRig) waitTiles(t *testing.T, timeout time.Duration, since int, name string, what string, match func(tilesReport) bool) tilesReport {
	t.Helper()
	var got tilesReport
	i := 0
	rep, ok := r.col.Wait(timeout, func(rep browsertest.Report) bool {
		if i++; i <= since {
			return false
		}
		if rep.Kind == "error" {
			return true
		}
		var tr tilesReport
		if rep.Kind != "tiles" || rep.Decode(&tr) != nil || tr.Name != name {
			return false
		}
		if match(tr) {
			got = tr
			return true
		}
		return false
	})
	if !ok {
		last := ""
		if s, ok := r.col.Last(func(rep browsertest.Report) bool {
			return rep.Kind == "tiles" && strings.Contains(string(rep.Raw), `"name":"`+name+`"`)
		}); ok {
			last = string(s.Raw)
		}
		t.Fatalf("%s's page never showed %s within %v; its last tiles: %s", name, what, timeout, last)
	}
	if rep.Kind == "error" {
		t.Fatalf("a page reported an error: %s", rep.Raw)
	}
	return got
}

// The room app as people use it, in Chromium and Firefox: a private room
// is created the way the start page does it (not listed afterwards), and
// two participants open its link. Ava (Firefox) talks; Ben (Chromium)
// joins with his microphone muted (muted=1, the pre-join's "join muted").
// Each page must show: the other's tile with a name and video; Ben's tile
// muted on Ava's page; on both pages the speaking indicator and the active
// speaker on Ava's tile, never on Ben's; Ava's mute on Ben's page, and her
// speaking mark gone with it; chat with the sender's name both ways; and
// when Ava leaves, every one of her local tracks ended (camera and
// microphone off), the server told, and Ben's page shows the left notice
// and drops her tile; then Ben leaves the same way.
func TestAppPrivateRoomTwoBrowsers(t *testing.T) {
	browsertest.Require(t, browsertest.Chromium)
	browsertest.Require(t, browsertest.Firefox)
	if !browsertest.InNetns(t) {
		return
	}
	r := newRoomRigWith(t, browsertest.NetnsServerIP, func(c *sfu.Config) { c.Inspector = true })
	room := createRoom(t, r.url, "", "standup", true)
	if !strings.HasPrefix(room, "~") || len(room) < 20 {
		t.Fatalf("private room name %q: want the server's unguessable ~ name", room)
	}
	// The link the start page sends its creator to, as the other one gets it.
	link := "/r/" + url.PathEscape(room)
	pages := []struct {
		name  string
		kind  browsertest.Kind
		extra string
	}{{"Ava", browsertest.Firefox, "&inspector=1"}, {"Ben", browsertest.Chromium, "&muted=1&inspector=1"}}
	for _, p := range pages {
		browsertest.Launch(t, p.kind, fmt.Sprintf("%s%s?name=%s&autojoin=1&report=1%s", r.url, link, p.name, p.extra))
	}
	ids := map[string]string{}
	for _, p := range pages {
		ids[p.name] = r.wait(t, startTimeout, 0, "welcome", p.name, nil).ID
	}
	ava, ben := ids["Ava"], ids["Ben"]
	resp, err := http.Get(r.url + "/api/rooms")
	if err != nil {
		t.Fatal(err)
	}
	listing, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.Contains(string(listing), room) {
		t.Errorf("GET /api/rooms: %d %s; want 200 without the private room", resp.StatusCode, listing)
	}
	r.receiving(t, 0, "Ava", []string{ben}, "audio", "video")
	r.receiving(t, 0, "Ben", []string{ava}, "audio", "video")

	// The inspector panel of each page lists its own DTLS handshake with
	// the SRTP profile both sides agreed on.
	for _, p := range pages {
		r.checkInspector(t, p.name)
	}

	// Tiles: each page shows both, the other's with its name and video;
	// Ben is muted on Ava's page.
	r.waitTiles(t, flowTimeout, 0, "Ava", "Ben's tile muted, with video", func(tr tilesReport) bool {
		b, ok := tr.tile(ben)
		me, ok2 := tr.tile(ava)
		return ok && ok2 && b.Name == "Ben" && b.Muted && b.HasVideo && me.Self && len(tr.Tiles) == 2
	})
	r.waitTiles(t, flowTimeout, 0, "Ben", "Ava's tile unmuted, with video", func(tr tilesReport) bool {
		a, ok := tr.tile(ava)
		return ok && a.Name == "Ava" && !a.Muted && a.HasVideo && len(tr.Tiles) == 2
	})

	// Speaking: only Ava's microphone makes sound, so on both pages her
	// tile is marked speaking and active speaker, and Ben's neither.
	for _, p := range pages {
		got := r.waitTiles(t, flowTimeout, 0, p.name, "Ava speaking and the active speaker, Ben not", func(tr tilesReport) bool {
			a, ok := tr.tile(ava)
			b, ok2 := tr.tile(ben)
			return ok && ok2 && a.Speaking && a.ActiveSpeaker && !b.Speaking && !b.ActiveSpeaker
		})
		a, _ := got.tile(ava)
		t.Logf("%s's page: Ava speaking at level %.2f", p.name, a.Level)
	}
	// Ben was never marked speaking or active on either page.
	for _, rep := range r.col.All() {
		var tr tilesReport
		if rep.Kind != "tiles" || rep.Decode(&tr) != nil {
			continue
		}
		if b, ok := tr.tile(ben); ok && (b.Speaking || b.ActiveSpeaker) {
			t.Errorf("%s's page marked muted Ben speaking: %+v", tr.Name, b)
		}
	}

	// Ava mutes: Ben's page shows her tile muted, and not speaking.
	since := r.mark()
	r.push(t, "Ava", map[string]any{"do": "mute", "kind": "audio", "muted": true})
	r.waitTiles(t, flowTimeout, since, "Ben", "Ava's tile muted and silent", func(tr tilesReport) bool {
		a, ok := tr.tile(ava)
		return ok && a.Muted && !a.Speaking
	})
	r.waitTiles(t, flowTimeout, since, "Ava", "her own tile muted", func(tr tilesReport) bool {
		a, ok := tr.tile(ava)
		return ok && a.Muted && a.Self
	})

	// Chat both ways, with the sender's name.
	since = r.mark()
	r.push(t, "Ava", map[string]any{"do": "chat", "text": "hi Ben, can you hear me?"})
	r.push(t, "Ben", map[string]any{"do": "chat", "text": "yes Ava, loud and clear"})
	for _, c := range []struct{ to, from, text string }{
		{"Ben", "Ava", "hi Ben, can you hear me?"}, {"Ava", "Ben", "yes Ava, loud and clear"},
	} {
		m := r.wait(t, flowTimeout, since, "chat", c.to, func(p pageReport) bool { return p.Msg.Text == c.text }).Msg
		if m.Name != c.from || m.From != ids[c.from] {
			t.Errorf("%s got %q from %q (%s), want from %s (%s)", c.to, c.text, m.Name, m.From, c.from, ids[c.from])
		}
	}

	// Ava leaves: all her tracks end, Ben is told and her tile goes.
	since = r.mark()
	r.push(t, "Ava", map[string]any{"do": "leave"})
	var left tilesReport
	r.wait(t, flowTimeout, since, "left", "Ava", func(p pageReport) bool { return true })
	for i, rep := range r.col.All() {
		if i >= since && rep.Kind == "left" {
			_ = rep.Decode(&left)
		}
	}
	kinds := map[string]int{}
	for _, tr := range left.Tracks {
		kinds[tr.Kind]++
		if tr.ReadyState != "ended" {
			t.Errorf("after leaving, Ava's local %s track is %q, want ended", tr.Kind, tr.ReadyState)
		}
	}
	if kinds["audio"] < 1 || kinds["video"] < 1 {
		t.Errorf("Ava's leave report lists tracks %+v, want her microphone and camera", left.Tracks)
	}
	r.wait(t, flowTimeout, since, "event", "Ben", func(p pageReport) bool {
		return p.Event.Type == "left" && p.Event.ID == ava && p.Event.Name == "Ava"
	})
	r.waitTiles(t, flowTimeout, since, "Ben", "Ava's tile gone", func(tr tilesReport) bool {
		_, there := tr.tile(ava)
		return !there && len(tr.Tiles) == 1
	})
	if a, code := r.room(t, room); code != http.StatusOK || len(a.Participants) != 1 || a.Participants[0].ID != ben {
		t.Errorf("API after Ava left: %d %+v, want only Ben", code, a.Participants)
	}

	// Ben (Chromium) leaves too: his tracks end as well.
	since = r.mark()
	r.push(t, "Ben", map[string]any{"do": "leave"})
	r.wait(t, flowTimeout, since, "left", "Ben", nil)
	for i, rep := range r.col.All() {
		var lr tilesReport
		if i < since || rep.Kind != "left" || rep.Decode(&lr) != nil || lr.Name != "Ben" {
			continue
		}
		if len(lr.Tracks) < 2 {
			t.Errorf("Ben's leave report lists tracks %+v, want his microphone and camera", lr.Tracks)
		}
		for _, tr := range lr.Tracks {
			if tr.ReadyState != "ended" {
				t.Errorf("after leaving, Ben's local %s track is %q, want ended", tr.Kind, tr.ReadyState)
			}
		}
	}
	if a, code := r.room(t, room); code == http.StatusOK && len(a.Participants) != 0 {
		t.Errorf("API after both left: %+v, want nobody", a.Participants)
	}
}

// bannerReport is a "banner" report: the kind (the #banner's class) and
// its text.
type bannerReport struct {
	Name, Banner, Text string
}

func (r *roomRig) waitBanner(t *testing.T, name, kind string) bannerReport {
	t.Helper()
	var got bannerReport
	_, ok := r.col.Wait(startTimeout, func(rep browsertest.Report) bool {
		var b bannerReport
		if rep.Kind != "banner" || rep.Decode(&b) != nil || b.Name != name || b.Banner != kind {
			return false
		}
		got = b
		return true
	})
	if !ok {
		t.Fatalf("%s's page showed no %q banner; reports:\n%s", name, kind, r.dump())
	}
	t.Logf("%s's page: %s banner: %s", name, kind, got.Text)
	return got
}

// Errors a person understands, and joining without any device, in
// Chromium: a full room (503) and a room name the server refuses (400)
// each show their banner with the server's reason; a page that joins
// from the pre-join's "without microphone or camera" button, in a browser
// that blocks sound until a gesture, shows the click-to-listen banner
// whose button starts the sound, sends nothing, and receives and shows
// the one who talks.
func TestAppErrorsAndListenOnly(t *testing.T) {
	browsertest.Require(t, browsertest.Chromium)
	r := newRoomRigWith(t, "127.0.0.1", func(c *sfu.Config) {
		c.MaxParticipants = 2
		c.ConnectTimeout = 5 * time.Minute // the silent members stay
	})

	// A room already holding its two (silent) members refuses the third.
	joinSilently(t, r.url, "full", "One", 1)
	joinSilently(t, r.url, "full", "Two", 2)
	r.launch(t, browsertest.Chromium, "full", "Third", "&video=0")
	if b := r.waitBanner(t, "Third", "room-full"); !strings.Contains(b.Text, "full") {
		t.Errorf("room-full banner says %q", b.Text)
	}
	// A control character is not in any room name.
	browsertest.Launch(t, browsertest.Chromium, r.url+"/r/%01?name=Odd&autojoin=1&report=1&video=0")
	if b := r.waitBanner(t, "Odd", "bad-room"); !strings.Contains(b.Text, "control character") {
		t.Errorf("bad-room banner does not give the server's reason: %q", b.Text)
	}

	// Both pages also report the failed join as an error (test mode):
	// wait for those, then look only at what comes after.
	for _, name := range []string{"Third", "Odd"} {
		if _, ok := r.col.Wait(flowTimeout, func(rep browsertest.Report) bool {
			return rep.Kind == "error" && strings.Contains(string(rep.Raw), `"name":"`+name+`"`)
		}); !ok {
			t.Fatalf("%s's failed join was not reported as an error", name)
		}
	}
	since := r.mark()

	// Listen-only: Sia talks with camera and microphone; Lu joins from the
	// pre-join screen without devices.
	r.launch(t, browsertest.Chromium, "listen", "Sia", "")
	sia := r.wait(t, startTimeout, since, "welcome", "Sia", nil).ID
	// Lu's browser plays sound only after a user's gesture (the default
	// autoplay policy outside tests), and Lu joins without one: the page
	// shows the click-to-listen banner, and its button starts the sound.
	d := browsertest.LaunchDevTools(t, 1024, 700, "--autoplay-policy=document-user-activation-required")
	page, err := d.Open(r.url+"/r/listen?name=Lu", 1024, 700)
	if err != nil {
		t.Fatal(err)
	}
	must(t, page.WaitFor(`document.getElementById('mic-select').options.length > 1 && !document.getElementById('prejoin').hidden`, startTimeout))
	must(t, page.EvalNoGesture(`document.getElementById('join-listen').click(); true`, nil))
	must(t, page.WaitFor(`plainrtc.joined && plainrtc.tiles.some(t => t.id === `+jsString(sia)+` && t.hasVideo)`, startTimeout))
	must(t, page.WaitFor(`!document.getElementById('banner').hidden && document.getElementById('banner').className === 'autoplay'`, flowTimeout))
	must(t, page.Eval(`document.querySelector('#banner-actions button').click(); true`, nil))
	must(t, page.WaitFor(`document.getElementById('banner').hidden && [...document.querySelectorAll('.tile audio')].some(a => a.srcObject && !a.paused)`, flowTimeout))
	var got struct {
		Outbound []any
		Inbound  []struct {
			Kind, From      string
			PacketsReceived float64
		}
		Live []string
	}
	must(t, page.WaitFor(`plainrtc.stats().then(s => s.inbound.filter(i => i.packetsReceived > 20).length === 2)`, flowTimeout))
	must(t, page.Eval(`plainrtc.stats().then(s => ({outbound: s.outbound, inbound: s.inbound,
		live: plainrtc.localTracks.filter(t => t.readyState === 'live').map(t => t.kind)}))`, &got))
	if len(got.Outbound) != 0 || len(got.Live) != 0 {
		t.Errorf("listen-only page sends %v with live local tracks %v; want nothing", got.Outbound, got.Live)
	}
	for _, in := range got.Inbound {
		if in.From != sia {
			t.Errorf("listen-only page receives %s from %q, want from Sia (%s)", in.Kind, in.From, sia)
		}
	}
	t.Logf("listen-only page receives %+v", got.Inbound)
	if a, _ := r.room(t, "listen"); len(a.Participants) != 2 {
		t.Errorf("API: %d participants in the listen room, want Sia and Lu", len(a.Participants))
	}
}

// Firefox never pairs loopback candidates: against a server that
// advertises only 127.0.0.1 the page says so at once, with the -ip hint,
// instead of waiting in silence for ICE to give up.
func TestAppFirefoxLoopbackHint(t *testing.T) {
	browsertest.Require(t, browsertest.Firefox)
	r := newRoomRig(t, "127.0.0.1")
	r.launch(t, browsertest.Firefox, "loop", "Fox", "&video=0")
	b := r.waitBanner(t, "Fox", "connection")
	for _, want := range []string{"127.0.0.1", "Firefox does not use loopback candidates", "-ip"} {
		if !strings.Contains(b.Text, want) {
			t.Errorf("connection banner %q does not say %q", b.Text, want)
		}
	}
}

// inspectorReport is an "inspector" report of inspector.js: lines shown so
// far, per layer, and the DTLS layer's lines.
type inspectorReport struct {
	Name   string
	Lines  int
	Counts map[string]int
	DTLS   []struct{ Summary string }
}

// srtpProfileNames maps the other spelling of getStats' srtpCipher (the
// SDES crypto-suite names) to the protection profile names of RFC 5764
// §4.1.2 and RFC 7714 §14.2 the inspector prints.
var srtpProfileNames = map[string]string{
	"AES_CM_128_HMAC_SHA1_80": "SRTP_AES128_CM_HMAC_SHA1_80",
	"AES_CM_128_HMAC_SHA1_32": "SRTP_AES128_CM_HMAC_SHA1_32",
	"AEAD_AES_128_GCM":        "SRTP_AEAD_AES_128_GCM",
	"AEAD_AES_256_GCM":        "SRTP_AEAD_AES_256_GCM",
}

// checkInspector waits until name's inspector panel shows the DTLS
// handshake: the ClientHello offering use_srtp profiles, the ServerHello
// choosing one of them, and the completed handshake naming that same
// profile; where the browser reports its transport (Chromium), the
// profile must be the one it says it uses.
func (r *roomRig) checkInspector(t *testing.T, name string) {
	t.Helper()
	var got inspectorReport
	var offered, chosen, done string
	_, ok := r.col.Wait(flowTimeout, func(rep browsertest.Report) bool {
		if rep.Kind != "inspector" || rep.Decode(&got) != nil || got.Name != name {
			return false
		}
		offered, chosen, done = "", "", ""
		for _, l := range got.DTLS {
			s := l.Summary
			switch {
			case strings.Contains(s, "client_hello use_srtp "):
				offered = strings.Fields(s[strings.Index(s, "client_hello use_srtp ")+len("client_hello use_srtp "):])[0]
			case strings.Contains(s, "server_hello") && strings.Contains(s, "use_srtp "):
				chosen = strings.Trim(strings.Fields(s[strings.Index(s, "use_srtp ")+len("use_srtp "):])[0], ",")
			case strings.Contains(s, "handshake complete") && strings.Contains(s, "SRTP profile "):
				done = strings.Trim(strings.Fields(s[strings.Index(s, "SRTP profile ")+len("SRTP profile "):])[0], ",;")
			}
		}
		return offered != "" && chosen != "" && done != ""
	})
	if !ok {
		t.Fatalf("%s's inspector never showed the DTLS handshake with its SRTP profile; last report: %+v", name, got)
	}
	if chosen != done || !slices.Contains(strings.Split(offered, ","), chosen) {
		t.Errorf("%s's inspector: ClientHello offered %s, ServerHello chose %s, handshake complete says %s", name, offered, chosen, done)
	}
	for _, layer := range []string{"stun", "ice", "sdp"} {
		if got.Counts[layer] == 0 {
			t.Errorf("%s's inspector shows no %s line: %v", name, layer, got.Counts)
		}
	}
	// What the browser itself says it protects media with.
	var st struct {
		Name      string
		Transport struct{ SRTPCipher string }
	}
	if rep, ok := r.col.Last(func(rep browsertest.Report) bool {
		return rep.Kind == "stats" && rep.Decode(&st) == nil && st.Name == name && st.Transport.SRTPCipher != ""
	}); ok {
		_ = rep.Decode(&st)
		want := st.Transport.SRTPCipher // Chromium and Firefox give the profile's own name
		if n, ok := srtpProfileNames[want]; ok {
			want = n
		}
		if want != done {
			t.Errorf("%s's browser protects media with %s, its inspector says %s", name, st.Transport.SRTPCipher, done)
		}
		t.Logf("%s: inspector and getStats agree on %s", name, done)
	} else {
		t.Logf("%s: the browser reports no transport srtpCipher; the inspector's %s stands on its own (ClientHello offered %s)", name, done, offered)
	}
}
