package sdp_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestInteropToolBuilds vets testdata/interop, the manual browser check
// (see its README.md and the package doc), so that the tool no test runs
// still compiles against the package's current API.
func TestInteropToolBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module; skipped with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH to build testdata/interop")
	}
	cmd := exec.Command(goTool, "vet", ".")
	cmd.Dir = filepath.Join("testdata", "interop")
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet in testdata/interop: %v\n%s", err, out)
	}
}
