package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/internal/browsertest"
)

// GStreamer's webrtcbin is a WebRTC stack independent of ours and of the
// browsers' (libnice for ICE, OpenSSL DTLS, libsrtp, usrsctp). The script
// testdata/gst_whip.py drives it through GObject introspection with Debian's
// own Python; the packages are in .ci/run.
const (
	gstPython = "/usr/bin/python3" // Debian's, which has python3-gi; not a pyenv one on PATH
	gstScript = "testdata/gst_whip.py"
	// gstDeadline bounds the whole test: GStreamer start-up, both
	// sessions, the echo and the teardown take about 15 s when it passes.
	gstDeadline = 55 * time.Second
	// gstPlaySeconds is how long the player counts after connecting.
	gstPlaySeconds = 4
	// gstOfferMaxMessageSize is what the publisher's offer advertises:
	// webrtcbin 1.22 writes no a=max-message-size and then sends at most
	// 64 KiB (RFC 8841 §6.1's default for its own side), so the script adds
	// the attribute, the way an application can, to let the message be as
	// large as the SFU's answer advertises.
	gstOfferMaxMessageSize = 262144
)

// gstResult is the script's last line ({"event": "result", ...}); the
// fields are those gst_whip.py fills in.
type gstResult struct {
	Event           string
	Mode            string
	OK              bool
	Gstreamer       string
	Errors          []string
	ICEState        string   `json:"ice_state"`
	ConnectionState string   `json:"connection_state"`
	DTLSState       string   `json:"dtls_state"`
	HTTPStatus      int      `json:"http_status"`
	DeleteStatus    int      `json:"delete_status"`
	OfferRtpmaps    []string `json:"offer_rtpmaps"`
	AnswerRtpmaps   []string `json:"answer_rtpmaps"`
	AnswerSetup     []string `json:"answer_setup"`
	// publish
	OfferMaxMessageSize     *int `json:"offer_max_message_size"`
	WebrtcbinMaxMessageSize *int `json:"webrtcbin_max_message_size"`
	Messages                []struct {
		Size, Fragments int
		EchoBytes       int `json:"echo_bytes"`
		OK              bool
	}
	AnswerMaxMessageSize *int `json:"answer_max_message_size"`
	ChannelOpen          bool `json:"channel_open"`
	MessageSize          int  `json:"message_size"`
	BytesSent            int  `json:"bytes_sent"`
	EchoBytes            int  `json:"echo_bytes"`
	EchoOK               bool `json:"echo_ok"`
	// play
	AudioDepayloaded int    `json:"audio_depayloaded"`
	AudioDecoded     int    `json:"audio_decoded"`
	VideoDepayloaded int    `json:"video_depayloaded"`
	VideoKeyframes   int    `json:"video_keyframes"`
	VideoDecoded     int    `json:"video_decoded"`
	VideoSize        string `json:"video_size"`
	// "echo": bytes back and whether they are the message.
	Bytes int
	// Missing packages, from "check".
	MissingPackages []string `json:"missing_packages"`

	raw string // the line as printed
}

// gstProc is one run of the script: its events (one JSON object a line on
// stdout) and its stderr.
type gstProc struct {
	name   string
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	events chan gstResult
	stderr *syncBuffer
	done   chan struct{}
}

// gstEnv is the environment without the Python variables of another
// interpreter, which would make Debian's python3 load the wrong modules.
func gstEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PYTHON") || strings.HasPrefix(kv, "VIRTUAL_ENV=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// startGst runs gst_whip.py with args in its own process group, killed by
// its id when the test ends.
func startGst(t *testing.T, ctx context.Context, name string, args ...string) *gstProc {
	t.Helper()
	cmd := exec.CommandContext(ctx, gstPython, append([]string{gstScript}, args...)...)
	cmd.Env = gstEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	p := &gstProc{name: name, cmd: cmd, events: make(chan gstResult, 16), stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s %s: %v", gstPython, gstScript, err)
	}
	pid := cmd.Process.Pid
	go func() {
		defer close(p.done)
		defer close(p.events)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			var e gstResult
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				fmt.Fprintf(p.stderr, "test: %s printed a line that is not JSON: %q\n", name, sc.Text())
				continue
			}
			e.raw = sc.Text()
			p.events <- e
		}
		_ = cmd.Wait()
	}()
	t.Cleanup(func() {
		p.stdin.Close()
		_ = syscall.Kill(-pid, syscall.SIGKILL) // the group this test created, by its id
		for range p.events {
		}
		<-p.done
		if t.Failed() {
			t.Logf("%s stderr:\n%s", name, p.stderr.String())
		}
	})
	return p
}

// wait returns the next event named one of names, or fails the test when
// the script ends, reports its result first, or ctx ends.
func (p *gstProc) wait(t *testing.T, ctx context.Context, names ...string) gstResult {
	t.Helper()
	for {
		select {
		case e, ok := <-p.events:
			if !ok {
				t.Fatalf("%s exited (%v) before reporting %v", p.name, p.cmd.ProcessState, names)
			}
			for _, n := range names {
				if e.Event == n {
					return e
				}
			}
			if e.Event == "result" {
				t.Fatalf("%s finished before reporting %v: %s", p.name, names, e.raw)
			}
		case <-ctx.Done():
			t.Fatalf("%s did not report %v within %v", p.name, names, gstDeadline)
		}
	}
}

// requireGStreamer skips the test (or fails it when
// PLAINRTC_REQUIRE_BROWSER=1, as in CI) unless Debian's python3 and every
// GStreamer element the script uses are installed.
func requireGStreamer(t *testing.T) {
	t.Helper()
	missing := func(format string, args ...any) {
		t.Helper()
		if browsertest.Required() {
			t.Fatalf("GStreamer test cannot run but "+browsertest.RequireEnv+"=1: "+format, args...)
		}
		t.Skipf("skipping GStreamer test: "+format, args...)
	}
	if _, err := os.Stat(gstPython); err != nil {
		missing("%s: %v (apt-get install python3-gi python3-gst-1.0)", gstPython, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, gstPython, gstScript, "check")
	cmd.Env = gstEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var c gstResult
	jerr := json.Unmarshal(bytes.TrimSpace(out), &c)
	if jerr == nil && len(c.MissingPackages) > 0 {
		missing("%s lacks elements the script uses; apt-get install %s", c.Gstreamer, strings.Join(c.MissingPackages, " "))
	}
	if jerr != nil || err != nil {
		missing("%s %s check: %v; %s%s (apt-get install python3-gi python3-gst-1.0 gir1.2-gst-plugins-bad-1.0 gir1.2-gst-plugins-base-1.0)",
			gstPython, gstScript, err, stderr.Bytes(), out)
	}
}

// statsPeak samples the SFU's counters until stop is closed and keeps the
// largest value of each: the per-session counters leave the sum when a
// session ends, so the peak is what both sessions carried together.
func statsPeak(r *rig, stop <-chan struct{}) func() map[string]uint64 {
	var mu sync.Mutex
	peak := map[string]uint64{}
	sample := func() {
		mu.Lock()
		defer mu.Unlock()
		for k, v := range r.srv.Stats() {
			peak[k] = max(peak[k], v)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			sample()
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	return func() map[string]uint64 {
		<-done
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// GStreamer publishes Opus and VP8 with WHIP and opens a data channel;
// while it publishes, a second webrtcbin plays the room with WHEP. The
// publisher's ICE and DTLS connect; a 64 KiB data-channel message and then
// one of exactly the size the answer advertises (a=max-message-size, RFC
// 8841 §6.1; the offer advertises gstOfferMaxMessageSize) come back byte for
// byte; the player depayloads and decodes video frames and audio; and the
// SFU's counters show what it received and forwarded.
func TestGStreamerPublishAndPlay(t *testing.T) {
	t.Parallel() // mostly waits for GStreamer; runs beside the browser tests
	requireGStreamer(t)
	r := newRig(t, "127.0.0.1")
	ctx, cancel := context.WithTimeout(context.Background(), gstDeadline)
	defer cancel()
	stopStats := make(chan struct{})
	peak := statsPeak(r, stopStats)
	defer func() {
		select {
		case <-stopStats:
		default:
			close(stopStats)
		}
	}()

	const room = "gst"
	common := []string{"--url", r.url, "--room", room, "--local-ip", "127.0.0.1", "--timeout", "45"}
	pub := startGst(t, ctx, "publisher", append([]string{"publish", "--offer-max-message-size", fmt.Sprint(gstOfferMaxMessageSize)}, common...)...)
	c := pub.wait(t, ctx, "connected")
	t.Logf("publisher connected: ICE %s, DTLS %s", c.ICEState, c.DTLSState)
	// The player joins while the publisher sends; the publisher goes on
	// until its stdin closes.
	play := startGst(t, ctx, "player", append([]string{"play", "--seconds", fmt.Sprint(gstPlaySeconds)}, common...)...)
	pr := play.wait(t, ctx, "result")
	// The echo (or the script's verdict that none came within its
	// --echo-timeout) before the publisher is told to stop.
	e := pub.wait(t, ctx, "echo")
	t.Logf("publisher's echo: %d bytes, identical %v", e.Bytes, e.OK)
	pub.stdin.Close()
	pu := pub.wait(t, ctx, "result")
	close(stopStats)
	stats := peak()
	t.Logf("publisher: %s", pu.raw)
	t.Logf("player: %s", pr.raw)
	t.Logf("SFU counters at their peak: rtp.in %d rtp.out %d rtcp.in %d rtcp.out %d sessions %d",
		stats["rtp.in"], stats["rtp.out"], stats["rtcp.in"], stats["rtcp.out"], stats["sessions"])

	// The publisher: signaling, ICE, DTLS, and the echo.
	if pu.HTTPStatus != 201 || pu.ConnectionState != "connected" || pu.DTLSState != "connected" {
		t.Errorf("publisher: POST %d, connection %q, DTLS %q; want 201, connected, connected",
			pu.HTTPStatus, pu.ConnectionState, pu.DTLSState)
	}
	// The message is as large as the answer lets the publisher send and
	// its own offer lets the SFU echo (RFC 8841 §6.1; 64 KiB where a side
	// advertises nothing); the script first sends 64 KiB, then that.
	want := 65536
	if pu.AnswerMaxMessageSize != nil && *pu.AnswerMaxMessageSize > 0 {
		want = *pu.AnswerMaxMessageSize
	} else {
		t.Logf("the WHIP answer advertises no a=max-message-size (or 0); RFC 8841 §6.1 gives 64 KiB")
	}
	if pu.OfferMaxMessageSize == nil || *pu.OfferMaxMessageSize != gstOfferMaxMessageSize {
		t.Errorf("publisher's offer advertised a=max-message-size %v, want %d", pu.OfferMaxMessageSize, gstOfferMaxMessageSize)
	}
	want = min(want, gstOfferMaxMessageSize)
	switch {
	case !pu.ChannelOpen:
		t.Errorf("publisher: the data channel never opened")
	case pu.MessageSize != want:
		t.Errorf("publisher's message size %d, want the advertised %d", pu.MessageSize, want)
	case len(pu.Messages) == 0 || pu.Messages[len(pu.Messages)-1].Size != want:
		t.Errorf("publisher sent %+v, want the last message of %d bytes", pu.Messages, want)
	}
	for _, m := range pu.Messages {
		if !m.OK || m.EchoBytes != m.Size {
			t.Errorf("echo of the %d-byte message: %d bytes back, identical %v", m.Size, m.EchoBytes, m.OK)
		} else {
			t.Logf("echo of the %d-byte message identical (webrtcbin delivered it in %d pieces)", m.Size, m.Fragments)
		}
	}
	if !pu.EchoOK {
		t.Errorf("publisher: the echo is not complete (messages: %+v)", pu.Messages)
	}
	if pu.DeleteStatus != 200 {
		t.Errorf("publisher's DELETE: %d, want 200", pu.DeleteStatus)
	}
	for _, e := range pu.Errors {
		t.Errorf("publisher: %s", e)
	}

	// The player: what came out of its depayloaders and decoders over
	// gstPlaySeconds (the test sources make 30 frames and 50 Opus packets
	// a second; a third of that is enough to show flow on a loaded machine).
	if pr.HTTPStatus != 201 || pr.ConnectionState != "connected" || pr.DTLSState != "connected" {
		t.Errorf("player: POST %d, connection %q, DTLS %q; want 201, connected, connected",
			pr.HTTPStatus, pr.ConnectionState, pr.DTLSState)
	}
	if least := gstPlaySeconds * 30 / 3; pr.VideoDecoded < least || pr.VideoKeyframes < 1 {
		t.Errorf("player decoded %d video frames (%d depayloaded, %d keyframes), want at least %d and a keyframe",
			pr.VideoDecoded, pr.VideoDepayloaded, pr.VideoKeyframes, least)
	}
	if pr.VideoSize != "320x240" {
		t.Errorf("player's decoded video is %q, want the publisher's 320x240", pr.VideoSize)
	}
	if least := gstPlaySeconds * 50 / 3; pr.AudioDecoded < least {
		t.Errorf("player decoded %d audio buffers (%d depayloaded), want at least %d; player offered %v, SFU answered %v",
			pr.AudioDecoded, pr.AudioDepayloaded, least, pr.OfferRtpmaps, pr.AnswerRtpmaps)
	}
	if pr.DeleteStatus != 200 {
		t.Errorf("player's DELETE: %d, want 200", pr.DeleteStatus)
	}
	for _, e := range pr.Errors {
		t.Errorf("player: %s", e)
	}

	// The SFU's side of it: both sessions at once, packets in from the
	// publisher, and out to the player at least half of what the player
	// counted (the peak is sampled every 50 ms while the player's session
	// lives; every video frame and audio packet took one packet or more).
	if stats["sessions"] < 2 {
		t.Errorf("SFU sessions peaked at %d, want 2", stats["sessions"])
	}
	received := uint64(pr.VideoDepayloaded + pr.AudioDepayloaded)
	if in := stats["rtp.in"]; in < received || in == 0 {
		t.Errorf("SFU rtp.in peaked at %d, below what the player received (%d video frames + %d audio packets)",
			in, pr.VideoDepayloaded, pr.AudioDepayloaded)
	}
	if out := stats["rtp.out"]; out < received/2 || out == 0 {
		t.Errorf("SFU rtp.out peaked at %d, less than half of what the player received (%d video frames + %d audio packets)",
			out, pr.VideoDepayloaded, pr.AudioDepayloaded)
	}
	if stats["rtcp.in"] == 0 || stats["rtcp.out"] == 0 {
		t.Errorf("SFU RTCP: %d in, %d out; want both sides reporting", stats["rtcp.in"], stats["rtcp.out"])
	}
}
