package stun_test

import (
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/stun"
)

// cmd/capture's "ice-restart" sessions: the browser's later offer (and the
// SFU's answer) carry new ICE credentials (RFC 8445 §9, RFC 8839
// §4.4.1.1.2), and the checks after it use them: USERNAME is "<the SFU's
// new ufrag>:<the browser's new ufrag>" (§7.2.2), MESSAGE-INTEGRITY of the
// request and of its response verifies with the SFU's new ice-pwd, and
// not with the old one.
func TestCorpusScenarioICERestart(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		if sc, _ := s.Meta["scenario"].(string); sc != "ice-restart" {
			t.Skipf("scenario %q: not an ice-restart session", sc)
		}
		b, v := s.Roles.BrowserPeer(), s.Roles.ServerPeer()
		if len(b.LaterICE) == 0 || len(v.LaterICE) == 0 {
			t.Fatalf("no new credentials in the later exchanges: browser %v, server %v", b.LaterICE, v.LaterICE)
		}
		restarted := false
		for _, x := range s.Exchanges {
			restarted = restarted || x.Offerer == s.Roles.Browser
		}
		if !restarted {
			t.Error("no later exchange was offered by the browser (the restart's offer)")
		}
		nb, nv := b.LaterICE[0], v.LaterICE[0]
		if nb.Ufrag == b.ICE.Ufrag || nb.Pwd == b.ICE.Pwd || nv.Ufrag == v.ICE.Ufrag || nv.Pwd == v.ICE.Pwd {
			t.Errorf("restart kept credentials: browser %v -> %v, server %v -> %v", b.ICE, nb, v.ICE, nv)
		}
		want := nv.Ufrag + ":" + nb.Ufrag
		newMI, oldMI := stun.NewShortTermIntegrity(nv.Pwd), stun.NewShortTermIntegrity(v.ICE.Pwd)
		requests := map[stun.TransactionID]bool{}
		var reqs, resps, other int
		for _, d := range s.Datagrams {
			if demux.Classify(d.Payload) != demux.STUN {
				continue
			}
			var m stun.Message
			if err := m.Unmarshal(d.Payload); err != nil {
				t.Fatalf("frame %d: %v", d.N, err)
			}
			switch {
			case m.Type.Class == stun.ClassRequest && s.FromBrowser(d):
				u, _ := m.Username()
				if string(u) != want {
					other++ // the first credentials' checks
					continue
				}
				reqs++
				requests[m.TransactionID] = true
				if err := newMI.Check(&m); err != nil {
					t.Errorf("frame %d: request with USERNAME %s: MESSAGE-INTEGRITY with the new pwd: %v", d.N, u, err)
				}
				if oldMI.Check(&m) == nil {
					t.Errorf("frame %d: request verifies with the old pwd too", d.N)
				}
			case m.Type.Class == stun.ClassSuccessResponse && requests[m.TransactionID]:
				resps++
				if err := newMI.Check(&m); err != nil {
					t.Errorf("frame %d: response to a restarted check: MESSAGE-INTEGRITY with the new pwd: %v", d.N, err)
				}
			}
		}
		if reqs == 0 || resps == 0 {
			t.Fatalf("%d checks with USERNAME %s and %d responses to them", reqs, want, resps)
		}
		t.Logf("%d checks with the first credentials; %d with USERNAME %s and %d responses, all signed with the new pwd", other, reqs, want, resps)
	})
}
