package rtcp_test

import (
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/rtcp"
)

// scenarioOf is meta.json's "scenario" (cmd/capture's sessions), "" else.
func scenarioOf(s *conformance.Session) string {
	v, _ := s.Meta["scenario"].(string)
	return v
}

// In cmd/capture's "loss" sessions the SFU threw away 5 % of the SRTP it
// received (sfu.Config.DropInbound), so repair shows on the wire: the
// SFU asks the browser for its lost video with Generic NACKs (RFC 4585
// §6.2.1) and the browser asks the SFU for what the synthetic
// participant's lost packets left out. RTX (RFC 4588) and PLI (RFC 4585
// §6.3.1) are counted when present. Every other session skips.
func TestCorpusScenarioLoss(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		if scenarioOf(s) != "loss" {
			t.Skipf("scenario %q: not a loss session", scenarioOf(s))
		}
		count := map[bool]map[rtcp.Kind]int{true: {}, false: {}}
		var p rtcp.Packet
		for _, c := range decryptRTCP(t, s) {
			it := rtcp.NewIterator(c.b)
			for it.Next(&p) {
				count[c.fromBrowser][p.Kind()]++
			}
			if err := it.Err(); err != nil {
				t.Fatalf("frame %d: %v", c.frame, err)
			}
		}
		toBrowser, fromBrowser := count[false], count[true]
		t.Logf("SFU->browser: %d NACK, %d PLI; browser->SFU: %d NACK, %d PLI",
			toBrowser[rtcp.KindNACK], toBrowser[rtcp.KindPLI], fromBrowser[rtcp.KindNACK], fromBrowser[rtcp.KindPLI])
		if toBrowser[rtcp.KindNACK] == 0 {
			t.Error("the SFU sent no Generic NACK for the browser's lost packets")
		}
		if fromBrowser[rtcp.KindNACK]+fromBrowser[rtcp.KindPLI] == 0 {
			t.Error("the browser asked for no repair (no NACK, no PLI) of the stream with gaps it received")
		}
	})
}
