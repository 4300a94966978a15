package conformance_test

import (
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
)

// What each of cmd/capture's scenarios (meta.json "scenario") must show in
// the roles derived from the session; the protocol suites check the rest
// (rtcp: loss, sdp: renegotiate, stun and ice: ice-restart). A session
// without a scenario (the seeds) skips.
func TestCorpusScenarios(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		sc, _ := s.Meta["scenario"].(string)
		if sc == "" {
			t.Skip("no meta.json scenario: not recorded by cmd/capture")
		}
		b, v := s.Roles.BrowserPeer(), s.Roles.ServerPeer()
		media := func(p *conformance.Peer) bool { return p.SendsKind("audio") || p.SendsKind("video") }
		expect := func(what string, ok bool) {
			t.Helper()
			if !ok {
				t.Errorf("%s: %s (browser sends %v, server sends %v)", sc, what, b.Sends, v.Sends)
			}
		}
		expect("a data channel", s.Roles.HasKind("application"))
		switch sc {
		case "dc-only":
			expect("no audio or video section", !s.Roles.HasKind("audio") && !s.Roles.HasKind("video"))
			expect("no SRTP or SRTCP either way", b.Sent[demux.RTP]+b.Sent[demux.RTCP]+v.Sent[demux.RTP]+v.Sent[demux.RTCP] == 0)
			t.Log("data only: media both ways does not apply (no section was negotiated)")
			return
		case "audio-only":
			expect("the browser sends audio and no video", b.SendsKind("audio") && !b.SendsKind("video"))
			expect("the server sends the other participant's audio and video", v.SendsKind("audio") && v.SendsKind("video"))
		case "renegotiate":
			expect("the browser sends audio, and video after turning the camera on", b.SendsKind("audio") && b.SendsKind("video"))
			expect("a renegotiation", len(s.Exchanges) >= 3)
		case "ice-restart":
			expect("new credentials on both sides", len(b.LaterICE) > 0 && len(v.LaterICE) > 0)
		case "two-party":
			expect("both browsers' audio and video", b.SendsKind("audio") && b.SendsKind("video") && v.SendsKind("audio") && v.SendsKind("video"))
			t.Log("the other browser's leg is not recorded: only this one's datagrams are in the capture")
		default: // av-dc, loss
			expect("audio and video both ways", b.SendsKind("audio") && b.SendsKind("video") && v.SendsKind("audio") && v.SendsKind("video"))
		}
		expect("SRTP both ways", media(b) && media(v) && b.Sent[demux.RTP] >= 100 && v.Sent[demux.RTP] >= 100)
		expect("SRTCP both ways", b.Sent[demux.RTCP] > 0 && v.Sent[demux.RTCP] > 0)
	})
}
