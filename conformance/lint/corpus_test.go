package lint_test

import (
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/conformance/lint"
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
		if len(passed) < 10 {
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
