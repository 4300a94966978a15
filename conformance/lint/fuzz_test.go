package lint_test

import (
	"bytes"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/conformance/lint"
)

// FuzzLint: one datagram of a real session replaced by arbitrary bytes
// (any class: STUN, DTLS, SRTP, SRTCP) never makes Lint panic, and every
// rule still reports.
func FuzzLint(f *testing.F) {
	dirs, err := conformance.Sessions()
	if err != nil || len(dirs) == 0 {
		f.Skip("no corpus")
	}
	s, err := conformance.Load(dirs[0])
	if err != nil {
		f.Fatal(err)
	}
	for i := 0; i < len(s.Datagrams); i += 37 {
		f.Add(uint16(i), s.Datagrams[i].Payload)
	}
	f.Add(uint16(3), []byte{0x80})
	f.Add(uint16(3), []byte{0x00, 0x01, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, at uint16, p []byte) {
		m := *s
		m.Datagrams = append([]conformance.Datagram(nil), s.Datagrams...)
		i := int(at) % len(m.Datagrams)
		m.Datagrams[i].Payload = bytes.Clone(p)
		res := lint.Lint(&m)
		if len(res) < len(lint.Rules) {
			t.Errorf("%d results for %d rules", len(res), len(lint.Rules))
		}
	})
}
