package browsertest

import (
	"os"
	"os/exec"
	"testing"
)

// Kind names a browser this package can launch.
type Kind string

const (
	Chromium Kind = "chromium"
	Firefox  Kind = "firefox-esr"
)

// RequireEnv is the environment variable that turns a missing browser from a
// skip into a failure (set by .ci/run).
const RequireEnv = "PLAINRTC_REQUIRE_BROWSER"

// Required reports whether browser tests must run (PLAINRTC_REQUIRE_BROWSER=1).
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// Require returns the path of the browser's binary. When it is missing the
// test is skipped with a clear message, or fails when PLAINRTC_REQUIRE_BROWSER=1.
func Require(t testing.TB, k Kind) string {
	t.Helper()
	path, err := exec.LookPath(string(k))
	if err == nil {
		return path
	}
	missing(t, "%s not found on PATH (%v); install it (apt-get install %s) to run this test", k, err, k)
	return ""
}

// missing skips the test, or fails it when browsers are required.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if Required() {
		t.Fatalf("browser test cannot run but "+RequireEnv+"=1: "+format, args...)
	}
	t.Skipf("skipping browser test: "+format, args...)
}
