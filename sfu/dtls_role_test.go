package sfu

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu/datachannel"
	"github.com/plainrtc/plainrtc/sfu/transport"
)

// newRecordedServer starts a Server on loopback whose log goes to a
// recorder; connectTimeout 0 keeps the default.
func newRecordedServer(t *testing.T, connectTimeout time.Duration) (*Server, *httptest.Server, logRecorder) {
	t.Helper()
	rec := newLogRecorder()
	s, err := New(Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(rec), ConnectTimeout: connectTimeout})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() { hs.Close(); s.Close() })
	return s, hs, rec
}

// RFC 9429 §5.3.1 (and RFC 5763 §5): the answerer of actpass SHOULD take
// active; passive answers active, active answers passive; holdconn is
// refused with a 400 naming the rule.
func TestAnswerSetupRole(t *testing.T) {
	s, hs, _ := newRecordedServer(t, 0)
	for _, c := range []struct{ offered, answered string }{
		{"actpass", "active"},
		{"passive", "active"},
		{"active", "passive"},
		{"", "passive"}, // RFC 4145 §4: absent means active
	} {
		p := newTestPeer(t, s, hs.URL, "r", peerOffer{setup: c.offered, data: true})
		if p.setup != c.answered {
			t.Errorf("offer a=setup:%q answered a=setup:%s, want %s", c.offered, p.setup, c.answered)
		}
		if n := strings.Count(p.answer, "a=setup:"); n != 2 || strings.Count(p.answer, "a=setup:"+c.answered+"\r\n") != n {
			t.Errorf("offer a=setup:%q: answer has %d a=setup lines, not all %s:\n%s", c.offered, n, c.answered, p.answer)
		}
	}
	resp, body := postPeerOffer(t, hs.URL, "r", peerOffer{setup: "holdconn"}, "hold", "holdpasswordholdpassword", "sha-256 "+strings.Repeat("AB:", 31)+"AB")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "holdconn") || !strings.Contains(body, "RFC 4145 §4") {
		t.Fatalf("holdconn offer: %d %q, want 400 naming holdconn and RFC 4145 §4", resp.StatusCode, body)
	}
}

// As the DTLS client under ICE-lite the SFU has nowhere to send its
// ClientHello before the peer nominates a pair: nothing goes out after an
// authenticated check without USE-CANDIDATE, nor after a USE-CANDIDATE
// that fails authentication; the ClientHello follows the first
// authenticated USE-CANDIDATE, to its address. The handshake then checks
// the certificate both ways, SRTP runs on the client-write keys for what
// the SFU sends (RFC 5764 §4.2), and a channel the peer (the DTLS server)
// opens on an odd stream id (RFC 8832 §6) echoes.
func TestSFUAsDTLSClient(t *testing.T) {
	s, hs, rec := newRecordedServer(t, 0)
	p := newTestPeer(t, s, hs.URL, "r", peerOffer{setup: "actpass", data: true})
	if p.setup != "active" {
		t.Fatalf("answer a=setup:%s to actpass, want active", p.setup)
	}
	if err := p.check(p.conn, false, p.srvPwd); err != nil {
		t.Fatal(err)
	}
	if waitDTLSDatagram(p.conn, 300*time.Millisecond) {
		t.Fatal("DTLS sent after a check without USE-CANDIDATE")
	}
	if err := p.check(p.conn, true, "wrongpasswordwrongpassword"); err == nil {
		t.Fatal("a USE-CANDIDATE check with the wrong password was answered")
	}
	if waitDTLSDatagram(p.conn, 300*time.Millisecond) {
		t.Fatal("DTLS sent after an unauthenticated USE-CANDIDATE")
	}
	p.connectICE()
	if err := p.handshake(p.conn, 10*time.Second); err != nil {
		t.Fatalf("DTLS with the SFU as client: %v", err)
	}
	rec.waitFor(t, "DTLS established", 5*time.Second)
	if r := rec.find("DTLS established")[0]; r.Attrs["role"] != "client" {
		t.Fatalf("SFU DTLS role %q, want client", r.Attrs["role"])
	}

	// The SFU sends receiver reports to a publisher: they unprotect with
	// the client-write keys.
	select {
	case pkt := <-p.media:
		if _, err := p.remote.DecryptRTCP(append([]byte(nil), pkt...)); err != nil {
			t.Fatalf("SRTCP from the SFU does not unprotect with the client-write keys: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no SRTCP from the SFU")
	}
	// What the peer sends, protected with the server-write keys, is taken.
	for seq := range uint16(5) {
		h := rtp.Header{Version: 2, PayloadType: 111, SequenceNumber: seq + 1, Timestamp: uint32(seq) * 960, SSRC: 4242}
		pkt, _ := h.Marshal()
		out, err := p.local.EncryptRTP(nil, append(pkt, 0xfc, 0xff, 0xfe))
		if err != nil {
			t.Fatal(err)
		}
		p.conn.WriteToUDPAddrPort(out, p.server)
	}
	waitStat(t, s, "rtp.in", func(v uint64) bool { return v == 5 }, 5*time.Second)
	if st := s.Stats(); st["srtp.auth"] != 0 {
		t.Fatalf("srtp.auth = %d", st["srtp.auth"])
	}

	// The peer is the DTLS server: its channel gets an odd id.
	a, _ := echoOnce(t, p, datachannel.RoleServer, "hello from the DTLS server side")

	// A channel the SFU opens itself, as DTLS client, takes an even id
	// (RFC 8832 §6) and the peer accepts it.
	x := onlySession(t, s)
	s.mu.Lock()
	assoc := x.assoc
	s.mu.Unlock()
	if assoc == nil {
		t.Fatal("the SFU has no SCTP association")
	}
	mine, err := assoc.Open("from-sfu", datachannel.ChannelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if mine.StreamID()%2 != 0 {
		t.Fatalf("the SFU as DTLS client opened stream %d, want an even id", mine.StreamID())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := a.Accept(ctx)
	if err != nil || got.StreamID() != mine.StreamID() || got.Label() != "from-sfu" {
		t.Fatalf("peer accepted %v (%v), want stream %d \"from-sfu\"", got, err, mine.StreamID())
	}
}

// echoOnce opens a channel from the peer over its DTLS connection and
// checks that a message comes back.
func echoOnce(t *testing.T, p *testPeer, role datachannel.Role, msg string) (*datachannel.Association, *datachannel.Channel) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, err := datachannel.NewAssociation(ctx, p.dtls, datachannel.Config{Role: role, MaxMessageSize: 1 << 20,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("SCTP: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	ch, err := a.Open("echo", datachannel.ChannelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if role == datachannel.RoleServer && ch.StreamID()%2 != 1 || role == datachannel.RoleClient && ch.StreamID()%2 != 0 {
		t.Fatalf("peer as %v opened stream %d", role, ch.StreamID())
	}
	if err := ch.WriteString(msg); err != nil {
		t.Fatal(err)
	}
	got := readWithin(t, ch, 1<<10, 10*time.Second)
	if string(got) != msg {
		t.Fatalf("echo %q, want %q", got, msg)
	}
	return a, ch
}

// readWithin reads one message from ch or fails after d.
func readWithin(t *testing.T, ch *datachannel.Channel, size int, d time.Duration) []byte {
	t.Helper()
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		buf := make([]byte, size)
		n, _, err := ch.ReadMessage(buf)
		done <- result{buf[:n], err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("read on stream %d: %v", ch.StreamID(), r.err)
		}
		return r.b
	case <-time.After(d):
		t.Fatalf("nothing read on stream %d within %v", ch.StreamID(), d)
	}
	return nil
}

// The SFU keeps the DTLS server role for an offer that is active, as
// browsers that answer themselves need: the peer's ClientHello, a channel
// on an even id, echo.
func TestSFUAsDTLSServer(t *testing.T) {
	s, hs, rec := newRecordedServer(t, 0)
	p := newTestPeer(t, s, hs.URL, "r", peerOffer{setup: "active", data: true})
	if p.setup != "passive" {
		t.Fatalf("answer a=setup:%s to active, want passive", p.setup)
	}
	p.connectICE()
	if err := p.handshake(p.conn, 10*time.Second); err != nil {
		t.Fatalf("DTLS with the SFU as server: %v", err)
	}
	if r := rec.waitFor(t, "DTLS established", 5*time.Second); r.Attrs["role"] != "server" {
		t.Fatalf("SFU DTLS role %q, want server", r.Attrs["role"])
	}
	echoOnce(t, p, datachannel.RoleClient, "hello from the DTLS client side")
}

// A later USE-CANDIDATE from another address moves the pair (RFC 8445
// §7.3.1.5, renomination): the SFU's retransmitted ClientHello follows it,
// and the handshake completes there.
func TestSFUAsDTLSClientFollowsRenomination(t *testing.T) {
	s, hs, _ := newRecordedServer(t, 0)
	p := newTestPeer(t, s, hs.URL, "r", peerOffer{setup: "actpass"})
	p.connectICE()
	if !waitDTLSDatagram(p.conn, 2*time.Second) {
		t.Fatal("no ClientHello after the nomination")
	}
	second := p.listen()
	if err := p.check(second, true, p.srvPwd); err != nil {
		t.Fatal(err)
	}
	if err := p.handshake(second, 10*time.Second); err != nil {
		t.Fatalf("DTLS on the renominated address: %v", err)
	}
}

// The SFU as DTLS client checks the peer's certificate against its
// a=fingerprint (RFC 8122 §5, RFC 8827 §6.5): a peer whose certificate
// does not match ends.
func TestSFUAsDTLSClientChecksFingerprint(t *testing.T) {
	s, hs, rec := newRecordedServer(t, 0)
	other, err := transport.GenerateCertificate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPeer(t, s, hs.URL, "r", peerOffer{setup: "actpass", fingerprint: other.Fingerprint().String()})
	p.connectICE()
	_ = p.handshake(p.conn, 5*time.Second) // fails on the SFU's side
	r := rec.waitFor(t, "session ended", 10*time.Second)
	if !strings.Contains(r.Attrs["reason"], "a=fingerprint") {
		t.Fatalf("session ended with %q, want the fingerprint mismatch", r.Attrs["reason"])
	}
	if s.Stats()["drop.fingerprint-mismatch"] != 1 {
		t.Fatalf("drop.fingerprint-mismatch = %d, want 1", s.Stats()["drop.fingerprint-mismatch"])
	}
}

// Once the SFU answered actpass with active it is the DTLS client for the
// life of the session: an offer it makes later (renegotiation, RFC 9429
// §5.2.2, sdp.Offer over the SFU's own answer) says a=setup:active in
// every section, never actpass (RFC 8842 §5.5 would otherwise let the
// roles flip and force a new DTLS association).
func TestLaterOfferKeepsSetupActive(t *testing.T) {
	s, hs, _ := newRecordedServer(t, 0)
	p := newTestPeer(t, s, hs.URL, "r", peerOffer{setup: "actpass", data: true})
	local, err := sdp.Parse([]byte(p.answer))
	if err != nil {
		t.Fatal(err)
	}
	remote, err := sdp.Parse([]byte(peerOffer{setup: "actpass", data: true}.sdp(p.ufrag, p.pwd, p.cert.Fingerprint().String())))
	if err != nil {
		t.Fatal(err)
	}
	fp := s.mux.Certificate().Fingerprint().String()
	hash, value, _ := strings.Cut(fp, " ")
	next, err := sdp.Offer(local, remote, &sdp.Config{ICEUfrag: p.srvUfrag, ICEPwd: p.srvPwd,
		Fingerprints: []sdp.Fingerprint{{Hash: hash, Value: value}}, DataChannel: true}, sdp.OfferChanges{
		Add: []sdp.NewTrack{{Kind: "audio", Track: sdp.LocalTrack{StreamID: "s", TrackID: "t", SSRC: 1234}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := string(next.Marshal())
	if n := strings.Count(out, "a=setup:"); n == 0 || strings.Count(out, "a=setup:active\r\n") != n {
		t.Fatalf("later offer's a=setup lines are not all active:\n%s", out)
	}
}
