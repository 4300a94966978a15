package ice_test

import (
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/stun"
)

// RFC 7675 §5.1 with a virtual clock: consent expires exactly 30 s after
// the last authenticated request on the selected pair.
func TestConsentTimeout(t *testing.T) {
	a := newAgent(t, ice.Config{})
	if _, ok := a.NextTimeout(); ok {
		t.Error("timeout before any nomination")
	}
	handle(t, a, req{tid: 1, useCandidate: true}, peerA, t0)
	events(a)
	last := t0.Add(10 * time.Second)
	handle(t, a, req{tid: 2}, peerA, last) // a consent check refreshes
	d, ok := a.NextTimeout()
	if !ok || !d.Equal(last.Add(30*time.Second)) {
		t.Fatalf("NextTimeout %v %v, want %v", d, ok, last.Add(30*time.Second))
	}
	a.HandleTimeout(last.Add(30*time.Second - time.Nanosecond))
	if !a.Connected() || len(events(a)) != 0 {
		t.Fatal("consent lost 1 ns early")
	}
	a.HandleTimeout(last.Add(30 * time.Second))
	ev := events(a)
	if len(ev) != 1 || ev[0].Kind != ice.EventConsentLost || ev[0].Pair.Remote != peerA {
		t.Fatalf("events %+v", ev)
	}
	if _, ok := a.SelectedPair(); ok || a.Connected() || !a.ConsentLost() {
		t.Error("media may still flow after consent loss")
	}
	if _, ok := a.NextTimeout(); ok {
		t.Error("timeout still armed after consent loss")
	}
	a.HandleTimeout(last.Add(time.Hour))
	if len(events(a)) != 0 {
		t.Error("consent lost twice")
	}
	// A late request is answered, but does not bring media back...
	if m, _ := handle(t, a, req{tid: 3, useCandidate: true}, peerA, last.Add(31*time.Second)); m == nil || m.Type != stun.BindingSuccess {
		t.Error("late request not answered")
	}
	if a.Connected() {
		t.Error("consent regained without a restart")
	}
	// ...an ICE restart and a new nomination do.
	if err := a.Restart(last.Add(32 * time.Second)); err != nil {
		t.Fatal(err)
	}
	nc := a.LocalCredentials()
	handle(t, a, req{tid: 4, useCandidate: true, username: nc.Ufrag + ":" + peerCreds.Ufrag, pwd: nc.Pwd}, peerA, last.Add(33*time.Second))
	ev = events(a)
	if len(ev) != 2 || ev[0].Kind != ice.EventRestarted || ev[1].Kind != ice.EventConnected {
		t.Fatalf("events %+v", ev)
	}
}

// The default timeout is 30 s; a configured one is honoured.
func TestConsentTimeoutConfig(t *testing.T) {
	if ice.DefaultConsentTimeout != 30*time.Second {
		t.Fatalf("DefaultConsentTimeout %v", ice.DefaultConsentTimeout)
	}
	a := newAgent(t, ice.Config{ConsentTimeout: 5 * time.Second})
	handle(t, a, req{tid: 1, useCandidate: true}, peerA, t0)
	if d, _ := a.NextTimeout(); !d.Equal(t0.Add(5 * time.Second)) {
		t.Errorf("deadline %v", d)
	}
}
