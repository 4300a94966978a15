package transport

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/stun"
)

// testICE stands in for the ice agent: it accepts binding requests signed
// with pwd (RFC 8489 §14.5 short-term credentials) and nominates their
// source, and records the SRTP packets it gets.
type testICE struct {
	pwd  string
	mu   sync.Mutex
	rtp  [][]byte
	rtcp [][]byte
}

func (h *testICE) HandleSTUN(msg []byte, from netip.AddrPort) STUNVerdict {
	var m stun.Message
	if err := m.Unmarshal(msg); err != nil {
		return STUNRejected
	}
	if err := stun.NewShortTermIntegrity(h.pwd).Check(&m); err != nil {
		return STUNRejected
	}
	return STUNNominated
}

func (h *testICE) HandleRTP(pkt []byte, _ netip.AddrPort) {
	h.mu.Lock()
	h.rtp = append(h.rtp, bytes.Clone(pkt))
	h.mu.Unlock()
}

func (h *testICE) HandleRTCP(pkt []byte, _ netip.AddrPort) {
	h.mu.Lock()
	h.rtcp = append(h.rtcp, bytes.Clone(pkt))
	h.mu.Unlock()
}

func (h *testICE) counts() (int, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.rtp), len(h.rtcp)
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type endpoint struct {
	mux   *Mux
	peer  *Peer
	ice   *testICE
	ufrag string
	pwd   string
	log   *syncBuffer
}

func newEndpoint(t *testing.T, ufrag, pwd string) *endpoint {
	t.Helper()
	logs := &syncBuffer{}
	var w io.Writer = logs
	if testing.Verbose() {
		w = io.MultiWriter(logs, testWriter{t})
	}
	m, err := Listen(Config{
		Addr:   netip.MustParseAddrPort("127.0.0.1:0"),
		Logger: slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	ice := &testICE{pwd: pwd}
	p, err := m.AddPeer(ufrag, ice)
	if err != nil {
		t.Fatal(err)
	}
	return &endpoint{mux: m, peer: p, ice: ice, ufrag: ufrag, pwd: pwd, log: logs}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// bindingRequest builds a connectivity check from the sender to the
// receiver (RFC 8445 §7.2.2: USERNAME is "receiver:sender", signed with
// the receiver's password).
func bindingRequest(t testing.TB, recvUfrag, sendUfrag, recvPwd string) []byte {
	t.Helper()
	var b stun.Builder
	b.Reset(make([]byte, 0, 256), stun.BindingRequest, stun.TransactionID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	b.AddString(stun.AttrUsername, recvUfrag+":"+sendUfrag)
	b.AddUseCandidate()
	b.AddMessageIntegrity(stun.NewShortTermIntegrity(recvPwd))
	b.AddFingerprint()
	out, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// connectICE makes a and b bind each other's address, as a completed ICE
// check in each direction would.
func connectICE(t *testing.T, a, b *endpoint) {
	t.Helper()
	if _, err := a.mux.writeTo(bindingRequest(t, b.ufrag, a.ufrag, b.pwd), b.mux.LocalAddrPort()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.mux.writeTo(bindingRequest(t, a.ufrag, b.ufrag, a.pwd), a.mux.LocalAddrPort()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, okA := a.peer.RemoteAddr()
		_, okB := b.peer.RemoteAddr()
		if okA && okB {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("ICE binding did not complete: a bound %v, b bound %v", okA, okB)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type hsResult struct {
	s   *Session
	err error
}

// handshake runs both sides concurrently; a's role is aRole, b the other.
// clientProfiles, if given, restrict what the DTLS client offers.
func handshake(t *testing.T, a, b *endpoint, aRole Role, aExpects, bExpects []Fingerprint, clientProfiles ...SRTPProfile) (hsResult, hsResult) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	bRole := RoleServer
	if aRole == RoleServer {
		bRole = RoleClient
	}
	pa, pb := clientProfiles, []SRTPProfile(nil)
	if aRole == RoleServer {
		pa, pb = pb, pa
	}
	ra, rb := make(chan hsResult, 1), make(chan hsResult, 1)
	go func() {
		s, err := a.peer.Handshake(ctx, DTLSParams{Role: aRole, RemoteFingerprints: aExpects, Profiles: pa})
		ra <- hsResult{s, err}
	}()
	go func() {
		s, err := b.peer.Handshake(ctx, DTLSParams{Role: bRole, RemoteFingerprints: bExpects, Profiles: pb})
		rb <- hsResult{s, err}
	}()
	return <-ra, <-rb
}
