package ice_test

import (
	"testing"

	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/stun"
)

// FuzzFullAgentHandleSTUN: arbitrary datagrams, as requests from the peer
// or as responses to the check in flight, never panic the full agent;
// nothing that fails authentication is answered with success, selects a
// pair or changes the role.
func FuzzFullAgentHandleSTUN(f *testing.F) {
	f.Add(req{tid: 1, useCandidate: true}.build(f))
	f.Add(req{tid: 2, controlled: true}.build(f))
	f.Add(req{tid: 3, pwd: "notTheServerPassword12"}.build(f))
	var b stun.Builder
	b.Reset(nil, stun.BindingSuccess, stun.TransactionID{1})
	b.AddXORMappedAddress(sfuAddr)
	b.AddMessageIntegrity(stun.NewShortTermIntegrity(peerCreds.Pwd))
	b.AddFingerprint()
	resp, _ := b.Bytes()
	f.Add(resp)
	b.Reset(nil, stun.BindingError, stun.TransactionID{1})
	b.AddErrorCode(stun.CodeRoleConflict, "")
	b.AddMessageIntegrity(stun.NewShortTermIntegrity(peerCreds.Pwd))
	b.AddFingerprint()
	resp487, _ := b.Bytes()
	f.Add(resp487)
	f.Fuzz(func(t *testing.T, in []byte) {
		c := serverCreds
		a, err := ice.NewFullAgent(ice.FullConfig{Local: &c, Rand: zeroRand{}, TieBreaker: 5})
		if err != nil {
			t.Fatal(err)
		}
		a.AddHostCandidate(sfuAddr)
		a.SetRemoteCredentials(peerCreds, t0)
		a.AddRemoteCandidate(ice.RemoteCandidate{Foundation: "x", Priority: 1, Address: peerA})
		a.HandleTimeout(t0) // one check in flight, transaction ID all zero
		for _, ok := a.PollTransmit(); ok; _, ok = a.PollTransmit() {
		}
		// As a response to our check: the transaction ID is patched in.
		if len(in) >= 20 {
			asResp := append([]byte(nil), in...)
			copy(asResp[8:20], make([]byte, 12))
			a.HandleSTUN(asResp, sfuAddr, peerA, t0)
			if a.Role() != ice.RoleControlling && !signedBy(asResp, peerCreds.Pwd) {
				t.Fatal("role changed by an unauthenticated response")
			}
		}
		err = a.HandleSTUN(in, sfuAddr, peerB, t0)
		for tx, ok := a.PollTransmit(); ok; tx, ok = a.PollTransmit() {
			var m stun.Message
			if err := m.Unmarshal(tx.Payload); err != nil {
				t.Fatalf("agent sent an unparsable message: %v", err)
			}
			if m.Type.Class == stun.ClassSuccessResponse && !signedBy(in, serverCreds.Pwd) {
				t.Fatalf("success response to a request that did not authenticate (err %v)", err)
			}
		}
		if a.Connected() && !signedBy(in, serverCreds.Pwd) && (len(in) < 20 || !signedBy(in, peerCreds.Pwd)) {
			t.Fatal("pair selected by unauthenticated input")
		}
	})
}

func signedBy(b []byte, pwd string) bool {
	var m stun.Message
	if m.Unmarshal(b) != nil {
		return false
	}
	return stun.NewShortTermIntegrity(pwd).Check(&m) == nil
}

// zeroRand gives zero bytes: fixed transaction IDs in the fuzz target.
type zeroRand struct{}

func (zeroRand) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
