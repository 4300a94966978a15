package sdp_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
)

// corpusSDP is one corpus session's SDPs, as captured or derived.
type corpusSDP struct {
	Name          string
	Offer, Answer []byte
	// BrowserOffered: the browser wrote the offer (conformance's rule:
	// meta.json, else the side without a=ice-lite, else the offerer).
	// Tests that answer a browser's offer skip the sessions where it did not.
	BrowserOffered bool
}

// forEachCorpusSDP runs fn for every folder of the conformance corpus
// (conformance.CorpusDir, so new captures are picked up), reading only
// offer.sdp and answer.sdp, and then for the SDPs of every derived variant
// of it (conformance.DeriveSDP: audio only, data channel only, browser as
// answerer, DTLS roles swapped, full ICE), as subtests
// "<folder>/<variant>". The SDP tests use it so that they do not depend on
// the capture decoding conformance.ForEachSession also does;
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
			fn(t, newCorpusSDP(t, filepath.Base(dir), offer, answer))
			for _, v := range conformance.Variants {
				t.Run(v.Name, func(t *testing.T) {
					o, a, err := conformance.DeriveSDP(v.Name, offer, answer)
					if err != nil {
						t.Fatal(err)
					}
					fn(t, newCorpusSDP(t, filepath.Base(dir)+"/"+v.Name, o, a))
				})
			}
		})
	}
}

func newCorpusSDP(t *testing.T, name string, offer, answer []byte) corpusSDP {
	t.Helper()
	r, err := conformance.DeriveRoles(nil, offer, answer, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return corpusSDP{Name: name, Offer: offer, Answer: answer, BrowserOffered: r.Browser == conformance.Offerer}
}

// browserOffer returns the offer when the browser wrote it; otherwise it
// skips t, naming why.
func (s corpusSDP) browserOffer(t *testing.T) []byte {
	t.Helper()
	if !s.BrowserOffered {
		t.Skipf("%s: the browser answered in this session; there is no browser offer to answer", s.Name)
	}
	return s.Offer
}
