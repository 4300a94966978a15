package sfu_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/annotate"
	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/sfu"
)

// inspectLine is the inspector stream's JSON line (the contract of
// docs/DESIGN.md "Protocol inspector").
type inspectLine struct {
	Seq     uint64 `json:"seq"`
	MS      int64  `json:"ms"`
	Layer   string `json:"layer"`
	Dir     string `json:"dir"`
	Summary string `json:"summary"`
	Ref     string `json:"ref"`
	URL     string `json:"url"`
	Count   int    `json:"count"`
	Detail  []struct {
		Depth int    `json:"depth"`
		Name  string `json:"name"`
		Value string `json:"value"`
		Ref   string `json:"ref"`
		URL   string `json:"url"`
	} `json:"detail"`
}

// profileLog keeps the srtp_profile an endpoint logs when its DTLS
// handshake is done: what the participant's side negotiated.
type profileLog struct {
	mu      sync.Mutex
	profile string
}

func (h *profileLog) Enabled(context.Context, slog.Level) bool { return true }
func (h *profileLog) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *profileLog) WithGroup(string) slog.Handler            { return h }
func (h *profileLog) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "srtp_profile" {
			h.mu.Lock()
			h.profile = a.Value.String()
			h.mu.Unlock()
		}
		return true
	})
	return nil
}

func (h *profileLog) get() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.profile
}

// readInspector reads the SSE stream of url until done says it has what
// it needs or ctx ends; it returns the lines read and the response status.
func readInspector(t *testing.T, ctx context.Context, url string, done func([]inspectLine) bool) ([]inspectLine, int) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, resp.StatusCode
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("inspect Content-Type %q", ct)
	}
	var lines []inspectLine
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var l inspectLine
		if err := json.Unmarshal([]byte(data), &l); err != nil {
			t.Fatalf("inspector line %q: %v", data, err)
		}
		if len(lines) > 0 && l.Seq != lines[len(lines)-1].Seq+1 {
			t.Errorf("seq %d after %d", l.Seq, lines[len(lines)-1].Seq)
		}
		lines = append(lines, l)
		if done(lines) {
			break
		}
	}
	return lines, resp.StatusCode
}

func find(lines []inspectLine, ok func(inspectLine) bool) *inspectLine {
	for i := range lines {
		if ok(lines[i]) {
			return &lines[i]
		}
	}
	return nil
}

// With Config.Inspector on, a participant's inspector stream shows its
// STUN checks authenticated, the DTLS handshake with the SRTP profile its
// endpoint negotiated, its data channel, its RTP streams by SSRC, the
// room's renegotiation when another participant joins, each with an RFC
// link; only its own token opens it; its capture unzips to a corpus
// folder whose SRTP all authenticates.
func TestInspectorEndToEnd(t *testing.T) {
	_, base := startRoomServerWith(t, sfu.Config{Inspector: true})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	plog := &profileLog{}
	ann := joinRoomLogged(t, ctx, base, "insp", "Ann", slog.New(plog))
	ann.waitFor(ctx, "welcome", nil)
	bob := joinRoom(t, ctx, base, "insp", "Bob")
	ann.waitFor(ctx, "offer", nil)
	bob.waitFor(ctx, "offer", nil)
	if len(ann.inspect) != 32 || ann.inspect == bob.inspect || ann.inspect == ann.secret {
		t.Fatalf("inspect tokens %q and %q (secret %q): want distinct 128-bit hex", ann.inspect, bob.inspect, ann.secret)
	}
	// Media both ways for over two summary periods.
	got := 0
	for round := uint16(0); round < 10; round++ {
		ann.publish(t, 5, round*5)
		bob.publish(t, 5, round*5)
		rctx, rcancel := context.WithTimeout(ctx, 250*time.Millisecond)
		for {
			if _, err := ann.e.ReadRTP(rctx); err != nil {
				break
			}
			got++
		}
		rcancel()
	}
	if got == 0 {
		t.Fatal("Ann received none of Bob's packets")
	}
	profile := plog.get()
	if profile == "" {
		t.Fatal("Ann's endpoint logged no srtp_profile")
	}
	audio, _ := ann.e.Track("audio")
	video, _ := ann.e.Track("video")
	ssrcIn := func(ssrc uint32) func(inspectLine) bool {
		return func(l inspectLine) bool {
			return l.Layer == "rtp" && l.Dir == "in" && l.Count > 0 && strings.Contains(l.Summary, "SSRC "+strconv.FormatUint(uint64(ssrc), 10)+" ")
		}
	}
	checks := []struct {
		what string
		ok   func(inspectLine) bool
	}{
		{"STUN Binding request with integrity ok", func(l inspectLine) bool {
			return l.Layer == "stun" && l.Dir == "in" && strings.HasPrefix(l.Summary, "Binding request") && strings.Contains(l.Summary, "integrity ok")
		}},
		{"STUN Binding success response with integrity ok", func(l inspectLine) bool {
			return l.Layer == "stun" && l.Dir == "out" && strings.HasPrefix(l.Summary, "Binding success response") && strings.Contains(l.Summary, "integrity ok")
		}},
		{"nominated pair", func(l inspectLine) bool {
			return l.Layer == "ice" && strings.HasPrefix(l.Summary, "nominated pair") && strings.Contains(l.Summary, ann.e.LocalAddr().String())
		}},
		{"DTLS ClientHello offering use_srtp", func(l inspectLine) bool {
			return l.Layer == "dtls" && l.Dir == "out" && strings.Contains(l.Summary, "client_hello use_srtp") && strings.Contains(l.Summary, profile)
		}},
		{"DTLS ServerHello choosing the profile", func(l inspectLine) bool {
			return l.Layer == "dtls" && l.Dir == "in" && strings.Contains(l.Summary, "server_hello cipher_suite") && strings.Contains(l.Summary, "use_srtp "+profile+",")
		}},
		{"DTLS handshake complete with the endpoint's SRTP profile " + profile, func(l inspectLine) bool {
			return l.Layer == "dtls" && strings.Contains(l.Summary, "handshake complete") && strings.Contains(l.Summary, "SRTP profile "+profile)
		}},
		{"fingerprint matches", func(l inspectLine) bool {
			return l.Layer == "dtls" && strings.Contains(l.Summary, "certificate matches its a=fingerprint")
		}},
		{"SCTP association", func(l inspectLine) bool { return l.Layer == "sctp" && strings.Contains(l.Summary, "association") }},
		{"DCEP open of the signal channel", func(l inspectLine) bool {
			return l.Layer == "dcep" && strings.Contains(l.Summary, `label "signal"`) && strings.Contains(l.Summary, sfu.SignalProtocol)
		}},
		{"first offer/answer", func(l inspectLine) bool {
			return l.Layer == "sdp" && strings.HasPrefix(l.Summary, "offer/answer 1 (participant offered")
		}},
		{"renegotiation adding Bob's sections", func(l inspectLine) bool {
			return l.Layer == "sdp" && strings.HasPrefix(l.Summary, "renegotiation 2 (SFU offered") && strings.Contains(l.Summary, "added mid") &&
				!strings.Contains(l.Summary, "ICE restart")
		}},
		{"RTP summary of Ann's audio SSRC", ssrcIn(audio.SSRC)},
		{"RTP summary of Ann's video SSRC", ssrcIn(video.SSRC)},
		{"RTP summary of what the SFU sends Ann", func(l inspectLine) bool {
			return l.Layer == "rtp" && l.Dir == "out" && l.Count > 0 && !strings.Contains(l.Summary, "0 packets/s")
		}},
		{"RTCP summary", func(l inspectLine) bool { return l.Layer == "rtcp" && l.Count > 0 }},
	}
	url := base + "/api/rooms/insp/participants/" + ann.id
	sctx, scancel := context.WithTimeout(ctx, 10*time.Second)
	defer scancel()
	lines, code := readInspector(t, sctx, url+"/inspect?token="+ann.inspect, func(ls []inspectLine) bool {
		for _, c := range checks {
			if find(ls, c.ok) == nil {
				return false
			}
		}
		return true
	})
	if code != http.StatusOK {
		t.Fatalf("inspect: %d", code)
	}
	for _, c := range checks {
		if l := find(lines, c.ok); l == nil {
			t.Errorf("no line: %s", c.what)
		} else {
			t.Logf("%s: %s %s [%s]", c.what, l.Layer, l.Summary, l.Ref)
		}
	}
	for _, l := range lines {
		if testing.Verbose() {
			t.Logf("%d %d %s %s %s [%s] ×%d", l.Seq, l.MS, l.Layer, l.Dir, l.Summary, l.Ref, l.Count)
		}
		if l.Layer != "session" && (l.Ref == "" || !strings.HasPrefix(l.URL, "https://")) {
			t.Errorf("line without an RFC link: %+v", l)
		}
		if l.Ref != "" && l.URL != annotate.RefURL(l.Ref) {
			t.Errorf("line %d: url %q for ref %q", l.Seq, l.URL, l.Ref)
		}
	}
	if l := find(lines, ssrcIn(video.SSRC)); l != nil {
		if kf := strings.Contains(l.Summary, "keyframes ") && !strings.Contains(l.Summary, "keyframes 0"); !kf {
			t.Errorf("Ann's VP8 keyframes are not counted: %s", l.Summary)
		}
		if !strings.Contains(l.Summary, "VP8/90000") || !strings.Contains(l.Summary, "lost 0") {
			t.Errorf("video summary: %s", l.Summary)
		}
	}

	// Only Ann's token opens Ann's session.
	for _, tok := range []string{"", "00" + ann.inspect[2:], bob.inspect, ann.secret} {
		if _, code := readInspector(t, ctx, url+"/inspect?token="+tok, func([]inspectLine) bool { return true }); code != http.StatusForbidden {
			t.Errorf("inspect with token %q: %d, want 403", tok, code)
		}
		if code := getJSON(t, url+"/capture?token="+tok, nil); code != http.StatusForbidden {
			t.Errorf("capture with token %q: %d, want 403", tok, code)
		}
	}
	if code := getJSON(t, base+"/api/rooms/insp/participants/nobody/inspect?token="+ann.inspect, nil); code != http.StatusNotFound {
		t.Errorf("inspect of an unknown participant: %d", code)
	}
	if code := getJSON(t, base+"/api/rooms/other/participants/"+ann.id+"/capture?token="+ann.inspect, nil); code != http.StatusNotFound {
		t.Errorf("capture in another room: %d", code)
	}

	// The capture, after Ann leaves.
	body, _ := json.Marshal(map[string]string{"secret": ann.secret})
	resp, err := http.Post(url+"/leave", "application/json", bytes.NewReader(body))
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("leave: %v %v", err, resp.Status)
	}
	resp.Body.Close()
	resp, err = http.Get(url + "/capture?token=" + ann.inspect)
	if err != nil {
		t.Fatal(err)
	}
	zb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" ||
		resp.Header.Get("Content-Disposition") != `attachment; filename=plainrtc-insp-`+ann.id+`.zip` {
		t.Fatalf("capture: %s %q %q", resp.Status, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	dir := unzipTo(t, zb)
	s, err := conformance.Load(filepath.Join(dir, "plainrtc-insp-"+ann.id))
	if err != nil {
		t.Fatal(err)
	}
	if got := conformance.SRTPProfileName(s.SRTPProfile); got != profile {
		t.Errorf("capture's SRTP profile %s, endpoint's %s", got, profile)
	}
	checkRecording(t, s, 20, annotate.ToBrowser)

	// The ended session's stream: history, then "session ended", then the end.
	ectx, ecancel := context.WithTimeout(ctx, 5*time.Second)
	defer ecancel()
	lines, _ = readInspector(t, ectx, url+"/inspect?token="+ann.inspect, func([]inspectLine) bool { return false })
	if len(lines) == 0 || lines[len(lines)-1].Layer != "session" || !strings.HasPrefix(lines[len(lines)-1].Summary, "session ended: left") {
		t.Errorf("the ended session's stream does not end with its end (%d lines)", len(lines))
	}
	if ectx.Err() != nil {
		t.Error("the ended session's stream did not end by itself")
	}
}

func unzipTo(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range z.File {
		if strings.Contains(f.Name, "..") {
			t.Fatalf("zip entry %q", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Without Config.Inspector the join answer has no "inspect" token and the
// inspector's endpoints do not exist.
func TestInspectorOff(t *testing.T) {
	_, base := startRoomServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ann := joinRoom(t, ctx, base, "plain", "Ann")
	ann.waitFor(ctx, "welcome", nil)
	if ann.inspect != "" {
		t.Errorf("join answer carries inspect %q with the inspector off", ann.inspect)
	}
	for _, p := range []string{"/inspect?token=", "/capture?token="} {
		var e struct{ Error string }
		if code := getJSON(t, base+"/api/rooms/plain/participants/"+ann.id+p+ann.secret, &e); code != http.StatusNotFound || e.Error == "" {
			t.Errorf("%s with the inspector off: %d %q", p, code, e.Error)
		}
	}
}
