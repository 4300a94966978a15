package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/internal/browsertest"
	"github.com/plainrtc/plainrtc/sfu"
)

// ScreenshotsEnv names the directory TestScreenshots writes its PNGs to;
// a relative one is taken from the module's root:
//
//	PLAINRTC_SCREENSHOTS=docs go test ./cmd/demo -run TestScreenshots -v
const ScreenshotsEnv = "PLAINRTC_SCREENSHOTS"

// shotWidth and shotHeight are the window the screenshots show.
const shotWidth, shotHeight = 1280, 800

// TestScreenshots regenerates docs/start.png, docs/room.png and
// docs/inspector.png from the running demo: a headless Chromium driven
// over the DevTools protocol joins a three-person room (the two others
// are headless Chromium pages in test mode, one of them muted), chat goes
// round, and once every tile shows video the window is captured. It is a
// generator, not a check of the code, so it runs only when asked.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv(ScreenshotsEnv)
	if dir == "" {
		t.Skip("generates the README's screenshots; run with " + ScreenshotsEnv + "=docs")
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join("..", "..", dir) // go test runs in cmd/demo
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Sessions that never connect (the start page's fake members below)
	// stay for the whole run.
	r := newRoomRigWith(t, "127.0.0.1", func(c *sfu.Config) { c.ConnectTimeout = 10 * time.Minute })

	// Public rooms with people in them, for the start page.
	createRoom(t, r.url, "Spanish B1", "Ordering food at a market", false)
	createRoom(t, r.url, "Book club", "Chapter 7: the storm", false)
	createRoom(t, r.url, "Team standup", "What changed since Monday", false)
	for i, who := range []string{"Lucía", "Marco", "Ines", "Tom"} {
		joinSilently(t, r.url, "Spanish B1", who, i)
	}
	for i, who := range []string{"Priya", "Sam"} {
		joinSilently(t, r.url, "Book club", who, 10+i)
	}

	// The three-person room: Bob and Cleo are test-mode pages, Ann is the
	// page we photograph.
	const room = "Team standup"
	r.launch(t, browsertest.Chromium, room, "Bob Martin", "")
	r.launch(t, browsertest.Chromium, room, "Cleo Nguyen", "")
	d := browsertest.LaunchDevTools(t, shotWidth, shotHeight)
	page, err := d.Open(r.url+"/", shotWidth, shotHeight)
	if err != nil {
		t.Fatalf("%v\n%s", err, d.Output())
	}
	ids := map[string]string{}
	for _, n := range []string{"Bob Martin", "Cleo Nguyen"} {
		ids[n] = r.wait(t, startTimeout, 0, "welcome", n, nil).ID
	}
	r.push(t, "Cleo Nguyen", map[string]any{"do": "mute", "kind": "audio", "muted": true})

	// The start page: the rooms listed with their counts.
	must(t, page.WaitFor(`document.querySelectorAll('#rooms li a').length >= 3 && document.getElementById('rooms').textContent.includes('4 people') && document.getElementById('rooms').textContent.includes('2 people')`, 30*time.Second))
	must(t, page.Eval(`document.getElementById('name').value = 'Ann Keller'; document.getElementById('room-name').value = 'Pairing'; document.getElementById('room-topic').value = 'The ICE agent'; true`, nil))
	time.Sleep(500 * time.Millisecond)
	shoot(t, page, filepath.Join(dir, "start.png"))

	// The room, from Ann's page.
	u := fmt.Sprintf("%s/r/%s?name=%s&autojoin=1", r.url, url.PathEscape(room), url.QueryEscape("Ann Keller"))
	must(t, page.Eval(`location.href = `+jsString(u)+`; true`, nil))
	must(t, page.WaitFor(`window.plainrtc && plainrtc.roster.length === 3 && plainrtc.tiles.length === 3 && plainrtc.tiles.every(t => t.hasVideo)`, startTimeout))
	// Every remote video is playing frames.
	must(t, page.WaitFor(`[...document.querySelectorAll('.tile video')].every(v => v.videoWidth > 0 && v.currentTime > 1)`, flowTimeout))
	for _, m := range []struct{ who, text string }{
		{"Bob Martin", "Morning! The SFU branch is merged."},
		{"Cleo Nguyen", "I am on the train, muted — reading along."},
		{"", "Great. Shall we look at the inspector next?"},
		{"Bob Martin", "Yes, share your screen after this."},
	} {
		if m.who == "" {
			must(t, page.Eval(`plainrtc.sendChat(`+jsString(m.text)+`); true`, nil))
		} else {
			r.push(t, m.who, map[string]any{"do": "chat", "text": m.text})
		}
		must(t, page.WaitFor(`plainrtc.chat.some(m => m.text === `+jsString(m.text)+`)`, flowTimeout))
	}
	must(t, page.WaitFor(`plainrtc.tiles.some(t => t.name === 'Cleo Nguyen' && t.muted)`, flowTimeout))
	time.Sleep(2 * time.Second) // let the speaking rings follow a few levels
	shoot(t, page, filepath.Join(dir, "room.png"))

	// The inspector, when this build has one and the server handed a token.
	var state string
	must(t, page.Eval(`(() => { const b = document.getElementById('inspector-toggle');
		if (!b) return 'absent'; if (b.hidden) return 'hidden'; b.click(); return 'clicked'; })()`, &state))
	if state != "clicked" {
		fmt.Printf("screenshots: inspector.png not taken: the #inspector-toggle button is %s (the server gave no inspect token)\n", state)
		t.Logf("inspector.png not taken: #inspector-toggle is %s", state)
		return
	}
	time.Sleep(3 * time.Second)
	shoot(t, page, filepath.Join(dir, "inspector.png"))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// shoot captures the page to file and checks it is a PNG of the window's
// size and over 20 KB (a blank page compresses to far less).
func shoot(t *testing.T, p *browsertest.Page, file string) {
	t.Helper()
	b, err := p.Screenshot()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if sz := img.Bounds().Size(); sz.X != shotWidth || sz.Y != shotHeight {
		t.Errorf("%s is %v, want %dx%d", file, sz, shotWidth, shotHeight)
	}
	if len(b) < 20<<10 {
		t.Errorf("%s is %d bytes, want a real capture over 20 KB", file, len(b))
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", file, len(b))
}

// createRoom is what the start page does: POST /api/rooms.
func createRoom(t *testing.T, base, name, topic string, private bool) string {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"name": name, "topic": topic, "private": private})
	resp, err := http.Post(base+"/api/rooms", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Name, Topic, Error string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/rooms %s: %d %+v %v", b, resp.StatusCode, out, err)
	}
	return out.Name
}

// joinSilently joins a room with a well-formed offer that never connects:
// a member in the room's count until the connect timeout.
func joinSilently(t *testing.T, base, room, name string, n int) {
	t.Helper()
	offer := strings.Join([]string{
		"v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
		fmt.Sprintf("a=ice-ufrag:silent%d", n), "a=ice-pwd:silentpasswordsilentpassword",
		"a=fingerprint:sha-256 " + strings.TrimSuffix(strings.Repeat("AB:", 32), ":"), "a=setup:active",
		"m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0",
		"a=sendonly", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", fmt.Sprintf("a=ssrc:%d cname:silent", 5000+n),
		"m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=mid:1", "a=sctp-port:5000", "",
	}, "\r\n")
	b, _ := json.Marshal(map[string]string{"name": name, "token": fmt.Sprintf("silent-%d", n), "offer": offer})
	resp, err := http.Post(base+"/api/rooms/"+url.PathEscape(room)+"/join", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		var e struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&e)
		t.Fatalf("join %s as %s: %d %s", room, name, resp.StatusCode, e.Error)
	}
}
