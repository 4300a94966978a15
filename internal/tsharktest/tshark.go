// Package tsharktest finds tshark for the tests that use Wireshark's
// dissectors as an independent decoder. Without tshark such a test skips,
// saying what is missing, unless PLAINRTC_REQUIRE_BROWSER=1 (set by
// .ci/run, which installs tshark with the browsers): then it fails, so a
// cross-check never passes in CI by not running.
package tsharktest

import (
	"os"
	"os/exec"
	"testing"
)

// RequireEnv is the variable that turns a missing tool into a failure.
const RequireEnv = "PLAINRTC_REQUIRE_BROWSER"

// Path returns tshark's path. If tshark is not on PATH it fails t when
// PLAINRTC_REQUIRE_BROWSER=1 and skips t otherwise; what names the check
// that needs it.
func Path(t testing.TB, what string) string {
	t.Helper()
	p, err := exec.LookPath("tshark")
	if err == nil {
		return p
	}
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("tshark not found (%v) and %s=1: %s cannot run (.ci/run installs tshark; apt-get install tshark)", err, RequireEnv, what)
	}
	t.Skipf("tshark not installed: %s skipped (set %s=1 to fail instead)", what, RequireEnv)
	return ""
}
