package ice_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/stun"
)

// TestReplayCorpus feeds every captured Binding request to an agent that
// holds the credentials of the side that answered it, at the captured
// times, and compares its responses with the captured ones field by field
// (then byte for byte: both put XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY,
// FINGERPRINT). The agent is ICE-lite, i.e. always controlled (RFC 8445
// §6.1.1), so it stands in for each side that was controlled and answered
// checks; a controlling side's answers (full ICE on both ends) are not
// replayed, and the test says so.
func TestReplayCorpus(t *testing.T)        { conformance.ForEachSession(t, replayCorpus) }
func TestReplayCorpusDerived(t *testing.T) { conformance.ForEachDerived(t, replayCorpus) }

func replayCorpus(t *testing.T, s *conformance.Session) {
	r := &s.Roles
	replayed := 0
	for _, side := range []conformance.Side{conformance.Offerer, conformance.Answerer} {
		responder, requester := r.Peer(side), r.Peer(side.Other())
		switch {
		case requester.Requests == 0:
			t.Logf("%s sent no Binding requests: %s's answers not replayed", requester.Side, responder.Side)
			continue
		case r.ICEControllingKnown && r.ICEControlling == side:
			t.Logf("%s is ICE-controlling: its answers to %d checks are not replayed through an ICE-lite (controlled) agent", side, requester.Requests)
			continue
		}
		replayed++
		t.Run("answers-of-"+side.String(), func(t *testing.T) { replaySide(t, s, responder, requester) })
	}
	if replayed == 0 {
		t.Error("no side's answers replayed: a session has a controlled side that answers checks (RFC 8445 §6.1.1, §7.3)")
	}
}

// replaySide replays the requester's checks in generations: the checks
// before an ICE restart carry the first exchange's ufrags, those after it
// the restart's (RFC 8445 §9: USERNAME "<responder ufrag>:<requester
// ufrag>" of the new credentials). Each generation goes through an agent
// of its own, made with that generation's credentials, and every response
// must equal the captured one byte for byte.
func replaySide(t *testing.T, s *conformance.Session, responder, requester *conformance.Peer) {
	var gens [][2]string // (responder ufrag, requester ufrag), in capture order
	seen := map[[2]string]bool{}
	var m stun.Message
	for _, d := range s.Datagrams {
		if side, ok := s.Roles.Sender(d); !ok || side != requester.Side || demux.Classify(d.Payload) != demux.STUN {
			continue
		}
		if m.Unmarshal(d.Payload) != nil || m.Type.Class != stun.ClassRequest {
			continue
		}
		u, err := m.Username()
		if err != nil {
			continue
		}
		recv, send, ok := strings.Cut(string(u), ":")
		if g := [2]string{recv, send}; ok && !seen[g] {
			seen[g] = true
			gens = append(gens, g)
		}
	}
	if len(gens) == 1 {
		replayGeneration(t, s, responder, requester, gens[0], 1)
		return
	}
	t.Logf("%d ICE credential generations (ICE restarts): each replayed with its own credentials", len(gens))
	for i, g := range gens {
		t.Run(fmt.Sprintf("generation-%d", i+1), func(t *testing.T) { replayGeneration(t, s, responder, requester, g, i+1) })
	}
}

// replayGeneration replays the checks with USERNAME gen (the n-th
// generation). After a restart the requester may check, nominate and
// send from a new address (new candidates): the pair it must select is
// the one the media comes from after the generation's first check.
func replayGeneration(t *testing.T, s *conformance.Session, responder, requester *conformance.Peer, gen [2]string, n int) {
	localCreds, ok1 := responder.Credentials(gen[0])
	remoteCreds, ok2 := requester.Credentials(gen[1])
	if !ok1 || !ok2 {
		t.Fatalf("checks with USERNAME %s:%s name credentials none of the SDPs gave (%v, %v)", gen[0], gen[1], ok1, ok2)
	}
	{
		r := &s.Roles
		fromResponder := func(d conformance.Datagram) bool { side, ok := r.Sender(d); return ok && side == responder.Side }
		fromRequester := func(d conformance.Datagram) bool { side, ok := r.Sender(d); return ok && side == requester.Side }
		local, remote := responder.MediaAddr, requester.MediaAddr
		if n > 1 {
			// Media moves to the new pair once it is nominated, not at the
			// first check (RFC 8445 §9.3.1.4 keeps the old pair meanwhile):
			// the requester's address in the capture's last media datagram.
			for i := len(s.Datagrams) - 1; i >= 0; i-- {
				d := s.Datagrams[i]
				if c := demux.Classify(d.Payload); c == demux.STUN || c == demux.Unknown {
					continue
				}
				if fromRequester(d) {
					remote = d.Src
				} else {
					remote = d.Dst
				}
				break
			}
		}
		server := ice.Credentials(localCreds)
		a, err := ice.NewAgent(ice.Config{Local: &server})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.AddHostCandidate(local); err != nil {
			t.Fatal(err)
		}
		start := s.Datagrams[0].Time
		if _, err := a.SetRemoteCredentials(ice.Credentials(remoteCreds), start); err != nil {
			t.Fatal(err)
		}
		if ufrag := a.LocalCredentials(); ufrag.Ufrag != localCreds.Ufrag {
			t.Fatalf("local ufrag %q", ufrag.Ufrag)
		}

		// Captured responses by transaction ID.
		captured := map[stun.TransactionID]conformance.Datagram{}
		var m stun.Message
		for _, d := range s.Datagrams {
			if demux.Classify(d.Payload) == demux.STUN && fromResponder(d) {
				if err := m.Unmarshal(d.Payload); err != nil {
					t.Fatal(err)
				}
				if m.Type.Class != stun.ClassRequest {
					captured[m.TransactionID] = d
				}
			}
		}

		serverMI := stun.NewShortTermIntegrity(localCreds.Pwd)
		var requests, nominations int
		var lastRequest time.Time
		var firstMedia *conformance.Datagram
		var lastNomination []byte
		for i, d := range s.Datagrams {
			if demux.Classify(d.Payload) != demux.STUN {
				if firstMedia == nil && fromRequester(d) && demux.Classify(d.Payload) != demux.Unknown && n == 1 {
					firstMedia = &s.Datagrams[i]
				}
				continue
			}
			if !fromRequester(d) {
				continue
			}
			if err := m.Unmarshal(d.Payload); err != nil {
				t.Fatal(err)
			}
			if m.Type.Class != stun.ClassRequest {
				continue // the requester's answers to the other side's checks
			}
			if u, err := m.Username(); err != nil || string(u) != gen[0]+":"+gen[1] {
				continue // another credential generation's check
			}
			requests++
			ufrag, ok := ice.LocalUfrag(d.Payload)
			if !ok || string(ufrag) != localCreds.Ufrag {
				t.Errorf("frame %d: LocalUfrag %q, %v; want %q", d.N, ufrag, ok, localCreds.Ufrag)
			}
			if m.UseCandidate() {
				nominations++
				lastNomination = d.Payload
			}
			tid := m.TransactionID
			if err := a.HandleSTUN(d.Payload, d.Dst, d.Src, d.Time); err != nil {
				t.Errorf("frame %d: %v", d.N, err)
				continue
			}
			lastRequest = d.Time
			tx, ok := a.PollTransmit()
			if !ok {
				t.Errorf("frame %d: no response", d.N)
				continue
			}
			if extra, more := a.PollTransmit(); more {
				t.Errorf("frame %d: second transmit %x", d.N, extra.Payload)
			}
			want, ok := captured[tid]
			if !ok {
				t.Errorf("frame %d: no captured response with transaction ID %x", d.N, tid)
				continue
			}
			if tx.Dst != want.Dst || tx.Src != want.Src {
				t.Errorf("frame %d: response %v→%v, captured %v→%v", d.N, tx.Src, tx.Dst, want.Src, want.Dst)
			}
			compareResponse(t, d.N, want.N, tx.Payload, want.Payload, serverMI)
		}
		if requests == 0 || nominations == 0 {
			t.Fatalf("corpus has %d requests, %d nominations", requests, nominations)
		}

		// The nominated pair is the requester's address the capture shows,
		// and the one it sends media from.
		p, ok := a.SelectedPair()
		if !ok {
			t.Fatal("no selected pair after the replay")
		}
		if p.Remote != remote || p.Local != local {
			t.Errorf("selected pair %v→%v, want %v→%v", p.Local, p.Remote, local, remote)
		}
		if n > 1 {
			t.Logf("generation %d: the expected remote is where the requester's media ended up (%v)", n, remote)
		} else if firstMedia == nil {
			t.Logf("%s sends no media or DTLS: nothing to compare the selected pair with", requester.Side)
		} else if firstMedia.Src != p.Remote {
			t.Errorf("%s sends media from %v, selected remote %v", requester.Side, firstMedia.Src, p.Remote)
		}
		e, ok := a.PollEvent()
		if !ok || e.Kind != ice.EventConnected || e.Pair != p {
			t.Errorf("first event %+v, want connected on %v", e, p)
		}
		for e, ok := a.PollEvent(); ok; e, ok = a.PollEvent() {
			t.Errorf("unexpected event %v", e.Kind)
		}
		if st := a.Stats(); st.Requests != uint64(requests) || st.DropUnauth+st.DropMalformed+st.DropFingerprint != 0 {
			t.Errorf("stats %+v", st)
		}

		// Network change: the browser's last nominating request, replayed
		// from another address a second later (MESSAGE-INTEGRITY does not
		// cover the source), moves the selected pair there.
		moved := netip.AddrPortFrom(netip.MustParseAddr("203.0.113.9"), 40000)
		if err := a.HandleSTUN(lastNomination, local, moved, lastRequest.Add(time.Second)); err != nil {
			t.Fatalf("nomination from %v: %v", moved, err)
		}
		tx, _ := a.PollTransmit()
		var resp stun.Message
		if err := resp.Unmarshal(tx.Payload); err != nil {
			t.Fatal(err)
		}
		if ap, err := resp.XORMappedAddress(); err != nil || ap != moved || tx.Dst != moved {
			t.Errorf("after the move: XOR-MAPPED-ADDRESS %v (%v), sent to %v; want %v", ap, err, tx.Dst, moved)
		}
		e, ok = a.PollEvent()
		if !ok || e.Kind != ice.EventSelectedPairChanged || e.Pair.Remote != moved {
			t.Errorf("event %+v, want selected pair changed to %v", e, moved)
		}
		if p, _ := a.SelectedPair(); p.Remote != moved {
			t.Errorf("selected remote %v after the move", p.Remote)
		}
		lastRequest = lastRequest.Add(time.Second)

		// Consent: the capture ends long before 30 s; the deadline is 30 s
		// after the last request on the selected pair.
		deadline, ok := a.NextTimeout()
		if !ok {
			t.Fatal("no consent deadline")
		}
		a.HandleTimeout(deadline.Add(-time.Nanosecond))
		if !a.Connected() {
			t.Error("consent lost before its deadline")
		}
		a.HandleTimeout(deadline)
		if a.Connected() {
			t.Error("consent still valid at its deadline")
		}
		if got := deadline.Sub(lastRequest); got != 30*time.Second {
			t.Errorf("consent deadline %v after the last request on the selected pair, want 30s", got)
		}
	}
}

func compareResponse(t *testing.T, reqN, respN int, got, want []byte, mi *stun.Integrity) {
	t.Helper()
	var g, w stun.Message
	if err := g.Unmarshal(got); err != nil {
		t.Errorf("frame %d: our response does not parse: %v", reqN, err)
		return
	}
	if err := w.Unmarshal(want); err != nil {
		t.Errorf("frame %d: captured response does not parse: %v", respN, err)
		return
	}
	if g.Type != w.Type {
		t.Errorf("frame %d: type %v, captured %v", reqN, g.Type, w.Type)
	}
	if g.TransactionID != w.TransactionID {
		t.Errorf("frame %d: transaction ID %x, captured %x", reqN, g.TransactionID, w.TransactionID)
	}
	ga, gerr := g.XORMappedAddress()
	wa, werr := w.XORMappedAddress()
	if gerr != nil || werr != nil || ga != wa {
		t.Errorf("frame %d: XOR-MAPPED-ADDRESS %v (%v), captured %v (%v)", reqN, ga, gerr, wa, werr)
	}
	if err := mi.Check(&g); err != nil {
		t.Errorf("frame %d: our MESSAGE-INTEGRITY with the server pwd: %v", reqN, err)
	}
	if err := stun.CheckFingerprint(&g); err != nil {
		t.Errorf("frame %d: our FINGERPRINT: %v", reqN, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("frame %d: response differs from captured frame %d:\n got %x\nwant %x", reqN, respN, got, want)
	}
}
