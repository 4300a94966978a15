package ice_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/stun"
)

var (
	clientAddr  = netip.MustParseAddrPort("198.51.100.20:40000")
	client2Addr = netip.MustParseAddrPort("198.51.100.21:40001")
	clientCreds = ice.Credentials{Ufrag: "clientUfrag", Pwd: "clientPasswordOf24chars/"}
)

// stunAgent is what both agents offer the simulated network.
type stunAgent interface {
	HandleSTUN(b []byte, local, from netip.AddrPort, now time.Time) error
	PollTransmit() (ice.Transmit, bool)
	PollEvent() (ice.Event, bool)
	NextTimeout() (time.Time, bool)
	HandleTimeout(now time.Time)
}

// simNet passes datagrams between agents on a virtual clock, with zero
// latency. drop decides per datagram (in order of sending) whether it is
// lost; every datagram is logged.
type simNet struct {
	t      *testing.T
	now    time.Time
	agents map[netip.AddrPort]stunAgent
	events map[netip.AddrPort][]ice.Event
	drop   func(n int, from, to netip.AddrPort, m *stun.Message) bool
	sent   []sentDatagram
}

type sentDatagram struct {
	at       time.Time
	from, to netip.AddrPort
	msg      stun.Message
	raw      []byte
	dropped  bool
}

func newSimNet(t *testing.T) *simNet {
	return &simNet{t: t, now: t0, agents: map[netip.AddrPort]stunAgent{}, events: map[netip.AddrPort][]ice.Event{}}
}

// pump delivers every queued datagram (and what answering them causes).
func (n *simNet) pump() {
	for moved := true; moved; {
		moved = false
		for addr, a := range n.agents {
			for tx, ok := a.PollTransmit(); ok; tx, ok = a.PollTransmit() {
				moved = true
				raw := append([]byte(nil), tx.Payload...)
				d := sentDatagram{at: n.now, from: addr, to: tx.Dst, raw: raw}
				if err := d.msg.Unmarshal(raw); err != nil {
					n.t.Fatalf("%v sent an unparsable datagram: %v", addr, err)
				}
				if n.drop != nil && n.drop(len(n.sent), addr, tx.Dst, &d.msg) {
					d.dropped = true
					n.sent = append(n.sent, d)
					continue
				}
				n.sent = append(n.sent, d)
				if dst, ok := n.agents[tx.Dst]; ok {
					dst.HandleSTUN(raw, tx.Dst, addr, n.now)
				}
			}
			for e, ok := a.PollEvent(); ok; e, ok = a.PollEvent() {
				n.events[addr] = append(n.events[addr], e)
			}
		}
	}
}

// run advances the clock from timeout to timeout until until.
func (n *simNet) run(until time.Time) {
	n.pump()
	for {
		next, ok := time.Time{}, false
		for _, a := range n.agents {
			if t, has := a.NextTimeout(); has && (!ok || t.Before(next)) {
				next, ok = t, true
			}
		}
		if !ok || next.After(until) {
			n.now = until
			return
		}
		if next.After(n.now) {
			n.now = next
		}
		for _, a := range n.agents {
			if t, has := a.NextTimeout(); has && !t.After(n.now) {
				a.HandleTimeout(n.now)
			}
		}
		n.pump()
	}
}

func (n *simNet) firstEvent(addr netip.AddrPort, k ice.EventKind) (ice.Event, bool) {
	for _, e := range n.events[addr] {
		if e.Kind == k {
			return e, true
		}
	}
	return ice.Event{}, false
}

// requests returns the Binding requests sent from addr (retransmissions
// included), and how many carried USE-CANDIDATE.
func (n *simNet) requests(addr netip.AddrPort) (all []sentDatagram, nominations int) {
	for _, d := range n.sent {
		if d.from == addr && d.msg.Type == stun.BindingRequest {
			all = append(all, d)
			if d.msg.UseCandidate() {
				nominations++
			}
		}
	}
	return all, nominations
}

// newFull returns a full agent with creds and one host candidate at addr.
func newFull(t *testing.T, creds ice.Credentials, addr netip.AddrPort, cfg ice.FullConfig) *ice.FullAgent {
	t.Helper()
	cfg.Local = &creds
	a, err := ice.NewFullAgent(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddHostCandidate(addr); err != nil {
		t.Fatal(err)
	}
	return a
}

// newLite returns our ICE-lite agent with the server's credentials, its
// two host candidates, and the client's credentials.
func newLite(t *testing.T) *ice.Agent {
	t.Helper()
	c := serverCreds
	a, err := ice.NewAgent(ice.Config{Local: &c})
	if err != nil {
		t.Fatal(err)
	}
	a.AddHostCandidate(sfuAddr)
	a.AddHostCandidate(netip.MustParseAddrPort("[2001:db8::10]:3478"))
	if _, err := a.SetRemoteCredentials(clientCreds, t0); err != nil {
		t.Fatal(err)
	}
	return a
}

// fullVsLite sets up our full agent (client) against our ICE-lite agent
// (server), each with the other's credentials and the client with the
// server's candidate, as an SDP offer/answer would.
func fullVsLite(t *testing.T, cfg ice.FullConfig) (*simNet, *ice.FullAgent, *ice.Agent) {
	t.Helper()
	full := newFull(t, clientCreds, clientAddr, cfg)
	lite := newLite(t)
	if err := full.SetRemoteCredentials(serverCreds, t0); err != nil {
		t.Fatal(err)
	}
	full.SetRemoteLite(true)
	for _, c := range lite.LocalCandidates() {
		if err := full.AddRemoteCandidate(ice.RemoteCandidate{Foundation: c.Foundation, Priority: c.Priority, Address: c.Address, Type: c.Type}); err != nil {
			t.Fatal(err)
		}
	}
	n := newSimNet(t)
	n.agents[clientAddr] = full
	n.agents[sfuAddr] = lite
	return n, full, lite
}

// End to end against the lite agent: one check, one nominating check
// (RFC 8445 §8.1.1 regular nomination), both sides select the same pair.
func TestFullAgentAgainstLite(t *testing.T) {
	n, full, lite := fullVsLite(t, ice.FullConfig{})
	n.run(t0.Add(5 * time.Second))
	ce, ok := n.firstEvent(clientAddr, ice.EventConnected)
	if !ok {
		t.Fatalf("full agent never connected; events %+v, stats %+v", n.events[clientAddr], full.Stats())
	}
	if want := (ice.Pair{Local: clientAddr, Remote: sfuAddr}); ce.Pair != want {
		t.Errorf("full agent selected %+v, want %+v", ce.Pair, want)
	}
	le, ok := n.firstEvent(sfuAddr, ice.EventConnected)
	if !ok || le.Pair != (ice.Pair{Local: sfuAddr, Remote: clientAddr}) {
		t.Fatalf("lite agent events %+v", n.events[sfuAddr])
	}
	// The lite agent must have selected before (or when) the full agent
	// learned of the nomination's success.
	if le.Time.After(ce.Time) {
		t.Errorf("lite connected at %v, after the full agent at %v", le.Time, ce.Time)
	}
	reqs, noms := n.requests(clientAddr)
	if noms != 1 {
		t.Errorf("%d nominating checks, want 1", noms)
	}
	// The IPv6 candidate of the server has no IPv6 local candidate to
	// pair with (RFC 8445 §6.1.2.2): only IPv4 checks are sent.
	for _, r := range reqs {
		if r.to != sfuAddr {
			t.Errorf("check sent to %v", r.to)
		}
		// What the lite agent verified, checked here independently.
		if u, _ := r.msg.Username(); string(u) != serverCreds.Ufrag+":"+clientCreds.Ufrag {
			t.Errorf("USERNAME %q", u)
		}
		if _, err := r.msg.ICEControlling(); err != nil {
			t.Errorf("check without ICE-CONTROLLING: %v", err)
		}
		if err := stun.NewShortTermIntegrity(serverCreds.Pwd).Check(&r.msg); err != nil {
			t.Errorf("check integrity: %v", err)
		}
	}
	// Ta pacing (RFC 8445 §14.2): new checks at least 50 ms apart.
	for i := 1; i < len(reqs); i++ {
		if d := reqs[i].at.Sub(reqs[i-1].at); d < ice.DefaultTa && reqs[i].msg.TransactionID != reqs[i-1].msg.TransactionID {
			t.Errorf("checks %d and %d %v apart, under Ta", i-1, i, d)
		}
	}
	if p, ok := full.SelectedPair(); !ok || p.Remote != sfuAddr {
		t.Errorf("SelectedPair %v %v", p, ok)
	}
	if full.Role() != ice.RoleControlling {
		t.Errorf("role %v facing a lite agent", full.Role())
	}
	if st := lite.Stats(); st.Nominations != 1 || st.Requests < 2 {
		t.Errorf("lite stats %+v", st)
	}
}

// Lost checks are retransmitted with the same transaction ID at RTO,
// 2*RTO, ... (RFC 8489 §6.2.1), and ICE still completes.
func TestFullAgentRetransmitsLostChecks(t *testing.T) {
	n, full, _ := fullVsLite(t, ice.FullConfig{})
	n.drop = func(i int, from, _ netip.AddrPort, m *stun.Message) bool {
		return i < 2 && from == clientAddr // the first check and its first retransmission
	}
	n.run(t0.Add(10 * time.Second))
	ce, ok := n.firstEvent(clientAddr, ice.EventConnected)
	if !ok {
		t.Fatalf("not connected; stats %+v", full.Stats())
	}
	reqs, _ := n.requests(clientAddr)
	if len(reqs) < 3 || reqs[0].msg.TransactionID != reqs[1].msg.TransactionID || reqs[1].msg.TransactionID != reqs[2].msg.TransactionID {
		t.Fatalf("first three requests are not one transaction: %d requests", len(reqs))
	}
	if string(reqs[0].raw) != string(reqs[2].raw) {
		t.Error("retransmission differs from the original request")
	}
	if d := reqs[1].at.Sub(reqs[0].at); d != ice.DefaultRTO {
		t.Errorf("first retransmission after %v, want RTO %v", d, ice.DefaultRTO)
	}
	if d := reqs[2].at.Sub(reqs[1].at); d != 2*ice.DefaultRTO {
		t.Errorf("second retransmission after %v, want 2*RTO", d)
	}
	if st := full.Stats(); st.Retransmits != 2 {
		t.Errorf("Retransmits = %d, want 2", st.Retransmits)
	}
	if ce.Time.Before(t0.Add(3 * ice.DefaultRTO)) {
		t.Errorf("connected at %v, before the third transmission could be answered", ce.Time.Sub(t0))
	}
}

// A check that is never answered times out after Rc transmissions and
// Rm*RTO (RFC 8489 §6.2.1: 39.5 s with the defaults); with no other pair
// the check list fails (RFC 8445 §8.1.2).
func TestFullAgentFailsWithoutAnswers(t *testing.T) {
	n, full, _ := fullVsLite(t, ice.FullConfig{})
	n.drop = func(int, netip.AddrPort, netip.AddrPort, *stun.Message) bool { return true }
	n.run(t0.Add(time.Minute))
	reqs, _ := n.requests(clientAddr)
	if len(reqs) != ice.DefaultRc {
		t.Errorf("%d transmissions, want Rc = %d", len(reqs), ice.DefaultRc)
	}
	e, ok := n.firstEvent(clientAddr, ice.EventFailed)
	if !ok {
		t.Fatalf("no failure event; events %+v", n.events[clientAddr])
	}
	// 0.5+1+2+4+8+16 s of RTOs, then 16*0.5 s.
	if want := t0.Add(39500 * time.Millisecond); !e.Time.Equal(want) {
		t.Errorf("failed at %v, want %v", e.Time.Sub(t0), want.Sub(t0))
	}
	if !full.Failed() || full.Connected() || full.Stats().Timeouts != 1 {
		t.Errorf("failed %v connected %v stats %+v", full.Failed(), full.Connected(), full.Stats())
	}
}

// A full agent that starts controlled against a lite agent gets 487
// (the lite agent is always controlled), switches to controlling and
// nominates (RFC 8445 §7.2.5.1).
func TestFullAgentRoleConflictWithLite(t *testing.T) {
	// As if the SDP had not said a=ice-lite: SetRemoteLite is not called.
	full2 := newFull(t, clientCreds, clientAddr, ice.FullConfig{Role: ice.RoleControlled})
	lite := newLite(t)
	full2.SetRemoteCredentials(serverCreds, t0)
	full2.AddRemoteCandidate(ice.RemoteCandidate{Foundation: "1", Priority: 2130706431, Address: sfuAddr})
	n := newSimNet(t)
	n.agents[sfuAddr] = lite
	n.agents[clientAddr] = full2
	n.run(t0.Add(5 * time.Second))
	if full2.Role() != ice.RoleControlling {
		t.Fatalf("role %v after 487", full2.Role())
	}
	if st := full2.Stats(); st.RoleConflicts != 1 || st.ErrorResponses != 1 {
		t.Errorf("stats %+v", st)
	}
	if !full2.Connected() {
		t.Fatalf("not connected after resolving the conflict; events %+v", n.events[clientAddr])
	}
	if _, ok := n.firstEvent(sfuAddr, ice.EventConnected); !ok {
		t.Error("lite agent saw no nomination")
	}
}

// Two full agents that both start controlling: the one with the smaller
// tie-breaker becomes controlled (RFC 8445 §7.3.1.1), the other
// nominates, and both select the same pair.
func TestFullAgentsRoleConflict(t *testing.T) {
	for _, bigFirst := range []bool{true, false} {
		big, small := uint64(0x9000000000000000), uint64(0x1000000000000000)
		if !bigFirst {
			big, small = small, big
		}
		a := newFull(t, clientCreds, clientAddr, ice.FullConfig{TieBreaker: big})
		b := newFull(t, serverCreds, client2Addr, ice.FullConfig{TieBreaker: small})
		a.SetRemoteCredentials(serverCreds, t0)
		b.SetRemoteCredentials(clientCreds, t0)
		ca, cb := a.LocalCandidates()[0], b.LocalCandidates()[0]
		a.AddRemoteCandidate(ice.RemoteCandidate{Foundation: cb.Foundation, Priority: cb.Priority, Address: cb.Address})
		b.AddRemoteCandidate(ice.RemoteCandidate{Foundation: ca.Foundation, Priority: ca.Priority, Address: ca.Address})
		n := newSimNet(t)
		n.agents[clientAddr], n.agents[client2Addr] = a, b
		n.run(t0.Add(10 * time.Second))
		winner, loser := a, b
		if !bigFirst {
			winner, loser = b, a
		}
		if winner.Role() != ice.RoleControlling || loser.Role() != ice.RoleControlled {
			t.Fatalf("bigFirst=%v: roles %v/%v, want the larger tie-breaker controlling", bigFirst, winner.Role(), loser.Role())
		}
		if loser.Stats().RoleConflicts+winner.Stats().RoleConflicts != 1 {
			t.Errorf("role switches %d + %d, want exactly one", winner.Stats().RoleConflicts, loser.Stats().RoleConflicts)
		}
		pa, oka := a.SelectedPair()
		pb, okb := b.SelectedPair()
		if !oka || !okb || pa.Remote != client2Addr || pb.Remote != clientAddr {
			t.Fatalf("selected %v %v / %v %v", pa, oka, pb, okb)
		}
		if _, noms := n.requests(map[bool]netip.AddrPort{true: clientAddr, false: client2Addr}[bigFirst]); noms == 0 {
			t.Error("the controlling agent sent no USE-CANDIDATE")
		}
		if _, noms := n.requests(map[bool]netip.AddrPort{true: client2Addr, false: clientAddr}[bigFirst]); noms != 0 {
			t.Error("the controlled agent sent USE-CANDIDATE")
		}
	}
}

// Consent (RFC 7675 §5.1): while the peer answers, a check goes out every
// 4-6 s and the pair stays selected; both sides keep consent.
func TestFullAgentConsentKept(t *testing.T) {
	n, full, lite := fullVsLite(t, ice.FullConfig{})
	n.run(t0.Add(2 * time.Minute))
	if !full.Connected() || !lite.Connected() {
		t.Fatalf("connected %v/%v after 2 min of answered consent checks; events %+v %+v", full.Connected(), lite.Connected(), n.events[clientAddr], n.events[sfuAddr])
	}
	if len(n.events[clientAddr]) != 1 || len(n.events[sfuAddr]) != 1 {
		t.Errorf("events beyond Connected: %+v / %+v", n.events[clientAddr], n.events[sfuAddr])
	}
	reqs, noms := n.requests(clientAddr)
	var consent []time.Time
	for _, r := range reqs[noms+1:] { // after the check and the nomination
		consent = append(consent, r.at)
	}
	if len(consent) < 19 || len(consent) > 30 {
		t.Errorf("%d consent checks in 2 min, want 20-30 at 4-6 s", len(consent))
	}
	for i := 1; i < len(consent); i++ {
		if d := consent[i].Sub(consent[i-1]); d < 4*time.Second || d > 6*time.Second {
			t.Errorf("consent checks %v apart, want 4-6 s", d)
		}
	}
	if st := full.Stats(); st.ConsentOK != st.ConsentSent || st.ConsentSent == 0 {
		t.Errorf("stats %+v", st)
	}
}

// Consent is lost 30 s after the last response when the peer stops
// answering (RFC 7675 §5.1), and checks keep going until then.
func TestFullAgentConsentLost(t *testing.T) {
	n, full, _ := fullVsLite(t, ice.FullConfig{})
	n.run(t0.Add(20 * time.Second))
	if !full.Connected() {
		t.Fatal("not connected")
	}
	var lastAnswer time.Time
	for _, d := range n.sent {
		if d.from == sfuAddr {
			lastAnswer = d.at
		}
	}
	silentFrom := len(n.sent)
	n.drop = func(i int, from, _ netip.AddrPort, _ *stun.Message) bool { return from == sfuAddr }
	n.run(t0.Add(2 * time.Minute))
	e, ok := n.firstEvent(clientAddr, ice.EventConsentLost)
	if !ok {
		t.Fatalf("consent never lost; events %+v", n.events[clientAddr])
	}
	if want := lastAnswer.Add(ice.DefaultConsentTimeout); !e.Time.Equal(want) {
		t.Errorf("consent lost at %v, want 30 s after the last response (%v)", e.Time.Sub(t0), want.Sub(t0))
	}
	if full.Connected() || !full.ConsentLost() {
		t.Error("media may still flow")
	}
	checks := 0
	for _, d := range n.sent[silentFrom:] {
		if d.from == clientAddr {
			checks++
			if d.at.After(e.Time) {
				t.Errorf("check sent at %v, after consent was lost", d.at.Sub(t0))
			}
		}
	}
	if checks < 4 {
		t.Errorf("%d consent checks in the 30 s before loss, want 5 or more", checks)
	}
}

// The full agent answers the peer's checks as a STUN server: a success
// with XOR-MAPPED-ADDRESS signed with the local password; a request
// signed with another password gets nothing.
func TestFullAgentAnswersChecks(t *testing.T) {
	full := newFull(t, serverCreds, sfuAddr, ice.FullConfig{Role: ice.RoleControlled})
	full.SetRemoteCredentials(peerCreds, t0)
	m, err := handleFull(t, full, req{tid: 1, useCandidate: true}, peerA, t0)
	if err != nil || m == nil || m.Type != stun.BindingSuccess {
		t.Fatalf("no success: %v %v", m, err)
	}
	if ap, _ := m.XORMappedAddress(); ap != peerA {
		t.Errorf("XOR-MAPPED-ADDRESS %v", ap)
	}
	if err := stun.NewShortTermIntegrity(serverCreds.Pwd).Check(m); err != nil {
		t.Errorf("integrity: %v", err)
	}
	// The unknown source became a peer-reflexive candidate with a
	// triggered check (RFC 8445 §7.3.1.3-4); it goes out at once.
	if !full.KnownRemote(peerA) {
		t.Error("source not learned as peer-reflexive")
	}
	full.HandleTimeout(t0)
	tx, ok := full.PollTransmit()
	if !ok || tx.Dst != peerA {
		t.Fatalf("no triggered check to %v", peerA)
	}
	var chk stun.Message
	chk.Unmarshal(tx.Payload)
	if _, err := chk.ICEControlled(); err != nil || chk.UseCandidate() {
		t.Errorf("triggered check of a controlled agent: ICE-CONTROLLED %v, USE-CANDIDATE %v", err, chk.UseCandidate())
	}
	// Its success completes the nomination the request carried (§7.3.1.5).
	var b stun.Builder
	b.Reset(nil, stun.BindingSuccess, chk.TransactionID)
	b.AddXORMappedAddress(sfuAddr)
	b.AddMessageIntegrity(stun.NewShortTermIntegrity(peerCreds.Pwd))
	b.AddFingerprint()
	resp, _ := b.Bytes()
	if err := full.HandleSTUN(resp, sfuAddr, peerA, t0); err != nil {
		t.Fatal(err)
	}
	if p, ok := full.SelectedPair(); !ok || p.Remote != peerA {
		t.Fatalf("selected %v %v after the nominated pair's check succeeded", p, ok)
	}
	if m, err := handleFull(t, full, req{tid: 2, pwd: "notTheServerPassword12"}, peerA, t0); m != nil || err != ice.ErrIntegrity {
		t.Errorf("wrong password answered: %v %v", m, err)
	}
}

func handleFull(t *testing.T, a *ice.FullAgent, r req, from netip.AddrPort, now time.Time) (*stun.Message, error) {
	t.Helper()
	err := a.HandleSTUN(r.build(t), sfuAddr, from, now)
	tx, ok := a.PollTransmit()
	if !ok {
		return nil, err
	}
	m := new(stun.Message)
	if uerr := m.Unmarshal(append([]byte(nil), tx.Payload...)); uerr != nil {
		t.Fatal(uerr)
	}
	return m, err
}
