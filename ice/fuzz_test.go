package ice_test

import (
	"testing"

	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/stun"
)

// FuzzHandleSTUN: arbitrary datagrams never panic the agent, and nothing
// that fails authentication is answered with success or moves the
// selected pair.
func FuzzHandleSTUN(f *testing.F) {
	f.Add(req{tid: 1, useCandidate: true}.build(f))
	f.Add(req{tid: 2, controlled: true}.build(f))
	f.Add(req{tid: 3, pwd: "notTheServerPassword12"}.build(f))
	f.Add(req{tid: 4, noFP: true}.build(f))
	f.Fuzz(func(t *testing.T, b []byte) {
		c := serverCreds
		a, err := ice.NewAgent(ice.Config{Local: &c, AnswerUnauthenticated: true})
		if err != nil {
			t.Fatal(err)
		}
		a.AddHostCandidate(sfuAddr)
		a.SetRemoteCredentials(peerCreds, t0)
		ufrag, hasUfrag := ice.LocalUfrag(b)
		err = a.HandleSTUN(b, sfuAddr, peerA, t0)
		tx, sent := a.PollTransmit()
		if !sent {
			return
		}
		if len(tx.Payload) > len(b) && !authenticated(b) {
			t.Fatalf("unauthenticated %d-byte request answered with %d bytes", len(b), len(tx.Payload))
		}
		var m stun.Message
		if err := m.Unmarshal(tx.Payload); err != nil {
			t.Fatalf("agent sent an unparsable message: %v", err)
		}
		if m.Type.Class == stun.ClassSuccessResponse {
			if err != nil || !hasUfrag || string(ufrag) != serverCreds.Ufrag || !authenticated(b) {
				t.Fatalf("success response to a request that did not authenticate (err %v)", err)
			}
		}
	})
}

func authenticated(b []byte) bool {
	var m stun.Message
	if m.Unmarshal(b) != nil {
		return false
	}
	return stun.NewShortTermIntegrity(serverCreds.Pwd).Check(&m) == nil
}
