package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/internal/browsertest"
	"github.com/plainrtc/plainrtc/sfu"
)

// Upper bounds for what the browsers report. Passing runs take a few
// seconds; the bounds are generous because a loaded 2-core CI machine
// running -race starts a browser slowly.
const (
	startTimeout = 60 * time.Second // browser start, getUserMedia, ICE, DTLS
	flowTimeout  = 30 * time.Second // media or messages once connected
)

// rig is an SFU and the demo page on an HTTP test server, with a collector
// for what the pages report.
type rig struct {
	srv  *sfu.Server
	url  string
	col  *browsertest.Collector
	logs *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newRig starts the SFU with its media socket on ip (port chosen by the
// system). The page is served on 127.0.0.1, which browsers treat as a
// secure context (getUserMedia needs one); inside the Firefox network
// namespace lo is up too, while media goes to the namespace's veth address.
func newRig(t *testing.T, ip string) *rig {
	t.Helper()
	logs := &syncBuffer{}
	srv, err := sfu.New(sfu.Config{
		UDP:    netip.AddrPortFrom(netip.MustParseAddr(ip), 0),
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	col := browsertest.NewCollector()
	hs := httptest.NewUnstartedServer(newHandler(srv, col))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	r := &rig{srv: srv, url: hs.URL, col: col, logs: logs}
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
		if t.Failed() {
			t.Logf("SFU log:\n%s", logs.String())
			t.Logf("SFU stats: %v", srv.Stats())
		}
	})
	return r
}

// statsReport is what app.js posts with kind "stats".
type statsReport struct {
	Role  string
	State string
	Stats map[string]struct {
		Packets          float64
		Bytes            float64
		FramesDecoded    float64
		FramesEncoded    float64
		AudioLevel       float64
		TotalAudioEnergy float64
		Codec            string
		DtlsState        string
		SrtpCipher       string
		PliCount         float64
		PacketsLost      float64
		ReportsSent      float64
		// RoundTripTime is set on remote-inbound-rtp when the SFU's
		// receiver reports carry LSR/DLSR for the browser's sender reports.
		RoundTripTime float64
	}
}

func decodeStats(t *testing.T, r browsertest.Report) statsReport {
	var s statsReport
	if err := r.Decode(&s); err != nil {
		t.Fatalf("stats report %s: %v", r.Raw, err)
	}
	return s
}

// playing reports whether a player's stats show audio and video arriving
// and decoded, with a non-zero audio level.
func playing(s statsReport, minPackets float64) bool {
	a, v := s.Stats["inbound-rtp.audio"], s.Stats["inbound-rtp.video"]
	return s.Role == "play" && a.Packets >= minPackets && v.Packets >= minPackets && v.FramesDecoded > 0 && a.AudioLevel > 0
}

// publishAndPlay opens a publisher page in pub and a player page in play,
// and waits until the player decodes media. It returns the last player
// stats.
func (r *rig) publishAndPlay(t *testing.T, pub, play browsertest.Kind, room string) statsReport {
	t.Helper()
	browsertest.Require(t, pub)
	browsertest.Require(t, play)
	browsertest.Launch(t, pub, fmt.Sprintf("%s/test.html?room=%s&do=publish&report=1", r.url, room))
	r.col.WaitKind(t, startTimeout, "state", func(rep browsertest.Report) bool {
		s := decodeStats(t, rep)
		return s.Role == "publish" && s.State == "connected"
	})
	browsertest.Launch(t, play, fmt.Sprintf("%s/test.html?room=%s&do=play&report=1", r.url, room))
	rep := r.col.WaitKind(t, startTimeout, "stats", func(rep browsertest.Report) bool {
		return playing(decodeStats(t, rep), 5)
	})
	s := decodeStats(t, rep)
	t.Logf("player stats: %+v", s.Stats)
	return s
}

// checkRTCPTermination checks, from both browsers' stats, that the SFU's
// own RTCP reached them: the publisher counts a PLI (sent when the player
// joined) and has a round-trip time from the SFU's receiver reports; the
// player has remote-outbound-rtp entries from the SFU's sender reports.
func (r *rig) checkRTCPTermination(t *testing.T) {
	t.Helper()
	pub := decodeStats(t, r.col.WaitKind(t, flowTimeout, "stats", func(rep browsertest.Report) bool {
		s := decodeStats(t, rep)
		v, rtt := s.Stats["outbound-rtp.video"], s.Stats["remote-inbound-rtp.video"]
		return s.Role == "publish" && v.PliCount >= 1 && rtt.RoundTripTime > 0
	}))
	play := decodeStats(t, r.col.WaitKind(t, flowTimeout, "stats", func(rep browsertest.Report) bool {
		s := decodeStats(t, rep)
		return s.Role == "play" && s.Stats["remote-outbound-rtp.video"].ReportsSent >= 1 && s.Stats["remote-outbound-rtp.audio"].ReportsSent >= 1
	}))
	t.Logf("publisher: PLIs received %v, RTT from the SFU's RRs %v s; player: SRs received video %v audio %v",
		pub.Stats["outbound-rtp.video"].PliCount, pub.Stats["remote-inbound-rtp.video"].RoundTripTime,
		play.Stats["remote-outbound-rtp.video"].ReportsSent, play.Stats["remote-outbound-rtp.audio"].ReportsSent)
}

func TestChromiumToChromium(t *testing.T) {
	t.Parallel() // browser tests mostly wait (start-up, timers); running them together keeps the package short
	browsertest.Require(t, browsertest.Chromium)
	r := newRig(t, "127.0.0.1")
	r.publishAndPlay(t, browsertest.Chromium, browsertest.Chromium, "cc")
	r.checkRTCPTermination(t)
}

// A data channel opened by Chromium reaches the SFU over SCTP/DTLS, is
// opened with DCEP, and every message comes back.
func TestDataChannelEchoChromium(t *testing.T) {
	t.Parallel() // browser tests mostly wait (start-up, timers); running them together keeps the package short
	browsertest.Require(t, browsertest.Chromium)
	r := newRig(t, "127.0.0.1")
	r.echo(t, browsertest.Chromium)
}

// The same with Firefox (its own SCTP stack), in a network namespace.
func TestDataChannelEchoFirefox(t *testing.T) {
	t.Parallel() // browser tests mostly wait (start-up, timers); running them together keeps the package short
	browsertest.Require(t, browsertest.Firefox)
	if !browsertest.InNetns(t) {
		return
	}
	r := newRig(t, browsertest.NetnsServerIP)
	r.echo(t, browsertest.Firefox)
}

func (r *rig) echo(t *testing.T, k browsertest.Kind) {
	t.Helper()
	browsertest.Launch(t, k, r.url+"/test.html?room=dc&do=echo&report=1")
	r.col.WaitKind(t, startTimeout, "channel", nil)
	for i := 0; i < 3; i++ {
		want := fmt.Sprintf("ping %d", i)
		r.col.WaitKind(t, flowTimeout, "echo", func(rep browsertest.Report) bool {
			var e struct{ Data string }
			return rep.Decode(&e) == nil && e.Data == want
		})
	}
}

// Firefox publishes, Chromium plays. Firefox gathers no loopback
// candidates, so the SFU, the page and both browsers run inside a network
// namespace of the test's own (BROWSERS.md).
func TestFirefoxToChromium(t *testing.T) {
	t.Parallel() // browser tests mostly wait (start-up, timers); running them together keeps the package short
	browsertest.Require(t, browsertest.Firefox)
	browsertest.Require(t, browsertest.Chromium)
	if !browsertest.InNetns(t) {
		return
	}
	r := newRig(t, browsertest.NetnsServerIP)
	r.publishAndPlay(t, browsertest.Firefox, browsertest.Chromium, "fc")
}

// Chromium publishes, Firefox plays, in a network namespace.
func TestChromiumToFirefox(t *testing.T) {
	t.Parallel() // browser tests mostly wait (start-up, timers); running them together keeps the package short
	browsertest.Require(t, browsertest.Firefox)
	browsertest.Require(t, browsertest.Chromium)
	if !browsertest.InNetns(t) {
		return
	}
	r := newRig(t, browsertest.NetnsServerIP)
	r.publishAndPlay(t, browsertest.Chromium, browsertest.Firefox, "cf")
}

// The publisher of a room leaves (its WHIP session is DELETEd) and another
// publishes: the player, without renegotiating, goes on decoding the new
// source, and because the SFU keeps sequence numbers continuous across
// the switch its packetsLost stays small (a jump would count as thousands
// of lost packets).
func TestPublisherSwitchChromium(t *testing.T) {
	t.Parallel() // browser tests mostly wait (start-up, timers); running them together keeps the package short
	browsertest.Require(t, browsertest.Chromium)
	r := newRig(t, "127.0.0.1")
	r.publishAndPlay(t, browsertest.Chromium, browsertest.Chromium, "sw")
	var loc string
	r.col.WaitKind(t, time.Second, "session", func(rep browsertest.Report) bool {
		var s struct{ Role, Location string }
		if rep.Decode(&s) == nil && s.Role == "publish" {
			loc = s.Location
			return true
		}
		return false
	})
	req, _ := http.NewRequest(http.MethodDelete, r.url+loc, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("DELETE %s: %d", loc, resp.StatusCode)
	}
	// The player's counters once the first publisher is gone: its second
	// stats report after the DELETE returned (the first may have been
	// taken before), waited for rather than slept for.
	seen, fresh, i := len(r.col.All()), 0, 0
	before := decodeStats(t, r.col.WaitKind(t, flowTimeout, "stats", func(rep browsertest.Report) bool {
		// Wait hands reports over oldest first, each once per call.
		if i++; i <= seen || decodeStats(t, rep).Role != "play" {
			return false
		}
		fresh++
		return fresh == 2
	}))
	start := time.Now()
	browsertest.Launch(t, browsertest.Chromium, r.url+"/test.html?room=sw&do=publish&report=1")
	a0, v0 := before.Stats["inbound-rtp.audio"], before.Stats["inbound-rtp.video"]
	rep := r.col.WaitKind(t, startTimeout, "stats", func(rep browsertest.Report) bool {
		s := decodeStats(t, rep)
		a, v := s.Stats["inbound-rtp.audio"], s.Stats["inbound-rtp.video"]
		return s.Role == "play" && a.Packets > a0.Packets+50 && v.FramesDecoded > v0.FramesDecoded+10
	})
	after := decodeStats(t, rep)
	a, v := after.Stats["inbound-rtp.audio"], after.Stats["inbound-rtp.video"]
	t.Logf("player across the switch (%v after the new publisher started): audio packets %v -> %v, lost %v; video frames %v -> %v, lost %v",
		time.Since(start).Round(time.Millisecond), a0.Packets, a.Packets, a.PacketsLost, v0.FramesDecoded, v.FramesDecoded, v.PacketsLost)
	if a.PacketsLost > 50 || v.PacketsLost > 50 {
		t.Fatalf("packetsLost audio %v video %v after the switch: sequence numbers jumped", a.PacketsLost, v.PacketsLost)
	}
	// Both of the player's streams went through the rewriter's switch.
	if n := r.srv.Stats()["rtp.source_switches"]; n < 2 {
		t.Fatalf("rtp.source_switches = %d, want 2 (audio and video)", n)
	}
}
