package endpoint_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/endpoint"
	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu/transport"
	"github.com/plainrtc/plainrtc/srtp"
)

// litePeer is what the SFU becomes when it answers a=setup:active: an
// ICE-lite agent on a transport.Mux that starts its DTLS handshake as the
// client right after an authenticated USE-CANDIDATE, to the nominated
// address. Built from ice and sfu/transport, not from sfu.
type litePeer struct {
	t      *testing.T
	mux    *transport.Mux
	peer   *transport.Peer
	mu     sync.Mutex
	agent  *ice.Agent
	fps    []transport.Fingerprint
	ctx    context.Context
	result chan liteResult
	once   sync.Once
	wg     sync.WaitGroup
	srtpIn atomic.Pointer[srtp.Context]
	noDTLS bool
	rtp    chan []byte
}

type liteResult struct {
	sess *transport.Session
	err  error
	at   time.Time
}

func (l *litePeer) HandleSTUN(msg []byte, from netip.AddrPort) transport.STUNVerdict {
	l.mu.Lock()
	defer l.mu.Unlock()
	err := l.agent.HandleSTUN(msg, l.mux.LocalAddrPort(), from, time.Now())
	for tx, ok := l.agent.PollTransmit(); ok; tx, ok = l.agent.PollTransmit() {
		l.peer.WriteTo(tx.Payload, tx.Dst)
	}
	if err != nil {
		return transport.STUNRejected
	}
	nominated := false
	for e, ok := l.agent.PollEvent(); ok; e, ok = l.agent.PollEvent() {
		if e.Kind == ice.EventConnected || e.Kind == ice.EventSelectedPairChanged {
			nominated = true
		}
	}
	if !nominated || l.noDTLS {
		return transport.STUNAccepted
	}
	l.once.Do(func() {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			sess, err := l.peer.Handshake(l.ctx, transport.DTLSParams{Role: transport.RoleClient, RemoteFingerprints: l.fps})
			l.result <- liteResult{sess, err, time.Now()}
		}()
	})
	return transport.STUNNominated
}

func (l *litePeer) HandleRTP(pkt []byte, from netip.AddrPort) {
	in := l.srtpIn.Load()
	if in == nil {
		return
	}
	if clear, err := in.DecryptRTP(append([]byte(nil), pkt...)); err == nil {
		select {
		case l.rtp <- clear:
		default:
		}
	}
}

func (l *litePeer) HandleRTCP(pkt []byte, from netip.AddrPort) {}

// The endpoint as DTLS server (the peer answered a=setup:active, RFC 8842
// §5) against an ICE-lite DTLS client that sends its ClientHello the
// moment our nomination authenticates: the handshake completes, both use
// the right RFC 5764 §4.2 keys (media decrypts both ways).
// newLiteSession offers from a new endpoint (cfg) to a litePeer, which
// answers with sdp.Answer as an ICE-lite a=setup:active server, and
// applies the answer. With dtls false the lite peer never starts DTLS.
func newLiteSession(t *testing.T, cfg endpoint.Config, dtls bool) (*endpoint.Endpoint, *litePeer, *sdp.Session, *sdp.Session, *sdp.Config, context.Context) {
	t.Helper()
	e, err := endpoint.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	offer, err := e.Offer()
	if err != nil {
		t.Fatal(err)
	}
	mux, err := transport.Listen(transport.Config{Addr: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mux.Close() })
	agent, err := ice.NewAgent(ice.Config{})
	if err != nil {
		t.Fatal(err)
	}
	cand, err := agent.AddHostCandidate(mux.LocalAddrPort())
	if err != nil {
		t.Fatal(err)
	}
	off, err := sdp.Parse(offer)
	if err != nil {
		t.Fatal(err)
	}
	u, p, _ := off.ICECredentials()
	agent.SetRemoteCredentials(ice.Credentials{Ufrag: u, Pwd: p}, time.Now())
	var fps []transport.Fingerprint
	for f := range off.Fingerprints(&off.Media[0]) {
		tf, err := transport.ParseFingerprint(f.String())
		if err != nil {
			t.Fatal(err)
		}
		fps = append(fps, tf)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	lite := &litePeer{t: t, mux: mux, agent: agent, fps: fps, ctx: ctx, result: make(chan liteResult, 1), rtp: make(chan []byte, 16), noDTLS: !dtls}
	t.Cleanup(lite.wg.Wait)
	lite.mu.Lock() // the mux may call HandleSTUN as soon as the peer is added
	lite.peer, err = mux.AddPeer(agent.LocalCredentials().Ufrag, lite)
	lite.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	mfp := mux.Certificate().Fingerprint()
	scfg := &sdp.Config{
		ICEUfrag: agent.LocalCredentials().Ufrag, ICEPwd: agent.LocalCredentials().Pwd,
		Fingerprints: []sdp.Fingerprint{{Hash: mfp.Hash, Value: mfp.String()[len(mfp.Hash)+1:]}},
		Setup:        sdp.SetupActive,
		Candidates: []sdp.Candidate{{Foundation: cand.Foundation, Component: 1, Transport: "udp", Priority: cand.Priority,
			Address: cand.Address.Addr().String(), Port: int(cand.Address.Port()), Type: "host"}},
		Tracks: map[string]sdp.LocalTrack{"0": {StreamID: "s", TrackID: "a", SSRC: 777, CNAME: "lite"}},
	}
	ans, err := sdp.Answer(off, scfg)
	if err != nil {
		t.Fatal(err)
	}
	answer := ans.Marshal()
	if !bytes.Contains(answer, []byte("a=setup:active")) || !bytes.Contains(answer, []byte("a=ice-lite")) {
		t.Fatalf("answer is not an active ICE-lite one:\n%s", answer)
	}
	if err := e.SetAnswer(answer); err != nil {
		t.Fatal(err)
	}
	return e, lite, off, ans, scfg, ctx
}

func TestEndpointAsDTLSServerAgainstLiteClient(t *testing.T) {
	e, lite, _, _, _, ctx := newLiteSession(t, endpoint.Config{Audio: sdp.SendRecv}, true)
	if err := e.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	var res liteResult
	select {
	case res = <-lite.result:
	case <-ctx.Done():
		t.Fatal("lite client handshake never ended")
	}
	if res.err != nil {
		t.Fatalf("lite DTLS client: %v", res.err)
	}
	defer res.sess.Conn.Close()
	local, remote, err := res.sess.SRTPContexts()
	if err != nil {
		t.Fatal(err)
	}
	// lite → endpoint
	h := rtp.Header{Version: 2, PayloadType: 111, SequenceNumber: 9, Timestamp: 960, SSRC: 777}
	pkt, _ := h.Marshal()
	pkt = append(pkt, []byte("from the lite client")...)
	prot, err := local.EncryptRTP(nil, pkt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lite.peer.Write(prot); err != nil {
		t.Fatal(err)
	}
	got, err := e.ReadRTP(ctx)
	if err != nil || !bytes.Equal(got, pkt) {
		t.Fatalf("endpoint got %q %v, want %q", got, err, pkt)
	}
	// endpoint → lite, decrypted with the client's remote (server-write)
	// keys.
	lite.srtpIn.Store(remote)
	tr, _ := e.Track("audio")
	out := rtpPacket(t, tr, 5, []byte("from the endpoint"))
	if err := e.WriteRTP(out); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-lite.rtp:
		if !bytes.Equal(got, out) {
			t.Fatalf("lite got %q, want %q", got, out)
		}
	case <-ctx.Done():
		t.Fatal("the lite client never decrypted the endpoint's packet")
	}
}

// ICE completes but the peer never starts DTLS: Connect fails naming
// the DTLS stage (not ICE), within its deadline.
func TestConnectTimeoutNamesDTLS(t *testing.T) {
	e, _, _, _, _, _ := newLiteSession(t, endpoint.Config{Audio: sdp.SendOnly}, false)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	err := e.Connect(ctx)
	var se *endpoint.StageError
	if !errors.As(err, &se) || se.Stage != endpoint.StageDTLS {
		t.Fatalf("Connect: %v, want a StageError for DTLS", err)
	}
	if _, ok := e.SelectedPair(); !ok {
		t.Error("ICE not connected although DTLS was the stage that failed")
	}
	if !strings.Contains(err.Error(), "as server") {
		t.Errorf("error %q does not name the DTLS role", err)
	}
}

// A subsequent offer from the server (RFC 9429 §5.2.2, made with
// sdp.Offer as the SFU will) adding a video track: the answer keeps the
// m= sections in order with their mids, receives the new one, keeps the
// DTLS role (a=setup:passive to the server's active), and media still
// flows.
func TestAnswerSubsequentOffer(t *testing.T) {
	e, lite, off, ans, scfg, ctx := newLiteSession(t, endpoint.Config{Audio: sdp.SendRecv}, true)
	if err := e.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	res := <-lite.result
	if res.err != nil {
		t.Fatal(res.err)
	}
	defer res.sess.Conn.Close()
	reoffer, err := sdp.Offer(ans, off, scfg, sdp.OfferChanges{Add: []sdp.NewTrack{{Kind: "video", Track: sdp.LocalTrack{StreamID: "s", TrackID: "v", SSRC: 888, CNAME: "lite"}}}})
	if err != nil {
		t.Fatal(err)
	}
	answer, err := e.Answer(reoffer.Marshal())
	if err != nil {
		t.Fatalf("answer to the subsequent offer: %v\n%s", err, reoffer.Marshal())
	}
	a, err := sdp.Parse(answer)
	if err != nil {
		t.Fatalf("our answer does not parse: %v\n%s", err, answer)
	}
	if len(a.Media) != len(reoffer.Media) {
		t.Fatalf("%d m= sections for %d offered", len(a.Media), len(reoffer.Media))
	}
	for i := range a.Media {
		om, am := &reoffer.Media[i], &a.Media[i]
		omid, _ := om.MID()
		amid, _ := am.MID()
		if omid != amid || om.MediaLine().Media != am.MediaLine().Media {
			t.Errorf("section %d: offered %s %s, answered %s %s", i, om.MediaLine().Media, omid, am.MediaLine().Media, amid)
		}
	}
	if setup, _ := a.Setup(&a.Media[0]); setup != sdp.SetupPassive {
		t.Errorf("answer a=setup:%s, want passive (we are the DTLS server and stay it)", setup)
	}
	if d := a.Direction(&a.Media[1]); d != sdp.RecvOnly {
		t.Errorf("new video section answered %s, want recvonly", d)
	}
	v, ok := e.Track("video")
	if !ok || len(v.RemoteSSRCs) != 1 || v.RemoteSSRCs[0] != 888 || v.PayloadType == 0 {
		t.Errorf("video track %+v", v)
	}
	// Media still flows on the established session.
	local, _, err := res.sess.SRTPContexts()
	if err != nil {
		t.Fatal(err)
	}
	h := rtp.Header{Version: 2, PayloadType: v.PayloadType, SequenceNumber: 1, Timestamp: 90, SSRC: 888}
	pkt, _ := h.Marshal()
	pkt = append(pkt, vp8Keyframe(1)...)
	prot, _ := local.EncryptRTP(nil, pkt)
	lite.peer.Write(prot)
	got, err := e.ReadRTP(ctx)
	if err != nil || !bytes.Equal(got, pkt) {
		t.Fatalf("after renegotiation got %x %v", got, err)
	}
}
