package truth

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Every committed truth.json equals, byte for byte, what tshark and pion
// compute from the folder. Without tshark the test skips, or fails when
// PLAINRTC_REQUIRE_BROWSER=1 (CI installs tshark).
func TestCommittedTruth(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("PLAINRTC_REQUIRE_BROWSER") == "1" {
			t.Fatal("tshark not installed and PLAINRTC_REQUIRE_BROWSER=1")
		}
		t.Skip("tshark not installed: truth.json not recomputed")
	}
	dirs, err := filepath.Glob("../../conformance/testdata/corpus/*/truth.json")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no truth.json in the corpus: %v", err)
	}
	for _, f := range dirs {
		dir := filepath.Dir(f)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			got, err := Compute(dir, tshark)
			if err != nil {
				t.Fatal(err)
			}
			b, err := got.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, want) {
				t.Errorf("computed\n%s\ncommitted\n%s", b, want)
			}
			// A data-only session (cmd/capture's dc-only) has no SRTP to
			// verify; it must still have DTLS and checks that verify.
			if (got.Counts.SRTP > 0 && got.Counts.SRTPOK == 0) || got.Counts.STUNIntegrityOK == 0 || got.Counts.DTLS == 0 {
				t.Errorf("nothing verified: %+v", got.Counts)
			}
		})
	}
}
