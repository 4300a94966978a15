package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/internal/browsertest"
	"github.com/plainrtc/plainrtc/sfu"
)

// The room page (/r/{room}, static/room.js) in real browsers. The page,
// with report=1, posts what happens to the collector and polls it for
// commands (browsertest.Commands keyed by its ?name=): chat, camera on/off,
// leave, reload. The tests are not parallel: each runs two or three
// browsers, and the 2-core CI machine runs at most three at once.
//
// Firefox gathers no loopback candidates, so every room test runs in a
// network namespace of its own with the SFU on NetnsServerIP (see
// TestFirefoxToChromium); the page is still served from 127.0.0.1, a
// secure context for getUserMedia.

// roomRig is an SFU and the demo's handler (room page and API) with a
// collector and a command queue for the pages.
type roomRig struct {
	srv  *sfu.Server
	url  string
	col  *browsertest.Collector
	cmds *browsertest.Commands
	logs *syncBuffer
}

func newRoomRig(t *testing.T, ip string) *roomRig {
	t.Helper()
	return newRoomRigWith(t, ip, nil)
}

// newRoomRigWith is newRoomRig with the SFU's configuration changed by
// tweak first (when not nil).
func newRoomRigWith(t *testing.T, ip string, tweak func(*sfu.Config)) *roomRig {
	t.Helper()
	logs := &syncBuffer{}
	cfg := sfu.Config{
		UDP:    netip.AddrPortFrom(netip.MustParseAddr(ip), 0),
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	}
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := sfu.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &roomRig{srv: srv, col: browsertest.NewCollector(), cmds: browsertest.NewCommands(), logs: logs}
	hs := httptest.NewUnstartedServer(newHandler(srv, r.cmds.Handler(r.col)))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	r.url = hs.URL
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
		if f := os.Getenv("PLAINRTC_ROOMTEST_REPORTS"); f != "" {
			// Every report in full, for debugging a page.
			var b strings.Builder
			for _, rep := range r.col.All() {
				b.Write(rep.Raw)
				b.WriteString("\n")
			}
			_ = os.WriteFile(f, []byte(b.String()), 0o644)
		}
		if t.Failed() {
			t.Logf("page reports (stats left out):\n%s", r.dump())
			t.Logf("SFU log:\n%s", logs.String())
		}
	})
	return r
}

// launch opens the room page in a browser: /r/{room}?name=…&autojoin=1&report=1 plus extra.
func (r *roomRig) launch(t *testing.T, k browsertest.Kind, room, name, extra string) {
	t.Helper()
	browsertest.Launch(t, k, fmt.Sprintf("%s/r/%s?name=%s&autojoin=1&report=1%s", r.url, url.PathEscape(room), url.QueryEscape(name), extra))
}

func (r *roomRig) push(t *testing.T, name string, cmd map[string]any) {
	t.Helper()
	if err := r.cmds.Push(name, cmd); err != nil {
		t.Fatal(err)
	}
}

// pageReport is any report room.js posts; which fields are set depends
// on Kind.
type pageReport struct {
	Kind, Name, ID string
	T              int64 // Date.now() in the page
	Message        string
	// stats
	State    string
	Tiles    []string // participant ids with a tile on the page
	Inbound  []inboundStat
	Outbound []struct {
		Mid, Kind   string
		PacketsSent float64
	}
	// roster
	Participants []struct {
		ID, Name               string
		Audio, Video           bool
		AudioMuted, VideoMuted bool
	}
	// event: a joined, left or mute message of the server
	Event struct {
		Type, ID, Name, Kind string
		Muted                bool
	}
	// chat
	Msg struct{ From, Name, Text, Time string }
	// offer
	Version int
	SDP     string
	// joined, restarted
	Answer string
}

func iceUfrag(sdp string) string {
	for _, line := range strings.Split(sdp, "\n") {
		if u, ok := strings.CutPrefix(strings.TrimSpace(line), "a=ice-ufrag:"); ok {
			return u
		}
	}
	return ""
}

type inboundStat struct {
	Mid, Kind, From string
	PacketsReceived float64
	FramesDecoded   float64
}

// from returns the inbound stream of kind that the page receives from the
// participant with id from (the one with most packets, should a recycled
// section have left an older one).
func (p pageReport) from(id, kind string) (inboundStat, bool) {
	var best inboundStat
	ok := false
	for _, s := range p.Inbound {
		if s.From == id && s.Kind == kind && (!ok || s.PacketsReceived > best.PacketsReceived) {
			best, ok = s, true
		}
	}
	return best, ok
}

func (p pageReport) rosterIDs() map[string]string {
	m := map[string]string{}
	for _, e := range p.Participants {
		m[e.ID] = e.Name
	}
	return m
}

// mark is the number of reports received so far: waits with since=mark
// look only at what came after.
func (r *roomRig) mark() int { return len(r.col.All()) }

// wait returns the first report after the since-th of the given kind from
// the page called name that match accepts. An "error" report from any page
// fails the test at once.
func (r *roomRig) wait(t *testing.T, timeout time.Duration, since int, kind, name string, match func(pageReport) bool) pageReport {
	t.Helper()
	i := 0
	var got pageReport
	rep, ok := r.col.Wait(timeout, func(rep browsertest.Report) bool {
		if i++; i <= since {
			return false
		}
		if rep.Kind == "error" {
			return true
		}
		if rep.Kind != kind {
			return false
		}
		var p pageReport
		if err := rep.Decode(&p); err != nil || p.Name != name {
			return false
		}
		if match == nil || match(p) {
			got = p
			return true
		}
		return false
	})
	if !ok {
		last := ""
		if s, ok := r.col.Last(func(rep browsertest.Report) bool {
			return rep.Kind == "stats" && strings.Contains(string(rep.Raw), `"name":"`+name+`"`)
		}); ok {
			last = string(s.Raw)
		}
		t.Fatalf("no %q report from %s within %v; its last stats: %s", kind, name, timeout, last)
	}
	if rep.Kind == "error" {
		t.Fatalf("a page reported an error: %s", rep.Raw)
	}
	return got
}

func (r *roomRig) dump() string {
	var b strings.Builder
	for _, rep := range r.col.All() {
		if rep.Kind == "stats" {
			continue
		}
		s := string(rep.Raw)
		if len(s) > 400 {
			s = s[:400] + "…"
		}
		b.WriteString(s + "\n")
	}
	return b.String()
}

// apiRoom is GET /api/rooms/{room} (docs/SIGNALING.md).
type apiRoom struct {
	Name         string
	Participants []struct {
		ID, Name string
		Tracks   []struct {
			ID, Kind  string
			PacketsIn uint64
		}
		Subscriptions []struct {
			Track, From, Kind string
			PacketsOut        uint64
		}
	}
}

func (r *roomRig) room(t *testing.T, room string) (apiRoom, int) {
	t.Helper()
	resp, err := http.Get(r.url + "/api/rooms/" + url.PathEscape(room))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a apiRoom
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
			t.Fatalf("GET /api/rooms/%s: %v", room, err)
		}
	}
	return a, resp.StatusCode
}

// counters sums, per participant id, the packets of its tracks (in) and
// of its subscriptions by publisher and kind (out).
func counters(a apiRoom) (in map[string]uint64, out map[string]map[string]uint64) {
	in, out = map[string]uint64{}, map[string]map[string]uint64{}
	for _, p := range a.Participants {
		out[p.ID] = map[string]uint64{}
		for _, tr := range p.Tracks {
			in[p.ID+" "+tr.Kind] += tr.PacketsIn
		}
		for _, s := range p.Subscriptions {
			out[p.ID][s.From+" "+s.Kind] += s.PacketsOut
		}
	}
	return in, out
}

// receiving waits until the page called name receives every kind from
// every id in from (packets and, for video, decoded frames), then for a
// later stats report in which every one of those counters has risen.
func (r *roomRig) receiving(t *testing.T, since int, name string, from []string, kinds ...string) {
	t.Helper()
	first := r.wait(t, startTimeout, since, "stats", name, func(p pageReport) bool {
		for _, id := range from {
			for _, k := range kinds {
				s, ok := p.from(id, k)
				if !ok || s.PacketsReceived < 10 || k == "video" && s.FramesDecoded < 1 {
					return false
				}
			}
		}
		return true
	})
	later := r.wait(t, flowTimeout, since, "stats", name, func(p pageReport) bool {
		if p.T <= first.T {
			return false
		}
		for _, id := range from {
			for _, k := range kinds {
				a, _ := first.from(id, k)
				b, ok := p.from(id, k)
				if !ok || b.PacketsReceived <= a.PacketsReceived || k == "video" && b.FramesDecoded <= a.FramesDecoded {
					return false
				}
			}
		}
		return true
	})
	var got []string
	for _, id := range from {
		for _, k := range kinds {
			a, _ := first.from(id, k)
			b, _ := later.from(id, k)
			got = append(got, fmt.Sprintf("%s from %s: packets %v→%v frames %v→%v", k, id, a.PacketsReceived, b.PacketsReceived, a.FramesDecoded, b.FramesDecoded))
		}
	}
	t.Logf("%s receives: %s", name, strings.Join(got, "; "))
}

// Three participants — two Chromium, one Firefox — join one room from the
// room page with autojoin=1 and nothing else: each receives the other
// two's audio and video (the browsers' getStats and the room API's
// counters rise), a mute reaches everyone, chat reaches everyone, and when one leaves the others'
// rosters drop it within 5 s and the server no longer lists it.
func TestRoomThreeParticipants(t *testing.T) {
	browsertest.Require(t, browsertest.Chromium)
	browsertest.Require(t, browsertest.Firefox)
	if !browsertest.InNetns(t) {
		return
	}
	const room = "trio"
	r := newRoomRig(t, browsertest.NetnsServerIP)
	pages := []struct {
		name string
		kind browsertest.Kind
	}{{"Ann", browsertest.Chromium}, {"Bob", browsertest.Chromium}, {"Cleo", browsertest.Firefox}}
	ids := map[string]string{}
	for _, p := range pages {
		r.launch(t, p.kind, room, p.name, "")
	}
	for _, p := range pages {
		ids[p.name] = r.wait(t, startTimeout, 0, "welcome", p.name, nil).ID
	}
	t.Logf("participants: %v", ids)
	others := func(name string) []string {
		var o []string
		for _, p := range pages {
			if p.name != name {
				o = append(o, ids[p.name])
			}
		}
		return o
	}
	for _, p := range pages {
		r.receiving(t, 0, p.name, others(p.name), "audio", "video")
	}

	// The server's view: every participant publishes audio and video and
	// is subscribed to both of the others' tracks, and the counters move.
	a1, code := r.room(t, room)
	if code != http.StatusOK || len(a1.Participants) != 3 {
		t.Fatalf("GET /api/rooms/%s: %d, %d participants, want 200 and 3", room, code, len(a1.Participants))
	}
	time.Sleep(time.Second)
	a2, _ := r.room(t, room)
	in1, out1 := counters(a1)
	in2, out2 := counters(a2)
	for _, p := range pages {
		id := ids[p.name]
		for _, k := range []string{"audio", "video"} {
			if in2[id+" "+k] <= in1[id+" "+k] {
				t.Errorf("API: %s's %s packetsIn %d → %d, want rising", p.name, k, in1[id+" "+k], in2[id+" "+k])
			}
			for _, from := range others(p.name) {
				if o1, o2 := out1[id][from+" "+k], out2[id][from+" "+k]; o2 <= o1 {
					t.Errorf("API: %s's subscription to %s's %s packetsOut %d → %d, want rising", p.name, from, k, o1, o2)
				}
			}
		}
		if n := len(out2[id]); n != 4 {
			t.Errorf("API: %s has subscriptions %v, want audio and video of both others", p.name, out2[id])
		}
	}
	t.Logf("API counters in: %v out: %v", in2, out2)

	// Ann mutes her microphone: everyone is told, and the rosters say so.
	since := r.mark()
	r.push(t, "Ann", map[string]any{"do": "mute", "kind": "audio", "muted": true})
	for _, p := range pages {
		r.wait(t, flowTimeout, since, "event", p.name, func(rp pageReport) bool {
			return rp.Event.Type == "mute" && rp.Event.ID == ids["Ann"] && rp.Event.Kind == "audio" && rp.Event.Muted
		})
		r.wait(t, flowTimeout, since, "roster", p.name, func(rp pageReport) bool {
			for _, e := range rp.Participants {
				if e.ID == ids["Ann"] {
					return e.AudioMuted
				}
			}
			return false
		})
	}

	// Chat reaches everyone, its sender too, with name and time.
	since = r.mark()
	for _, p := range pages {
		r.push(t, p.name, map[string]any{"do": "chat", "text": "hello from " + p.name})
	}
	for _, to := range pages {
		for _, from := range pages {
			m := r.wait(t, flowTimeout, since, "chat", to.name, func(p pageReport) bool {
				return p.Msg.Text == "hello from "+from.name
			}).Msg
			if m.From != ids[from.name] || m.Name != from.name {
				t.Errorf("%s got chat %+v, want from %s (%s)", to.name, m, from.name, ids[from.name])
			}
			if _, err := time.Parse(time.RFC3339, m.Time); err != nil {
				t.Errorf("chat time %q: %v", m.Time, err)
			}
		}
	}

	// Cleo (Firefox) leaves with the Leave button's code path.
	leaver := ids["Cleo"]
	since = r.mark()
	start := time.Now()
	r.push(t, "Cleo", map[string]any{"do": "leave"})
	for _, p := range pages[:2] {
		r.wait(t, 5*time.Second, since, "roster", p.name, func(rp pageReport) bool {
			ids := rp.rosterIDs()
			_, there := ids[leaver]
			return !there && len(ids) == 2
		})
		t.Logf("%s's roster dropped Cleo %v after the leave command", p.name, time.Since(start).Round(time.Millisecond))
		r.wait(t, flowTimeout, since, "event", p.name, func(rp pageReport) bool {
			return rp.Event.Type == "left" && rp.Event.ID == leaver && rp.Event.Name == "Cleo"
		})
	}
	r.wait(t, flowTimeout, since, "left", "Cleo", nil)
	a3, _ := r.room(t, room)
	if len(a3.Participants) != 2 {
		t.Errorf("API after Cleo left: %d participants, want 2", len(a3.Participants))
	}
	for _, p := range a3.Participants {
		if p.ID == leaver {
			t.Errorf("API still lists Cleo after leaving: %+v", p)
		}
		for _, s := range p.Subscriptions {
			if s.From == leaver {
				t.Errorf("API: %s still subscribed to Cleo's %s", p.Name, s.Kind)
			}
		}
	}
}

// sdpSection is one m= section of an offer the page reported.
type sdpSection struct {
	kind, mid string
	port      string
}

func offerSections(sdp string) []sdpSection {
	var out []sdpSection
	for _, line := range strings.Split(sdp, "\n") {
		line = strings.TrimRight(line, "\r")
		if m, ok := strings.CutPrefix(line, "m="); ok {
			f := strings.Fields(m)
			if len(f) >= 2 {
				out = append(out, sdpSection{kind: f[0], port: f[1]})
			}
		} else if mid, ok := strings.CutPrefix(line, "a=mid:"); ok && len(out) > 0 {
			out[len(out)-1].mid = mid
		}
	}
	return out
}

// recycled finds, in consecutive offers from the from-th on, a section at
// an index where the previous offer had a stopped (port 0) section, live
// again with a new mid (RFC 9429 §5.2.2).
func recycled(offers [][]sdpSection, from int) (string, bool) {
	for i := max(from, 1); i < len(offers); i++ {
		prev, cur := offers[i-1], offers[i]
		for j := range prev {
			if j < len(cur) && prev[j].port == "0" && cur[j].port != "0" && cur[j].mid != prev[j].mid {
				return fmt.Sprintf("m-line %d: %s mid %s (stopped) → %s mid %s", j, prev[j].kind, prev[j].mid, cur[j].kind, cur[j].mid), true
			}
		}
	}
	return "", false
}

// offersOf returns the sections of every offer the page called name
// answered after the since-th report.
func (r *roomRig) offersOf(name string, since int) [][]sdpSection {
	var out [][]sdpSection
	for i, rep := range r.col.All() {
		if i < since || rep.Kind != "offer" {
			continue
		}
		var p pageReport
		if rep.Decode(&p) == nil && p.Name == name {
			out = append(out, offerSections(p.SDP))
		}
	}
	return out
}

// Chromium and Firefox both join with the microphone only (video=0), turn
// the camera on (the server offers a recvonly section the page fills) and
// each receives the other's video; they turn it off (the sections stop)
// and on again, three times: the later offers recycle the stopped m-lines
// instead of growing the SDP. Both restart ICE over HTTP: the audio and
// the signaling channel go on. Then both reload — Chromium leaving by its
// pagehide beacon, Firefox without it, replaced by its rejoin with the
// same client token — and each roster shows the other once.
func TestRoomCameraLaterAndReload(t *testing.T) {
	browsertest.Require(t, browsertest.Chromium)
	browsertest.Require(t, browsertest.Firefox)
	if !browsertest.InNetns(t) {
		return
	}
	const room = "cam"
	r := newRoomRig(t, browsertest.NetnsServerIP)
	pages := []struct {
		name string
		kind browsertest.Kind
	}{{"Chro", browsertest.Chromium}, {"Fox", browsertest.Firefox}}
	ids := map[string]string{}
	for _, p := range pages {
		r.launch(t, p.kind, room, p.name, "&video=0")
	}
	for _, p := range pages {
		ids[p.name] = r.wait(t, startTimeout, 0, "welcome", p.name, nil).ID
	}
	other := func(name string) string {
		if name == "Chro" {
			return ids["Fox"]
		}
		return ids["Chro"]
	}
	for _, p := range pages {
		r.receiving(t, 0, p.name, []string{other(p.name)}, "audio")
	}
	if a, _ := r.room(t, room); len(a.Participants) != 2 {
		t.Fatalf("API: %d participants, want 2", len(a.Participants))
	}
	beforeCamera := r.mark()
	maxSections := map[string]int{}
	for cycle := 1; cycle <= 3; cycle++ {
		since := r.mark()
		for _, p := range pages {
			r.push(t, p.name, map[string]any{"do": "camera", "on": true})
		}
		for _, p := range pages {
			r.receiving(t, since, p.name, []string{other(p.name)}, "video")
			r.wait(t, flowTimeout, since, "stats", p.name, func(s pageReport) bool {
				for _, o := range s.Outbound {
					if o.Kind == "video" && o.PacketsSent > 0 {
						return true
					}
				}
				return false
			})
		}
		a, _ := r.room(t, room)
		for _, p := range a.Participants {
			if len(p.Tracks) != 2 || len(p.Subscriptions) != 2 {
				t.Errorf("cycle %d, camera on: API lists %s with %d tracks, %d subscriptions; want 2 and 2", cycle, p.Name, len(p.Tracks), len(p.Subscriptions))
			}
		}
		for _, p := range pages {
			offers := r.offersOf(p.name, beforeCamera)
			last := offers[len(offers)-1]
			if cycle == 1 {
				maxSections[p.name] = len(last)
				continue
			}
			how, ok := recycled(offers, len(r.offersOf(p.name, beforeCamera))-len(r.offersOf(p.name, since)))
			if !ok {
				t.Errorf("cycle %d: no offer to %s recycled a stopped m-line; offers: %v", cycle, p.name, offers)
			} else {
				t.Logf("cycle %d: %s's offer recycled %s", cycle, p.name, how)
			}
			if len(last) > maxSections[p.name] {
				t.Errorf("cycle %d: %s's SDP grew to %d m-lines (first cycle %d): stopped ones were not recycled", cycle, p.name, len(last), maxSections[p.name])
			}
		}

		since = r.mark()
		for _, p := range pages {
			r.push(t, p.name, map[string]any{"do": "camera", "on": false})
		}
		for _, p := range pages {
			r.wait(t, flowTimeout, since, "roster", p.name, func(rp pageReport) bool {
				for _, e := range rp.Participants {
					if e.Video {
						return false
					}
				}
				return len(rp.Participants) == 2
			})
			// Both video sections of this page (its own, the other's) stopped.
			r.wait(t, flowTimeout, since, "offer", p.name, func(rp pageReport) bool {
				live := 0
				for _, s := range offerSections(rp.SDP) {
					if s.kind == "video" && s.port != "0" {
						live++
					}
				}
				return live == 0
			})
		}
		a, _ = r.room(t, room)
		for _, p := range a.Participants {
			if len(p.Tracks) != 1 || len(p.Subscriptions) != 1 {
				t.Errorf("cycle %d, camera off: API lists %s with %d tracks, %d subscriptions; want 1 and 1", cycle, p.Name, len(p.Tracks), len(p.Subscriptions))
			}
		}
	}

	// An ICE restart over HTTP (what a network change triggers): new
	// credentials from the server, and the audio goes on.
	since := r.mark()
	for _, p := range pages {
		r.push(t, p.name, map[string]any{"do": "restart-ice"})
	}
	for _, p := range pages {
		joined := r.wait(t, time.Second, 0, "joined", p.name, nil)
		restarted := r.wait(t, flowTimeout, since, "restarted", p.name, nil)
		before, after := iceUfrag(joined.Answer), iceUfrag(restarted.Answer)
		if before == "" || after == "" || before == after {
			t.Errorf("%s: ICE restart answer has ufrag %q, the join's %q; want new credentials (RFC 8445 §9)", p.name, after, before)
		}
		r.receiving(t, r.mark(), p.name, []string{other(p.name)}, "audio")
	}
	// The signaling channel survived the restart: chat still goes round.
	since = r.mark()
	for _, p := range pages {
		r.push(t, p.name, map[string]any{"do": "chat", "text": "after the restart from " + p.name})
	}
	for _, to := range pages {
		for _, from := range pages {
			r.wait(t, flowTimeout, since, "chat", to.name, func(rp pageReport) bool {
				return rp.Msg.Text == "after the restart from "+from.name
			})
		}
	}

	// Reload both pages.
	old := map[string]string{}
	for k, v := range ids {
		old[k] = v
	}
	since = r.mark()
	r.push(t, "Chro", map[string]any{"do": "reload"})
	r.push(t, "Fox", map[string]any{"do": "reload", "beacon": false})
	for _, p := range pages {
		ids[p.name] = r.wait(t, startTimeout, since, "welcome", p.name, nil).ID
		if ids[p.name] == old[p.name] {
			t.Fatalf("%s rejoined with its old id %s", p.name, ids[p.name])
		}
	}
	for _, p := range pages {
		r.receiving(t, since, p.name, []string{other(p.name)}, "audio")
		rp := r.wait(t, flowTimeout, since, "roster", p.name, func(rp pageReport) bool {
			return len(rp.rosterIDs()) == 2 && rp.rosterIDs()[other(p.name)] != ""
		})
		if _, ghost := rp.rosterIDs()[old[pageOther(p.name)]]; ghost {
			t.Errorf("%s's roster still lists the other's old id: %+v", p.name, rp.Participants)
		}
	}
	for _, line := range strings.Split(r.logs.String(), "\n") {
		if strings.Contains(line, "session ended") && (strings.Contains(line, old["Chro"]) || strings.Contains(line, old["Fox"])) {
			t.Logf("old session: %s", line)
		}
	}
	// Each page shows two tiles: its own and the other's new one.
	for _, p := range pages {
		r.wait(t, flowTimeout, since, "stats", p.name, func(s pageReport) bool {
			return len(s.Tiles) == 2 && slices.Contains(s.Tiles, ids[p.name]) && slices.Contains(s.Tiles, other(p.name))
		})
	}
	// No roster a page showed since the reloads listed anyone twice.
	for i, rep := range r.col.All() {
		var rp pageReport
		if i < since || rep.Kind != "roster" || rep.Decode(&rp) != nil {
			continue
		}
		if len(rp.Participants) > 2 {
			t.Errorf("%s showed a roster with a ghost: %+v", rp.Name, rp.Participants)
		}
	}
	a, _ := r.room(t, room)
	names := map[string]int{}
	for _, p := range a.Participants {
		names[p.Name]++
		if p.ID == old["Chro"] || p.ID == old["Fox"] {
			t.Errorf("API lists a ghost: %s (%s)", p.Name, p.ID)
		}
	}
	if len(a.Participants) != 2 || names["Chro"] != 1 || names["Fox"] != 1 {
		t.Errorf("API after the reloads: %d participants, names %v; want Chro and Fox once each", len(a.Participants), names)
	}
}

func pageOther(name string) string {
	if name == "Chro" {
		return "Fox"
	}
	return "Chro"
}
