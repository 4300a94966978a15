package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/browsertest"
)

// One short scenario with headless Chromium, end to end: the folder it
// writes loads as a corpus session, has media both ways (at least 100
// SRTP packets each way and SRTCP, as the tool itself insists), says what
// was recorded in meta.json, and, when dumpcap is installed, matched the
// kernel's capture. Fails (does not skip) without Chromium when
// PLAINRTC_REQUIRE_BROWSER=1.
func TestCaptureChromiumAVDC(t *testing.T) {
	browsertest.Require(t, browsertest.Chromium)
	if testing.Short() {
		t.Skip("records a 10 s browser session")
	}
	out := filepath.Join(t.TempDir(), "chromium-av-dc")
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"-browser", "chromium", "-scenario", "av-dc", "-out", out, "-truth=false"}, &stdout); err != nil {
		t.Fatal(err)
	}
	t.Log(stdout.String())
	for _, f := range []string{"offer.sdp", "answer.sdp", "offer-2.sdp", "answer-2.sdp", "keylog.txt", "session.pcapng", "meta.json", "browser-version.txt"} {
		if b, err := os.ReadFile(filepath.Join(out, f)); err != nil || len(b) == 0 {
			t.Errorf("%s: %v (%d bytes)", f, err, len(b))
		}
	}
	var meta struct {
		Scenario, Dumpcap string
		Counts            legCounts
		BrowserReport     struct{ Inbound, Outbound []map[string]any } `json:"browser_report"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "meta.json"))
	if err := json.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Scenario != "av-dc" || len(meta.BrowserReport.Inbound) == 0 || len(meta.BrowserReport.Outbound) == 0 {
		t.Errorf("meta.json: %s", b)
	}
	s, err := conformance.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := countLeg(out)
	if err != nil {
		t.Fatal(err)
	}
	if c != meta.Counts || c.SRTPFrom < minPackets || c.SRTPTo < minPackets || c.SRTCPFrom == 0 || c.SRTCPTo == 0 || c.NotVerified != 0 {
		t.Errorf("counts %+v, meta.json says %+v", c, meta.Counts)
	}
	if r := s.Roles.Check(); len(r) != 0 {
		t.Errorf("roles: %v", r)
	}
	if strings.Contains(meta.Dumpcap, "not installed") {
		t.Log(meta.Dumpcap)
	} else if !strings.HasPrefix(meta.Dumpcap, "dumpcap saw the same") {
		t.Errorf("dumpcap: %s", meta.Dumpcap)
	}
}

// Unknown and unsupported scenarios are refused with the reason.
func TestScenarioNames(t *testing.T) {
	if _, err := lookupScenario("simulcast"); err == nil || !strings.Contains(err.Error(), "simulcast") {
		t.Errorf("simulcast: %v", err)
	}
	if _, err := lookupScenario("nope"); err == nil || !strings.Contains(err.Error(), "av-dc") {
		t.Errorf("nope: %v", err)
	}
	for name := range scenarios {
		if sc, err := lookupScenario(name); err != nil || sc.name != name || sc.doc == "" {
			t.Errorf("%s: %+v %v", name, sc, err)
		}
	}
}
