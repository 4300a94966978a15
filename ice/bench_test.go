package ice_test

import (
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/ice"
)

// One consent check answered: parse, authenticate, build and sign the
// response, update the pair.
func BenchmarkHandleSTUN(b *testing.B) {
	c := serverCreds
	a, _ := ice.NewAgent(ice.Config{Local: &c})
	a.AddHostCandidate(sfuAddr)
	a.SetRemoteCredentials(peerCreds, t0)
	raw := req{tid: 1, useCandidate: true}.build(b)
	now := t0
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		now = now.Add(time.Millisecond)
		if err := a.HandleSTUN(raw, sfuAddr, peerA, now); err != nil {
			b.Fatal(err)
		}
		a.PollTransmit()
	}
}

// A request with a wrong MESSAGE-INTEGRITY, dropped.
func BenchmarkHandleSTUNBadIntegrity(b *testing.B) {
	c := serverCreds
	a, _ := ice.NewAgent(ice.Config{Local: &c})
	a.AddHostCandidate(sfuAddr)
	a.SetRemoteCredentials(peerCreds, t0)
	raw := req{tid: 1, pwd: "notTheServerPassword12"}.build(b)
	b.ReportAllocs()
	for b.Loop() {
		a.HandleSTUN(raw, sfuAddr, peerA, t0)
	}
}

func BenchmarkLocalUfrag(b *testing.B) {
	raw := req{tid: 1}.build(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ice.LocalUfrag(raw); !ok {
			b.Fatal("no ufrag")
		}
	}
}
