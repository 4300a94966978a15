package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/conformance/lint"
	"github.com/plainrtc/plainrtc/sfu"
)

// The JSON output is an array of objects with exactly the contract's
// fields, every verdict one of the four strings, every rule with an RFC
// section; the exit status follows the worst verdict.
func TestJSONContractAndExitStatus(t *testing.T) {
	dirs, err := conformance.Sessions()
	if err != nil || len(dirs) == 0 {
		t.Fatalf("corpus: %v (%d folders)", err, len(dirs))
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run([]string{"-json", dir}, &out, &errb)
			var rows []map[string]any
			if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
				t.Fatalf("output is not a JSON array: %v\n%s", err, out.String())
			}
			if len(rows) < len(lint.Rules) {
				t.Errorf("%d results for %d rules", len(rows), len(lint.Rules))
			}
			violated := false
			for _, r := range rows {
				for _, k := range []string{"rule", "rfc", "verdict", "packets", "detail"} {
					if _, ok := r[k]; !ok {
						t.Errorf("result %v has no %q", r, k)
					}
				}
				if _, ok := r["packets"].([]any); !ok {
					t.Errorf("packets of %v is not an array", r["rule"])
				}
				v, _ := r["verdict"].(string)
				switch v {
				case "pass", "violated", "warn", "n/a":
				default:
					t.Errorf("verdict %q", v)
				}
				violated = violated || v == "violated"
				if rfc, _ := r["rfc"].(string); !strings.HasPrefix(rfc, "RFC ") || !strings.Contains(rfc, "§") {
					t.Errorf("rule %v cites %q, want an RFC section", r["rule"], rfc)
				}
			}
			want := 0
			if violated {
				want = 1
			}
			if code != want {
				t.Errorf("exit %d, want %d (violated: %v); stderr %s", code, want, violated, errb.String())
			}
		})
	}
}

// Unreadable input exits 2; so does a bad command line.
func TestExitUnreadable(t *testing.T) {
	empty := t.TempDir()
	var out, errb bytes.Buffer
	if code := run([]string{empty}, &out, &errb); code != 2 {
		t.Errorf("empty folder: exit %d, want 2", code)
	}
	bad := t.TempDir()
	f, err := conformance.ReadFiles(conformance.CorpusDir() + "/chromium-156-av-dc")
	if err != nil {
		t.Fatal(err)
	}
	f.Capture = []byte("not a capture")
	if err := f.WriteDir(bad); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{bad}, &out, &errb); code != 2 {
		t.Errorf("malformed capture: exit %d, want 2", code)
	}
	if code := run(nil, &out, &errb); code != 2 {
		t.Errorf("no arguments: exit %d, want 2", code)
	}
}

// rtclint -whip against plainrtc's own SFU: the endpoint publishes Opus
// and VP8 for a few seconds, the session is recorded, and no rule is
// violated.
func TestWHIPAgainstPlainrtcSFU(t *testing.T) {
	s, err := sfu.New(sfu.Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() { hs.Close(); s.Close() })
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"-json", "-whip", hs.URL + "/whip/lint", "-out", out, "-for", "3s"}, &stdout, &stderr)
	var results []lint.Result
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
		t.Fatalf("exit %d, output not JSON: %v\nstdout %s\nstderr %s", code, err, stdout.String(), stderr.String())
	}
	for _, r := range results {
		t.Logf("%v", r)
	}
	if code != 0 {
		t.Errorf("exit %d, want 0 (no violation)", code)
	}
	for _, r := range results {
		if r.Verdict == lint.Violated {
			t.Errorf("plainrtc SFU violates %s (%s): %s", r.Rule, r.RFC, r.Detail)
		}
	}
	// The recording holds media both ways' worth of rules: SRTP from the
	// endpoint, SRTCP, DTLS, STUN.
	passed := lint.Passing(results)
	for _, rule := range []string{"stun-message-integrity", "stun-fingerprint", "dtls-certificate-fingerprint", "dtls-role-matches-setup", "srtp-authenticates", "srtcp-authenticates", "rtp-payload-type", "jsep-answer-mline-order"} {
		if !contains(passed, rule) {
			t.Errorf("rule %s did not pass on the recording: %v", rule, lint.ByRule(results, rule))
		}
	}
	for _, f := range []string{"offer.sdp", "answer.sdp", "keylog.txt", "session.pcapng", "meta.json"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("recording lacks %s: %v", f, err)
		}
	}
}

func contains(v []string, s string) bool {
	for _, x := range v {
		if x == s {
			return true
		}
	}
	return false
}
