package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
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

// TestScreenshots regenerates docs/start.png, docs/prejoin.png,
// docs/room.png, docs/phone.png and docs/inspector.png from the running
// demo: a headless Chromium driven
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
	r := newRoomRigWith(t, "127.0.0.1", func(c *sfu.Config) { c.ConnectTimeout = 10 * time.Minute; c.Inspector = true })

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
	for _, p := range []struct {
		name string
		hue  float64
	}{{"Bob Martin", 200}, {"Cleo Nguyen", 330}} {
		browsertest.LaunchArgs(t, browsertest.Chromium,
			fmt.Sprintf("%s/r/%s?name=%s&autojoin=1&report=1", r.url, url.PathEscape(room), url.QueryEscape(p.name)),
			"--use-file-for-fake-video-capture="+fakeCamera(t, p.hue))
	}
	d := browsertest.LaunchDevTools(t, shotWidth, shotHeight, "--use-file-for-fake-video-capture="+fakeCamera(t, 40))
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
	must(t, page.WaitFor(`document.querySelectorAll('#rooms li a').length >= 3 && document.getElementById('rooms').textContent.includes('4 people') && [...document.querySelectorAll('#rooms li')].some(li => li.textContent.includes('Team standup') && li.textContent.includes('2 people'))`, 30*time.Second))
	must(t, page.Eval(`document.getElementById('name').value = 'Ann Keller'; document.getElementById('room-name').value = 'Pairing'; document.getElementById('room-topic').value = 'The ICE agent'; true`, nil))
	time.Sleep(500 * time.Millisecond)
	shoot(t, page, filepath.Join(dir, "start.png"), shotWidth, shotHeight)

	// The room's pre-join screen, then the room, from Ann's page.
	u := fmt.Sprintf("%s/r/%s?name=%s", r.url, url.PathEscape(room), url.QueryEscape("Ann Keller"))
	must(t, page.Eval(`location.href = `+jsString(u)+`; true`, nil))
	must(t, page.WaitFor(`document.getElementById('preview').videoWidth > 0 && document.getElementById('mic-select').options.length > 1 && parseFloat(document.getElementById('meter-bar').style.width) > 5`, startTimeout))
	time.Sleep(time.Second)
	shoot(t, page, filepath.Join(dir, "prejoin.png"), shotWidth, shotHeight)
	must(t, page.Eval(`document.getElementById('join').click(); true`, nil))
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
	shoot(t, page, filepath.Join(dir, "room.png"), shotWidth, shotHeight)

	// The same room in a phone's window.
	must(t, page.SetViewport(375, 760, true))
	time.Sleep(1500 * time.Millisecond)
	shoot(t, page, filepath.Join(dir, "phone.png"), 375, 760)
	must(t, page.SetViewport(shotWidth, shotHeight, false))
	time.Sleep(time.Second)

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
	// From the start of the session, with the DTLS handshake's result
	// opened: what a learner reads first.
	must(t, page.Eval(`(() => { const l = document.getElementById('insp-lines'); if (!l) return false;
		const r = [...l.querySelectorAll('.layer-dtls .insp-row')].find(r => /handshake complete/.test(r.textContent));
		if (r) r.click(); l.scrollTop = 0; return !!r; })()`, nil))
	time.Sleep(500 * time.Millisecond)
	shoot(t, page, filepath.Join(dir, "inspector.png"), shotWidth, shotHeight)
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
// size (w×h) and over 20 KB (a blank page compresses to far less).
func shoot(t *testing.T, p *browsertest.Page, file string, w, h int) {
	t.Helper()
	b, err := p.Screenshot()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if sz := img.Bounds().Size(); sz.X != w || sz.Y != h {
		t.Errorf("%s is %v, want %dx%d", file, sz, w, h)
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

// fakeCamera writes a Y4M clip for Chromium's
// --use-file-for-fake-video-capture: a person's silhouette on a
// background of the given hue, swaying a little, so the screenshots'
// tiles look like people and differ from one another.
func fakeCamera(t *testing.T, hue float64) string {
	t.Helper()
	const w, h, frames = 640, 360, 30
	file := filepath.Join(t.TempDir(), fmt.Sprintf("camera-%d.y4m", int(hue)))
	var b bytes.Buffer
	fmt.Fprintf(&b, "YUV4MPEG2 W%d H%d F15:1 Ip A1:1 C420jpeg\n", w, h)
	bg := func(x, y int) (float64, float64, float64) {
		// A soft vertical gradient and a window of light at the top right.
		l := 0.30 + 0.25*float64(h-y)/h
		if x > w*3/5 && x < w*9/10 && y > h/10 && y < h/2 {
			l += 0.18
		}
		return hsl(hue, 0.35, l)
	}
	skin, shirt := [3]float64{}, [3]float64{}
	skin[0], skin[1], skin[2] = hsl(28, 0.45, 0.62)
	shirt[0], shirt[1], shirt[2] = hsl(hue+180, 0.35, 0.35)
	hair := [3]float64{0.18, 0.13, 0.10}
	yp, up, vp := make([]byte, w*h), make([]byte, w*h/4), make([]byte, w*h/4)
	rgb := make([][3]float64, w*h)
	for f := 0; f < frames; f++ {
		sway := 10 * math.Sin(2*math.Pi*float64(f)/frames)
		cx, cy := float64(w)/2+sway, float64(h)*0.42
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				fx, fy := float64(x), float64(y)
				var c [3]float64
				c[0], c[1], c[2] = bg(x, y)
				dx, dy := (fx-cx)/62, (fy-cy)/78
				sx, sy := (fx-cx)/170, (fy-float64(h)*1.02)/150
				switch {
				case dx*dx+dy*dy < 1 && fy < cy-40+6*math.Sin(fx/9):
					c = hair
				case dx*dx+dy*dy < 1:
					c = skin
				case sx*sx+sy*sy < 1:
					c = shirt
				}
				rgb[y*w+x] = c
			}
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				c := rgb[y*w+x]
				yp[y*w+x] = clamp8(255 * (0.299*c[0] + 0.587*c[1] + 0.114*c[2]))
			}
		}
		for y := 0; y < h/2; y++ {
			for x := 0; x < w/2; x++ {
				c := rgb[(2*y)*w+2*x]
				up[y*w/2+x] = clamp8(128 + 255*(-0.168736*c[0]-0.331264*c[1]+0.5*c[2]))
				vp[y*w/2+x] = clamp8(128 + 255*(0.5*c[0]-0.418688*c[1]-0.081312*c[2]))
			}
		}
		b.WriteString("FRAME\n")
		b.Write(yp)
		b.Write(up)
		b.Write(vp)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func clamp8(v float64) byte { return byte(math.Max(0, math.Min(255, math.Round(v)))) }

// hsl converts a colour (hue in degrees, saturation and lightness in 0…1)
// to RGB in 0…1.
func hsl(hue, s, l float64) (float64, float64, float64) {
	hue = math.Mod(math.Mod(hue, 360)+360, 360) / 60
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(hue, 2)-1))
	var r, g, b float64
	switch int(hue) {
	case 0:
		r, g, b = c, x, 0
	case 1:
		r, g, b = x, c, 0
	case 2:
		r, g, b = 0, c, x
	case 3:
		r, g, b = 0, x, c
	case 4:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	m := l - c/2
	return r + m, g + m, b + m
}
