package ice_test

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/stun"
)

var (
	serverCreds = ice.Credentials{Ufrag: "SERVERufrag1", Pwd: "serverPasswordOf24chars+"}
	peerCreds   = ice.Credentials{Ufrag: "peer", Pwd: "peerPasswordIs22chars/"}
	sfuAddr     = netip.MustParseAddrPort("192.0.2.10:3478")
	peerA       = netip.MustParseAddrPort("198.51.100.7:50000")
	peerB       = netip.MustParseAddrPort("[2001:db8::7]:50001")
	t0          = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
)

// newAgent returns an agent with fixed credentials, one host candidate
// and the peer's credentials set.
func newAgent(t *testing.T, cfg ice.Config) *ice.Agent {
	t.Helper()
	if cfg.Local == nil {
		c := serverCreds
		cfg.Local = &c
	}
	a, err := ice.NewAgent(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddHostCandidate(sfuAddr); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddHostCandidate(netip.MustParseAddrPort("[2001:db8::10]:3478")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetRemoteCredentials(peerCreds, t0); err != nil {
		t.Fatal(err)
	}
	return a
}

// req describes a Binding request to build; the zero value (with a tid)
// is a valid check from the peer without nomination.
type req struct {
	tid          byte
	username     string // default "<server ufrag>:<peer ufrag>"
	pwd          string // default server pwd
	method       stun.Method
	noUsername   bool
	noMI         bool
	noFP         bool
	badFP        bool
	noPriority   bool
	useCandidate bool
	controlled   bool
	noRole       bool
	extra        func(b *stun.Builder)
}

func (r req) build(t testing.TB) []byte {
	t.Helper()
	if r.username == "" {
		r.username = serverCreds.Ufrag + ":" + peerCreds.Ufrag
	}
	if r.pwd == "" {
		r.pwd = serverCreds.Pwd
	}
	if r.method == 0 {
		r.method = stun.MethodBinding
	}
	var b stun.Builder
	b.Reset(nil, stun.MessageType{Method: r.method, Class: stun.ClassRequest}, stun.TransactionID{r.tid, 0xaa})
	if !r.noUsername {
		b.AddUsername(r.username)
	}
	b.Add(stun.AttrGoogNetworkInfo, []byte{0, 1, 0, 0})
	if r.controlled {
		b.AddICEControlled(7)
	} else if !r.noRole {
		b.AddICEControlling(7)
	}
	if r.useCandidate {
		b.AddUseCandidate()
	}
	if !r.noPriority {
		b.AddPriority(0x6e7c1eff)
	}
	if r.extra != nil {
		r.extra(&b)
	}
	if !r.noMI {
		b.AddMessageIntegrity(stun.NewShortTermIntegrity(r.pwd))
	}
	if !r.noFP {
		b.AddFingerprint()
	}
	out, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if r.badFP {
		out[len(out)-1] ^= 1
	}
	return out
}

// handle feeds r to a from "from" and returns the one transmit it caused
// (nil if none) and HandleSTUN's error.
func handle(t *testing.T, a *ice.Agent, r req, from netip.AddrPort, now time.Time) (*stun.Message, error) {
	t.Helper()
	raw := r.build(t)
	err := a.HandleSTUN(raw, sfuAddr, from, now)
	tx, ok := a.PollTransmit()
	if !ok {
		return nil, err
	}
	if tx.Dst != from || tx.Src != sfuAddr {
		t.Errorf("transmit %v→%v, want %v→%v", tx.Src, tx.Dst, sfuAddr, from)
	}
	if extra, more := a.PollTransmit(); more {
		t.Errorf("second transmit %x", extra.Payload)
	}
	m := new(stun.Message)
	if err := m.Unmarshal(bytes.Clone(tx.Payload)); err != nil {
		t.Fatalf("response does not parse: %v", err)
	}
	if m.TransactionID != (stun.TransactionID{r.tid, 0xaa}) {
		t.Errorf("response transaction ID %x", m.TransactionID)
	}
	if err := stun.CheckFingerprint(m); err != nil {
		t.Errorf("response FINGERPRINT: %v", err)
	}
	return m, err
}

func events(a *ice.Agent) []ice.Event {
	var out []ice.Event
	for e, ok := a.PollEvent(); ok; e, ok = a.PollEvent() {
		out = append(out, e)
	}
	return out
}
