package ice_test

import (
	"bytes"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/stun"
)

func TestSuccessResponse(t *testing.T) {
	a := newAgent(t, ice.Config{})
	m, err := handle(t, a, req{tid: 1}, peerA, t0)
	if err != nil || m == nil {
		t.Fatalf("no success: %v", err)
	}
	if m.Type != stun.BindingSuccess {
		t.Errorf("type %v", m.Type)
	}
	if ap, err := m.XORMappedAddress(); err != nil || ap != peerA {
		t.Errorf("XOR-MAPPED-ADDRESS %v, %v; want %v", ap, err, peerA)
	}
	if err := stun.NewShortTermIntegrity(serverCreds.Pwd).Check(m); err != nil {
		t.Errorf("MESSAGE-INTEGRITY with the local pwd: %v", err)
	}
	var types []stun.AttrType
	for _, at := range m.Attributes {
		types = append(types, at.Type)
	}
	if !slices.Equal(types, []stun.AttrType{stun.AttrXORMappedAddress, stun.AttrMessageIntegrity, stun.AttrFingerprint}) {
		t.Errorf("attributes %v", types)
	}
	// A check without USE-CANDIDATE selects nothing.
	if _, ok := a.SelectedPair(); ok {
		t.Error("pair selected without nomination")
	}
	if ev := events(a); len(ev) != 0 {
		t.Errorf("events %v", ev)
	}
	// IPv6 source, IPv6 XOR-MAPPED-ADDRESS.
	m, _ = handle(t, a, req{tid: 2}, peerB, t0)
	if ap, err := m.XORMappedAddress(); err != nil || ap != peerB {
		t.Errorf("XOR-MAPPED-ADDRESS %v, %v; want %v", ap, err, peerB)
	}
}

// Everything that fails authentication, or is not a request, gets no
// answer by default and is counted.
func TestUnauthenticatedDropped(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    req
		want error
	}{
		{"no FINGERPRINT", req{noFP: true}, ice.ErrFingerprint},
		{"bad FINGERPRINT", req{badFP: true}, ice.ErrFingerprint},
		{"no USERNAME", req{noUsername: true}, ice.ErrNoUsername},
		{"no MESSAGE-INTEGRITY", req{noMI: true}, ice.ErrNoIntegrity},
		{"other local ufrag", req{username: "someoneElse:" + peerCreds.Ufrag}, ice.ErrUnknownUsername},
		{"other remote ufrag", req{username: serverCreds.Ufrag + ":intruder"}, ice.ErrUnknownUsername},
		{"ufrag prefix only", req{username: serverCreds.Ufrag}, ice.ErrUnknownUsername},
		{"wrong password", req{pwd: "notTheServerPassword12"}, ice.ErrIntegrity},
		{"signed with the peer's password", req{pwd: peerCreds.Pwd}, ice.ErrIntegrity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAgent(t, ice.Config{})
			m, err := handle(t, a, tc.r, peerA, t0)
			if !errors.Is(err, tc.want) {
				t.Errorf("err %v, want %v", err, tc.want)
			}
			if m != nil {
				t.Errorf("answered with %v", m.Type)
			}
			st := a.Stats()
			if st.DropUnauth+st.DropFingerprint != 1 || st.Requests != 0 {
				t.Errorf("stats %+v", st)
			}
			if _, err := handle(t, a, req{tid: 9, useCandidate: true}, peerA, t0); err != nil {
				t.Errorf("valid request after the bad one: %v", err)
			}
			if ev := events(a); len(ev) != 1 || ev[0].Kind != ice.EventConnected {
				t.Errorf("events %v", ev)
			}
		})
	}
}

func TestNotARequestDropped(t *testing.T) {
	a := newAgent(t, ice.Config{})
	if err := a.HandleSTUN([]byte{0, 1, 0, 4}, sfuAddr, peerA, t0); err == nil {
		t.Error("malformed accepted")
	}
	var b stun.Builder
	for _, typ := range []stun.MessageType{stun.BindingIndicate, stun.BindingSuccess, stun.BindingError} {
		b.Reset(nil, typ, stun.TransactionID{3})
		b.AddFingerprint()
		raw, _ := b.Bytes()
		if err := a.HandleSTUN(raw, sfuAddr, peerA, t0); err != ice.ErrNotRequest {
			t.Errorf("%v: %v", typ, err)
		}
	}
	if _, ok := a.PollTransmit(); ok {
		t.Error("answered a non-request")
	}
	if st := a.Stats(); st.DropMalformed != 1 || st.DropNotRequest != 3 {
		t.Errorf("stats %+v", st)
	}
}

// With AnswerUnauthenticated the RFC 8489 §9.1.3 answers come back:
// unsigned 400/401, and never larger than the request.
func TestAnswerUnauthenticated(t *testing.T) {
	long := func(b *stun.Builder) { b.AddSoftware(strings.Repeat("s", 40)) }
	for _, tc := range []struct {
		name string
		r    req
		code int
	}{
		{"no USERNAME", req{noUsername: true, extra: long}, stun.CodeBadRequest},
		{"no MESSAGE-INTEGRITY", req{noMI: true, extra: long}, stun.CodeBadRequest},
		{"other ufrag", req{username: "someoneElse:peer"}, stun.CodeUnauthenticated},
		{"wrong password", req{pwd: "notTheServerPassword12"}, stun.CodeUnauthenticated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAgent(t, ice.Config{AnswerUnauthenticated: true})
			raw := tc.r.build(t)
			m, _ := handle(t, a, tc.r, peerA, t0)
			if m == nil {
				t.Fatal("no answer")
			}
			ec, err := m.ErrorCode()
			if m.Type != stun.BindingError || err != nil || ec.Code != tc.code {
				t.Errorf("%v %v %v, want error %d", m.Type, ec, err, tc.code)
			}
			if m.Contains(stun.AttrMessageIntegrity) || m.Contains(stun.AttrXORMappedAddress) {
				t.Error("unauthenticated answer is signed or reflects the address")
			}
			if len(m.Raw) > len(raw) {
				t.Errorf("answer %d bytes > request %d bytes", len(m.Raw), len(raw))
			}
		})
	}
	// A tiny request would be amplified by a 400: not answered.
	a := newAgent(t, ice.Config{AnswerUnauthenticated: true})
	var b stun.Builder
	b.Reset(nil, stun.BindingRequest, stun.TransactionID{4})
	b.AddFingerprint()
	raw, _ := b.Bytes()
	if err := a.HandleSTUN(raw, sfuAddr, peerA, t0); err != ice.ErrNoUsername {
		t.Errorf("err %v", err)
	}
	if tx, ok := a.PollTransmit(); ok {
		t.Errorf("answered a %d-byte request with %d bytes", len(raw), len(tx.Payload))
	}
}

// Authenticated but wrong: signed error responses, no state change.
func TestAuthenticatedErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		r       req
		code    int
		want    error
		unknown []stun.AttrType
	}{
		{"ICE-CONTROLLED", req{controlled: true, useCandidate: true}, stun.CodeRoleConflict, ice.ErrRoleConflict, nil},
		{"unknown comprehension-required", req{useCandidate: true, extra: func(b *stun.Builder) {
			b.Add(0x7777, []byte{1})
			b.Add(0x0003, nil)
		}}, stun.CodeUnknownAttribute, ice.ErrUnknownAttribute, []stun.AttrType{0x7777, 0x0003}},
		{"no PRIORITY", req{noPriority: true, useCandidate: true}, stun.CodeBadRequest, ice.ErrBadRequest, nil},
		{"bad PRIORITY", req{noPriority: true, useCandidate: true, extra: func(b *stun.Builder) {
			b.Add(stun.AttrPriority, []byte{1, 2})
		}}, stun.CodeBadRequest, ice.ErrBadRequest, nil},
		{"bad ICE-CONTROLLING", req{noRole: true, useCandidate: true, extra: func(b *stun.Builder) {
			b.Add(stun.AttrICEControlling, []byte{1, 2})
		}}, stun.CodeBadRequest, ice.ErrBadRequest, nil},
		{"USE-CANDIDATE with a value", req{extra: func(b *stun.Builder) {
			b.Add(stun.AttrUseCandidate, []byte{1, 2, 3, 4})
		}}, stun.CodeBadRequest, ice.ErrBadRequest, nil},
		{"unknown method", req{method: 0x003, useCandidate: true}, stun.CodeBadRequest, ice.ErrBadRequest, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAgent(t, ice.Config{})
			m, err := handle(t, a, tc.r, peerA, t0)
			if !errors.Is(err, tc.want) {
				t.Errorf("err %v, want %v", err, tc.want)
			}
			if m == nil {
				t.Fatal("no answer")
			}
			if m.Type.Class != stun.ClassErrorResponse {
				t.Errorf("class %v", m.Type.Class)
			}
			if ec, err := m.ErrorCode(); err != nil || ec.Code != tc.code {
				t.Errorf("ERROR-CODE %v, %v; want %d", ec, err, tc.code)
			}
			if err := stun.NewShortTermIntegrity(serverCreds.Pwd).Check(m); err != nil {
				t.Errorf("error response not signed with the local pwd: %v", err)
			}
			if tc.unknown != nil {
				got, err := m.UnknownAttributes(nil)
				if err != nil || !slices.Equal(got, tc.unknown) {
					t.Errorf("UNKNOWN-ATTRIBUTES %v, %v; want %v", got, err, tc.unknown)
				}
			}
			if _, ok := a.SelectedPair(); ok {
				t.Error("failed request nominated a pair")
			}
			if _, ok := a.NextTimeout(); ok {
				t.Error("failed request started consent")
			}
			if st := a.Stats(); st.ErrorResponses != 1 || st.Requests != 0 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

// A nomination on another pair moves the selected pair; plain checks on
// another pair do not (RFC 8445 §8.2).
func TestNominationSwitch(t *testing.T) {
	a := newAgent(t, ice.Config{})
	handle(t, a, req{tid: 1, useCandidate: true}, peerA, t0)
	ev := events(a)
	if len(ev) != 1 || ev[0].Kind != ice.EventConnected || ev[0].Pair.Remote != peerA || ev[0].Pair.Local != sfuAddr || !ev[0].Time.Equal(t0) {
		t.Fatalf("events %+v", ev)
	}
	handle(t, a, req{tid: 2, useCandidate: true}, peerA, t0.Add(time.Second))
	handle(t, a, req{tid: 3}, peerB, t0.Add(2*time.Second))
	if ev := events(a); len(ev) != 0 {
		t.Fatalf("re-nomination or plain check raised %+v", ev)
	}
	if p, _ := a.SelectedPair(); p.Remote != peerA {
		t.Fatalf("selected %v", p)
	}
	handle(t, a, req{tid: 4, useCandidate: true}, peerB, t0.Add(3*time.Second))
	ev = events(a)
	if len(ev) != 1 || ev[0].Kind != ice.EventSelectedPairChanged || ev[0].Pair.Remote != peerB {
		t.Fatalf("events %+v", ev)
	}
	if p, ok := a.SelectedPair(); !ok || p.Remote != peerB {
		t.Fatalf("selected %v %v", p, ok)
	}
	// Consent now follows peerB: checks on peerA no longer keep it.
	if d, _ := a.NextTimeout(); !d.Equal(t0.Add(33 * time.Second)) {
		t.Errorf("deadline %v", d)
	}
	handle(t, a, req{tid: 5}, peerA, t0.Add(20*time.Second))
	if d, _ := a.NextTimeout(); !d.Equal(t0.Add(33 * time.Second)) {
		t.Errorf("check on the old pair moved the deadline to %v", d)
	}
	if st := a.Stats(); st.Nominations != 3 || st.SelectedPairMoves != 1 {
		t.Errorf("stats %+v", st)
	}
}

// Before the remote SDP is known only the local half of USERNAME is
// checked (RFC 8445 §7.3 allows checks to arrive before the answer).
func TestRequestBeforeRemoteCredentials(t *testing.T) {
	c := serverCreds
	a, err := ice.NewAgent(ice.Config{Local: &c})
	if err != nil {
		t.Fatal(err)
	}
	a.AddHostCandidate(sfuAddr)
	if m, err := handle(t, a, req{tid: 1, useCandidate: true}, peerA, t0); m == nil || m.Type != stun.BindingSuccess {
		t.Fatalf("early check: %v", err)
	}
	if m, _ := handle(t, a, req{tid: 2, username: serverCreds.Ufrag + ":"}, peerA, t0); m != nil {
		t.Error("empty remote ufrag accepted")
	}
}

func TestCredentialsGeneration(t *testing.T) {
	rnd := bytes.NewReader(bytes.Repeat([]byte{0, 1, 2, 3, 62, 63, 64, 255}, 100))
	a, err := ice.NewAgent(ice.Config{Rand: rnd})
	if err != nil {
		t.Fatal(err)
	}
	c := a.LocalCredentials()
	if c.Ufrag != "ABCD+/A/ABCD+/A/" || len(c.Pwd) != 32 || c.Validate() != nil {
		t.Errorf("credentials %+v", c)
	}
	b, _ := ice.NewAgent(ice.Config{})
	d, _ := ice.NewAgent(ice.Config{})
	if b.LocalCredentials() == d.LocalCredentials() {
		t.Error("crypto/rand gave equal credentials")
	}
	if _, err := ice.NewAgent(ice.Config{Rand: bytes.NewReader(nil)}); err == nil {
		t.Error("empty randomness accepted")
	}
	for _, bad := range []ice.Credentials{
		{Ufrag: "abc", Pwd: strings.Repeat("p", 22)},
		{Ufrag: "abcd", Pwd: strings.Repeat("p", 21)},
		{Ufrag: "ab:d", Pwd: strings.Repeat("p", 22)},
		{Ufrag: strings.Repeat("u", 257), Pwd: strings.Repeat("p", 22)},
	} {
		if _, err := ice.NewAgent(ice.Config{Local: &bad}); err == nil {
			t.Errorf("credentials %q accepted", bad.Ufrag)
		}
	}
}

func TestHostCandidates(t *testing.T) {
	a, _ := ice.NewAgent(ice.Config{})
	c1, err := a.AddHostCandidate(netip.MustParseAddrPort("127.0.0.1:50703"))
	if err != nil {
		t.Fatal(err)
	}
	// RFC 8445 §5.1.2.1: 126<<24 | 65535<<8 | 255, the value pion and the
	// corpus answers use for a single host candidate.
	if c1.Priority != 2130706431 || c1.Component != 1 || c1.Transport != "udp" || c1.Type != ice.CandidateHost || c1.Type.String() != "host" {
		t.Errorf("candidate %+v", c1)
	}
	c2, _ := a.AddHostCandidate(netip.MustParseAddrPort("127.0.0.1:50704"))
	c3, _ := a.AddHostCandidate(netip.MustParseAddrPort("[::1]:50703"))
	if c1.Foundation != c2.Foundation {
		t.Error("same base address, different foundations (RFC 8445 §5.1.1.3)")
	}
	if c1.Foundation == c3.Foundation {
		t.Error("different base addresses share a foundation")
	}
	if !(c1.Priority > c2.Priority && c2.Priority > c3.Priority) {
		t.Errorf("priorities not distinct: %d %d %d", c1.Priority, c2.Priority, c3.Priority)
	}
	if got := ice.Priority(ice.CandidateServerReflexive, 65535, 2); got != 100<<24|65535<<8|254 {
		t.Errorf("srflx priority %d", got)
	}
	if len(a.LocalCandidates()) != 3 {
		t.Errorf("%d candidates", len(a.LocalCandidates()))
	}
	for _, bad := range []string{"0.0.0.0:5000", "127.0.0.1:0", "127.0.0.1:50703"} {
		if _, err := a.AddHostCandidate(netip.MustParseAddrPort(bad)); err == nil {
			t.Errorf("candidate %s accepted", bad)
		}
	}
}

// A wildcard socket passes no local address: the agent uses the host
// candidate of the source's family.
func TestLocalAddressFromCandidates(t *testing.T) {
	a := newAgent(t, ice.Config{})
	if err := a.HandleSTUN(req{tid: 1}.build(t), netip.AddrPort{}, peerB, t0); err != nil {
		t.Fatal(err)
	}
	tx, _ := a.PollTransmit()
	if tx.Src != netip.MustParseAddrPort("[2001:db8::10]:3478") {
		t.Errorf("source %v", tx.Src)
	}
}

func TestLocalUfrag(t *testing.T) {
	raw := req{tid: 1}.build(t)
	u, ok := ice.LocalUfrag(raw)
	if !ok || string(u) != serverCreds.Ufrag {
		t.Errorf("LocalUfrag %q, %v", u, ok)
	}
	if n := testing.AllocsPerRun(100, func() { ice.LocalUfrag(raw) }); n != 0 {
		t.Errorf("LocalUfrag allocates %v times", n)
	}
	agents := map[string]int{serverCreds.Ufrag: 1}
	if n := testing.AllocsPerRun(100, func() {
		u, _ := ice.LocalUfrag(raw)
		_ = agents[string(u)]
	}); n != 0 {
		t.Errorf("routing lookup allocates %v times", n)
	}
	for _, r := range []req{{noUsername: true}, {username: "nocolon"}, {username: ":x"}} {
		if u, ok := ice.LocalUfrag(r.build(t)); ok {
			t.Errorf("LocalUfrag(%q) = %q", r.username, u)
		}
	}
	if _, ok := ice.LocalUfrag([]byte{0x17, 0xfe, 0xfd}); ok {
		t.Error("LocalUfrag on DTLS")
	}
}

// Answering an authenticated check allocates nothing in steady state.
func TestHandleSTUNAllocs(t *testing.T) {
	a := newAgent(t, ice.Config{})
	raw := req{tid: 1, useCandidate: true}.build(t)
	now := t0
	n := testing.AllocsPerRun(200, func() {
		now = now.Add(time.Second)
		if err := a.HandleSTUN(raw, sfuAddr, peerA, now); err != nil {
			t.Fatal(err)
		}
		a.PollTransmit()
		a.PollEvent()
	})
	if n != 0 {
		t.Errorf("HandleSTUN allocates %v times per request", n)
	}
	bad := req{tid: 1, pwd: "notTheServerPassword12"}.build(t)
	if n := testing.AllocsPerRun(200, func() { a.HandleSTUN(bad, sfuAddr, peerA, now) }); n != 0 {
		t.Errorf("dropping a bad request allocates %v times", n)
	}
}

// An owner that never polls cannot make the agent grow without bound.
func TestTransmitQueueBounded(t *testing.T) {
	a := newAgent(t, ice.Config{})
	raw := req{tid: 1}.build(t)
	for range 100 {
		a.HandleSTUN(raw, sfuAddr, peerA, t0)
	}
	n := 0
	for _, ok := a.PollTransmit(); ok; _, ok = a.PollTransmit() {
		n++
	}
	if n != 32 || a.Stats().DropQueueFull != 68 {
		t.Errorf("queued %d, dropped %d", n, a.Stats().DropQueueFull)
	}
}

// A request with neither ICE-CONTROLLING nor ICE-CONTROLLED (an RFC 5245
// era peer) has no role to conflict with and is answered.
func TestRequestWithoutRole(t *testing.T) {
	a := newAgent(t, ice.Config{})
	if m, err := handle(t, a, req{tid: 1, noRole: true, useCandidate: true}, peerA, t0); m == nil || m.Type != stun.BindingSuccess {
		t.Errorf("request without a role attribute: %v", err)
	}
}
