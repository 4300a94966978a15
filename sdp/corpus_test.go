package sdp_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
)

// corpusSDP is one corpus session's SDPs.
type corpusSDP struct {
	Name          string
	Offer, Answer []byte
}

// forEachCorpusSDP runs fn for every folder of the conformance corpus
// (conformance.CorpusDir, so new captures are picked up), reading only
// offer.sdp and answer.sdp. The SDP tests use it so that they do not
// depend on the capture decoding conformance.ForEachSession also does;
// TestAnswerCorpus uses ForEachSession itself.
func forEachCorpusSDP(t *testing.T, fn func(t *testing.T, s corpusSDP)) {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(conformance.CorpusDir(), "*", "offer.sdp"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no corpus offers under %s: %v", conformance.CorpusDir(), err)
	}
	for _, f := range dirs {
		dir := filepath.Dir(f)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			offer, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			answer, err := os.ReadFile(filepath.Join(dir, "answer.sdp"))
			if err != nil {
				t.Fatal(err)
			}
			fn(t, corpusSDP{Name: filepath.Base(dir), Offer: offer, Answer: answer})
		})
	}
}
