package main

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// /healthz answers 200; /metrics is the Prometheus text format with the Go
// and process collectors and the SFU's plainrtc_… families, whose counters
// follow a live session, and no room name or session id in any label.
func TestHealthzAndMetrics(t *testing.T) {
	r := newRig(t, "127.0.0.1")
	resp, err := http.Get(r.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.TrimSpace(string(body)) != "ok" {
		t.Fatalf("/healthz: %d %q", resp.StatusCode, body)
	}

	const room = "metrics-secret-room"
	fake := newFakePeer(t, r.url, room, r.srv.MediaAddr())
	fake.connect(t)
	for range 20 {
		fake.send(t, fake.nextRTP(t))
	}
	for deadline := time.Now().Add(10 * time.Second); r.srv.Stats()["rtp.in"] < 20; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("rtp.in = %d after 10 s", r.srv.Stats()["rtp.in"])
		}
	}

	resp, err = http.Get(r.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	value := func(name string) float64 {
		m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("no sample %s in /metrics:\n%s", name, text)
		}
		v, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if value("go_goroutines") < 1 || value("process_open_fds") < 1 || value("process_resident_memory_bytes") < 1 {
		t.Fatal("Go or process collector reads zero")
	}
	if got := value("plainrtc_sessions"); got != 1 {
		t.Errorf("plainrtc_sessions %v, want 1", got)
	}
	if got := value("plainrtc_rtp_packets_received_total"); got < 20 {
		t.Errorf("plainrtc_rtp_packets_received_total %v, want >= 20", got)
	}
	families := regexp.MustCompile(`(?m)^# TYPE (plainrtc_\S+)`).FindAllStringSubmatch(text, -1)
	if len(families) < 10 {
		t.Errorf("%d plainrtc_ families, want at least 10", len(families))
	}
	if strings.Contains(text, room) {
		t.Error("the room name appears in /metrics")
	}
	for _, l := range regexp.MustCompile(`\{[^}]*\}`).FindAllString(text, -1) {
		if regexp.MustCompile(`[0-9a-f]{24}`).MatchString(l) {
			t.Errorf("a session id in a label: %s", l)
		}
	}
	if !strings.Contains(text, `plainrtc_packets_dropped_total{reason=`) {
		t.Error("no drop counters by reason")
	}
}
