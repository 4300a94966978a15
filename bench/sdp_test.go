package bench

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	psdp "github.com/pion/sdp/v3"

	"github.com/plainrtc/plainrtc/sdp"
)

// SDP: the browsers' offers of the corpus (Chromium audio+video+data,
// Chromium simulcast, Firefox audio+video+data), one sub-benchmark each.
// Both sides parse from []byte into a new session description per op
// (sdp.Parse; pion: a fresh SessionDescription and Unmarshal, which, like
// ours, copies the input once) and marshal into a new buffer (Marshal on
// both). SDPMarshalTo is ours into a reused buffer, which pion cannot do.
//
// Not the same work, in pion's favour for the comparison: pion's Unmarshal
// splits every line into typed fields (origin, connection, media name,
// attributes as key/value); sdp.Parse checks the syntax of the lines the
// package relies on and keeps attribute values as text that accessors
// parse when asked.

// For every corpus SDP (offers and answers) both parsers see the same media
// sections (media, port, proto, formats) and the same attributes in the
// same order, session-level and per media; plainrtc marshals back the input
// bytes. pion's marshal is compared too and the difference, if any, logged.
func TestSDPAgreesWithPion(t *testing.T) {
	c := loadCorpus(t)
	for _, in := range append(append([]namedBytes{}, c.offers...), c.answers...) {
		ours, err := sdp.Parse(in.data)
		if err != nil {
			t.Fatalf("%s: %v", in.name, err)
		}
		var p psdp.SessionDescription
		if err := p.Unmarshal(in.data); err != nil {
			t.Fatalf("%s: pion: %v", in.name, err)
		}
		if len(ours.Media) != len(p.MediaDescriptions) {
			t.Fatalf("%s: %d media sections, pion %d", in.name, len(ours.Media), len(p.MediaDescriptions))
		}
		compareAttrs(t, in.name+" session", attrsOf(ours.SessionLines()), p.Attributes)
		for i := range ours.Media {
			m, pm := &ours.Media[i], p.MediaDescriptions[i]
			ml := m.MediaLine()
			if ml.Media != pm.MediaName.Media || ml.Port != pm.MediaName.Port.Value ||
				ml.Proto != strings.Join(pm.MediaName.Protos, "/") || ml.Formats != strings.Join(pm.MediaName.Formats, " ") {
				t.Errorf("%s m[%d]: %+v, pion %+v", in.name, i, ml, pm.MediaName)
			}
			compareAttrs(t, in.name+" m["+strconv.Itoa(i)+"]", attrsOf(m.Lines), pm.Attributes)
		}
		if out := ours.Marshal(); !bytes.Equal(out, in.data) {
			t.Errorf("%s: plainrtc marshal differs from the input", in.name)
		}
		if out, err := p.Marshal(); err != nil || !bytes.Equal(out, in.data) {
			t.Logf("%s: pion marshal differs from the input (%d vs %d bytes, %v)", in.name, len(out), len(in.data), err)
		}
	}
}

func attrsOf(lines []sdp.Line) []psdp.Attribute {
	var out []psdp.Attribute
	for _, l := range lines {
		if l.Type == 'a' {
			k, v, _ := l.Attribute()
			out = append(out, psdp.Attribute{Key: k, Value: v})
		}
	}
	return out
}

func compareAttrs(t *testing.T, where string, ours, pion []psdp.Attribute) {
	t.Helper()
	if len(ours) != len(pion) {
		t.Errorf("%s: %d attributes, pion %d", where, len(ours), len(pion))
		return
	}
	for i := range ours {
		if ours[i] != pion[i] {
			t.Errorf("%s: attribute %d %q, pion %q", where, i, ours[i], pion[i])
		}
	}
}

func BenchmarkSDPParse(b *testing.B) {
	for _, in := range loadCorpus(b).offers {
		b.Run(in.name+"/plainrtc", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.data)))
			defer meterCPU().report(b)
			for b.Loop() {
				if _, err := sdp.Parse(in.data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(in.name+"/pion", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.data)))
			defer meterCPU().report(b)
			for b.Loop() {
				var s psdp.SessionDescription
				if err := s.Unmarshal(in.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSDPMarshal(b *testing.B) {
	for _, in := range loadCorpus(b).offers {
		ours, err := sdp.Parse(in.data)
		if err != nil {
			b.Fatal(err)
		}
		var p psdp.SessionDescription
		if err := p.Unmarshal(in.data); err != nil {
			b.Fatal(err)
		}
		b.Run(in.name+"/plainrtc", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.data)))
			defer meterCPU().report(b)
			for b.Loop() {
				ours.Marshal()
			}
		})
		b.Run(in.name+"/pion", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.data)))
			defer meterCPU().report(b)
			for b.Loop() {
				if _, err := p.Marshal(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Marshalling into a reused buffer; pion has no MarshalTo for SDP.
func BenchmarkSDPMarshalTo(b *testing.B) {
	for _, in := range loadCorpus(b).offers {
		ours, err := sdp.Parse(in.data)
		if err != nil {
			b.Fatal(err)
		}
		buf := make([]byte, ours.MarshalSize())
		b.Run(in.name+"/plainrtc", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.data)))
			defer meterCPU().report(b)
			for b.Loop() {
				if _, err := ours.MarshalTo(buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
