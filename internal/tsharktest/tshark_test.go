package tsharktest

import (
	"os/exec"
	"testing"
)

// fakeT records how Path ended the test.
type fakeT struct {
	testing.TB
	failed, skipped bool
}

func (f *fakeT) Helper()               {}
func (f *fakeT) Fatalf(string, ...any) { f.failed = true; panic(f) }
func (f *fakeT) Skipf(string, ...any)  { f.skipped = true; panic(f) }
func run(f *fakeT, fn func()) (ended bool) {
	defer func() { ended = recover() != nil }()
	fn()
	return false
}

// With tshark missing, Path fails under PLAINRTC_REQUIRE_BROWSER=1 and
// skips otherwise; with tshark present it returns its path.
func TestPath(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	for _, req := range []string{"1", ""} {
		t.Setenv(RequireEnv, req)
		f := &fakeT{TB: t}
		if !run(f, func() { Path(f, "test") }) || f.failed != (req == "1") || f.skipped != (req != "1") {
			t.Errorf("%s=%q: failed %v skipped %v", RequireEnv, req, f.failed, f.skipped)
		}
	}
}

func TestPathFound(t *testing.T) {
	want, err := exec.LookPath("tshark")
	if err != nil {
		Path(t, "TestPathFound") // skips, or fails in CI
	}
	if got := Path(t, "TestPathFound"); got != want {
		t.Errorf("Path %q, LookPath %q", got, want)
	}
}
