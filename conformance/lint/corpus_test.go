package lint_test

import (
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/conformance/lint"
	"github.com/plainrtc/plainrtc/internal/demux"
)

// checkShape: one result per rule and direction of Rules' order, each
// naming an RFC section, a known verdict, and a detail.
func checkShape(t *testing.T, res []lint.Result) {
	t.Helper()
	perRule := map[string]int{}
	for _, r := range res {
		perRule[r.Rule]++
		if !strings.HasPrefix(r.RFC, "RFC ") || !strings.Contains(r.RFC, "§") {
			t.Errorf("%s cites %q", r.Rule, r.RFC)
		}
		if _, ok := severity[r.Verdict]; !ok {
			t.Errorf("%s verdict %q", r.Rule, r.Verdict)
		}
		if r.Detail == "" {
			t.Errorf("%s %s has no detail", r.Rule, r.Direction)
		}
		if r.Packets == nil {
			t.Errorf("%s packets is nil (JSON null), want []", r.Rule)
		}
	}
	for _, rule := range lint.Rules {
		n := perRule[rule.Name]
		if n != 1 && n != 2 {
			t.Errorf("%s has %d results, want 1 (session) or 2 (per direction)", rule.Name, n)
		}
	}
}

// On every corpus folder (media: Opus, VP8, a data channel) at least 10
// rules pass; the pion answerer's re-sent packets reuse SRTP indices.
func TestCorpus(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		res := lint.Lint(s)
		checkShape(t, res)
		passed := lint.Passing(res)
		t.Logf("%d rules pass: %v", len(passed), passed)
		for _, r := range res {
			if r.Verdict == lint.Violated || r.Verdict == lint.Warn {
				t.Logf("%v", r)
			}
		}
		if !s.Roles.HasKind("audio") && !s.Roles.HasKind("video") {
			// A data-only session as captured (dc-only): the data-only bar.
			if len(passed) < 6 {
				t.Errorf("%d rules pass on a data-only session, want at least 6", len(passed))
			}
		} else if len(passed) < 10 {
			t.Errorf("%d rules pass on a media session, want at least 10", len(passed))
		}
		// The browser's side: nothing violated.
		for _, r := range res {
			if r.Direction == browserDir(s) && r.Verdict == lint.Violated {
				t.Errorf("the browser violates %v", r)
			}
		}
		// The seeds' answerer is pion/webrtc (meta.json says which
		// version): its echo re-protects indices with other content.
		if _, ok := s.Meta["pion"]; ok {
			server := lint.FromAnswerer
			if s.Roles.Browser == conformance.Answerer {
				server = lint.FromOfferer
			}
			found := false
			for _, r := range lint.ByRule(res, "srtp-index-reuse") {
				found = found || (r.Direction == server && r.Verdict == lint.Violated && len(r.Packets) > 0)
			}
			if !found {
				t.Errorf("pion's index reuse not found: %v", lint.ByRule(res, "srtp-index-reuse"))
			}
		}
	})
}

// Every derived variant lints; the data-only one (no SRTP at all) still
// passes at least 6 rules, and its SRTP rules are n/a, not pass.
func TestCorpusDerived(t *testing.T) {
	conformance.ForEachDerived(t, func(t *testing.T, s *conformance.Session) {
		res := lint.Lint(s)
		checkShape(t, res)
		passed := lint.Passing(res)
		t.Logf("%d rules pass: %v", len(passed), passed)
		if s.Derived != "data-only" {
			return
		}
		if len(passed) < 6 {
			t.Errorf("%d rules pass on a data-only session, want at least 6", len(passed))
		}
		for _, rule := range []string{"srtp-authenticates", "srtcp-authenticates", "srtp-index-reuse", "rtp-payload-type", "rtcp-sr-monotonic"} {
			for _, r := range lint.ByRule(res, rule) {
				if r.Verdict != lint.NotApplicable {
					t.Errorf("data-only: %v, want n/a", r)
				}
			}
		}
	})
}

// The browser's own getStats (meta.json browser_report.inbound
// packetsReceived, recorded with the seeds) agrees with rtclint: every
// SRTP packet the server sent arrived, except those rtclint flags as
// reused indices or duplicates, which the browser's replay check dropped
// (RFC 3711 §3.3.2).
func TestCorpusReusedIndicesAreWhatTheBrowserDropped(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		report, _ := s.Meta["browser_report"].(map[string]any)
		inbound, _ := report["inbound"].([]any)
		if len(inbound) == 0 {
			t.Skip("meta.json has no browser_report.inbound")
		}
		received := 0
		for _, x := range inbound {
			m, _ := x.(map[string]any)
			n, ok := m["packetsReceived"].(float64)
			if !ok {
				t.Skipf("inbound stat without packetsReceived: %v", m)
			}
			received += int(n)
		}
		sent := 0
		for _, d := range s.Datagrams {
			if demux.Classify(d.Payload) == demux.RTP && s.FromServer(d) {
				sent++
			}
		}
		server := lint.FromAnswerer
		if s.Roles.Browser == conformance.Answerer {
			server = lint.FromOfferer
		}
		res := lint.Lint(s)
		dropped := 0
		for _, rule := range []string{"srtp-index-reuse", "srtp-duplicate", "srtp-authenticates"} {
			for _, r := range lint.ByRule(res, rule) {
				if r.Direction == server {
					dropped += len(r.Packets)
				}
			}
		}
		t.Logf("server sent %d SRTP packets, rtclint flags %d, the browser received %d", sent, dropped, received)
		if _, pion := s.Meta["pion"]; !pion {
			// cmd/capture's sessions with plainrtc's SFU: the browser may
			// also lose packets rtclint has no rule for (Firefox drops the
			// ones that arrive around an ICE restart's pair switch, or
			// before a new section's receiver exists); it never counts
			// more than the packets that can be received.
			if received > sent-dropped {
				t.Errorf("the browser reports %d received, more than the %d sent minus %d flagged", received, sent, dropped)
			} else if received < sent-dropped {
				t.Logf("the browser lost %d packets rtclint does not flag", sent-dropped-received)
			}
			return
		}
		if sent-dropped != received {
			t.Errorf("server sent %d SRTP packets and rtclint flags %d, but the browser reports %d received", sent, dropped, received)
		}
	})
}
