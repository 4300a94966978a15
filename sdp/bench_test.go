package sdp_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/sdp"
)

func corpusOffers(b *testing.B) map[string][]byte {
	dirs, err := filepath.Glob(filepath.Join(conformance.CorpusDir(), "*", "offer.sdp"))
	if err != nil || len(dirs) == 0 {
		b.Fatalf("no corpus offers: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range dirs {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		out[filepath.Base(filepath.Dir(f))] = data
	}
	return out
}

func BenchmarkParse(b *testing.B) {
	for name, data := range corpusOffers(b) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := sdp.Parse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMarshal(b *testing.B) {
	for name, data := range corpusOffers(b) {
		s, err := sdp.Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		buf := make([]byte, 0, s.MarshalSize())
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				buf = s.AppendTo(buf[:0])
			}
		})
	}
}

func BenchmarkAnswer(b *testing.B) {
	for name, data := range corpusOffers(b) {
		s, err := sdp.Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sdp.Answer(s, testConfig()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestParseAllocs holds Parse to its budget: at most 5 allocations per
// session (the string copy, the line array, the media array, the Session).
func TestParseAllocs(t *testing.T) {
	forEachCorpusSDP(t, func(t *testing.T, s corpusSDP) {
		for _, data := range [][]byte{s.Offer, s.Answer} {
			n := testing.AllocsPerRun(50, func() {
				if _, err := sdp.Parse(data); err != nil {
					t.Fatal(err)
				}
			})
			if n > 5 {
				t.Errorf("Parse: %v allocations, budget 5", n)
			}
			p, _ := sdp.Parse(data)
			buf := make([]byte, 0, p.MarshalSize())
			if n := testing.AllocsPerRun(50, func() { buf = p.AppendTo(buf[:0]) }); n != 0 {
				t.Errorf("AppendTo into a large enough buffer: %v allocations", n)
			}
		}
	})
}
