package ice_test

import (
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/stun"
)

func TestLocalRestart(t *testing.T) {
	a := newAgent(t, ice.Config{})
	handle(t, a, req{tid: 1, useCandidate: true}, peerA, t0)
	events(a)
	old := a.LocalCredentials()
	if err := a.Restart(t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	nc := a.LocalCredentials()
	if nc.Ufrag == old.Ufrag || nc.Pwd == old.Pwd || nc.Validate() != nil {
		t.Fatalf("new credentials %+v", nc)
	}
	if ev := events(a); len(ev) != 1 || ev[0].Kind != ice.EventRestarted {
		t.Fatalf("events %+v", ev)
	}
	// Media carries on over the old pair while the peer has not switched.
	if !a.Connected() {
		t.Error("restart dropped the selected pair")
	}
	if m, err := handle(t, a, req{tid: 2}, peerA, t0.Add(2*time.Second)); m == nil || m.Type != stun.BindingSuccess {
		t.Errorf("old credentials rejected during the restart: %v", err)
	}
	newReq := req{tid: 3, useCandidate: true, username: nc.Ufrag + ":" + peerCreds.Ufrag, pwd: nc.Pwd}
	m, err := handle(t, a, newReq, peerB, t0.Add(3*time.Second))
	if m == nil || m.Type != stun.BindingSuccess {
		t.Fatalf("new credentials rejected: %v", err)
	}
	if err := stun.NewShortTermIntegrity(nc.Pwd).Check(m); err != nil {
		t.Errorf("response not signed with the new pwd: %v", err)
	}
	if ev := events(a); len(ev) != 1 || ev[0].Kind != ice.EventSelectedPairChanged || ev[0].Pair.Remote != peerB {
		t.Errorf("events %+v", ev)
	}
	// Once the new credentials are in use, the old ones are gone.
	if m, err := handle(t, a, req{tid: 4}, peerA, t0.Add(4*time.Second)); m != nil || err != ice.ErrUnknownUsername {
		t.Errorf("old credentials still accepted: %v", err)
	}
}

// New remote credentials from a re-offer are an ICE restart by the peer:
// the agent answers with new local credentials (RFC 8445 §9).
func TestRemoteRestart(t *testing.T) {
	a := newAgent(t, ice.Config{})
	handle(t, a, req{tid: 1, useCandidate: true}, peerA, t0)
	events(a)
	if restarted, err := a.SetRemoteCredentials(peerCreds, t0); restarted || err != nil {
		t.Fatalf("same credentials: restarted %v, %v", restarted, err)
	}
	if a.LocalCredentials() != serverCreds {
		t.Fatal("same remote credentials changed the local ones")
	}
	newPeer := ice.Credentials{Ufrag: "peer2", Pwd: "anotherPeerPassword123"}
	restarted, err := a.SetRemoteCredentials(newPeer, t0.Add(time.Second))
	if !restarted || err != nil {
		t.Fatalf("restarted %v, %v", restarted, err)
	}
	nc := a.LocalCredentials()
	if nc == serverCreds {
		t.Fatal("local credentials unchanged by the peer's restart")
	}
	if ev := events(a); len(ev) != 1 || ev[0].Kind != ice.EventRestarted {
		t.Errorf("events %+v", ev)
	}
	// Old consent checks ("old local:old remote") still work until the switch.
	if m, _ := handle(t, a, req{tid: 2}, peerA, t0.Add(2*time.Second)); m == nil || m.Type != stun.BindingSuccess {
		t.Error("old credentials rejected during the restart")
	}
	r := req{tid: 3, useCandidate: true, username: nc.Ufrag + ":" + newPeer.Ufrag, pwd: nc.Pwd}
	if m, err := handle(t, a, r, peerA, t0.Add(3*time.Second)); m == nil || m.Type != stun.BindingSuccess {
		t.Errorf("new credentials rejected: %v", err)
	}
	// The old peer ufrag with the new local one is not valid.
	r = req{tid: 4, username: nc.Ufrag + ":" + peerCreds.Ufrag, pwd: nc.Pwd}
	if m, _ := handle(t, a, r, peerA, t0.Add(4*time.Second)); m != nil {
		t.Error("stale remote ufrag accepted")
	}
	if _, err := a.SetRemoteCredentials(ice.Credentials{Ufrag: "x", Pwd: "short"}, t0); err == nil {
		t.Error("invalid remote credentials accepted")
	}
}

// A restart we start (Restart, then a re-offer with the new credentials)
// is completed by the peer's answer, which carries new remote
// credentials too (RFC 8445 §9, RFC 8839 §4.4.1.1.1). Those must not be
// taken for a second restart by the peer: the local credentials already
// sent in our offer stay.
func TestLocalRestartCompletedByAnswer(t *testing.T) {
	a := newAgent(t, ice.Config{})
	handle(t, a, req{tid: 1, useCandidate: true}, peerA, t0)
	if err := a.Restart(t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	offered := a.LocalCredentials()
	events(a)
	answer := ice.Credentials{Ufrag: "peer2", Pwd: "anotherPeerPassword123"}
	restarted, err := a.SetRemoteCredentials(answer, t0.Add(2*time.Second))
	if restarted || err != nil {
		t.Fatalf("answer to our restart: restarted %v, %v", restarted, err)
	}
	if got := a.LocalCredentials(); got != offered {
		t.Fatalf("local credentials %+v, want the offered %+v", got, offered)
	}
	if ev := events(a); len(ev) != 0 {
		t.Errorf("events %+v", ev)
	}
	r := req{tid: 2, useCandidate: true, username: offered.Ufrag + ":" + answer.Ufrag, pwd: offered.Pwd}
	if m, err := handle(t, a, r, peerA, t0.Add(3*time.Second)); m == nil || m.Type != stun.BindingSuccess {
		t.Errorf("check with the offered and answered credentials rejected: %v", err)
	}
	// A later change of the remote credentials is the peer's own restart.
	again := ice.Credentials{Ufrag: "peer3", Pwd: "yetAnotherPeerPassword"}
	if restarted, err := a.SetRemoteCredentials(again, t0.Add(4*time.Second)); !restarted || err != nil {
		t.Errorf("peer's restart after ours: restarted %v, %v", restarted, err)
	}
}

// After Restart the peer starts checking with its new credentials as soon
// as it has our offer, which may be before its answer reaches us
// (RFC 8445 §7.3): such checks, signed with our new password, are
// answered; the old remote ufrag with the new local one is not required.
func TestLocalRestartChecksBeforeAnswer(t *testing.T) {
	a := newAgent(t, ice.Config{})
	handle(t, a, req{tid: 1, useCandidate: true}, peerA, t0)
	if err := a.Restart(t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	nc := a.LocalCredentials()
	early := req{tid: 2, useCandidate: true, username: nc.Ufrag + ":peer2", pwd: nc.Pwd}
	if m, err := handle(t, a, early, peerA, t0.Add(2*time.Second)); m == nil || m.Type != stun.BindingSuccess {
		t.Fatalf("check with the new credentials before the answer: %v", err)
	}
	if m, _ := handle(t, a, req{tid: 3, username: nc.Ufrag + ":peer2", pwd: "wrongPasswordOf22chars"}, peerA, t0.Add(2*time.Second)); m != nil {
		t.Error("wrong password accepted")
	}
	// The answer pins the remote ufrag again.
	if _, err := a.SetRemoteCredentials(ice.Credentials{Ufrag: "peer2", Pwd: "anotherPeerPassword123"}, t0.Add(3*time.Second)); err != nil {
		t.Fatal(err)
	}
	if m, _ := handle(t, a, req{tid: 4, username: nc.Ufrag + ":peer3", pwd: nc.Pwd}, peerA, t0.Add(4*time.Second)); m != nil {
		t.Error("other remote ufrag accepted after the answer")
	}
}
