package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestHandshakeBothRoles(t *testing.T) {
	for _, aRole := range []Role{RoleClient, RoleServer} {
		t.Run("a-"+aRole.String(), func(t *testing.T) {
			a := newEndpoint(t, "aaaa", "a-password-0123456789")
			b := newEndpoint(t, "bbbb", "b-password-0123456789")
			connectICE(t, a, b)
			ra, rb := handshake(t, a, b, aRole,
				[]Fingerprint{b.mux.Certificate().Fingerprint()},
				[]Fingerprint{a.mux.Certificate().Fingerprint()})
			if ra.err != nil || rb.err != nil {
				t.Fatalf("handshake: a=%v b=%v", ra.err, rb.err)
			}
			ka, kb := ra.s.Keys, rb.s.Keys
			if ka.Profile != ProfileAEADAES128GCM || kb.Profile != ka.Profile {
				t.Errorf("profiles a=%v b=%v, want SRTP_AEAD_AES_128_GCM (first offered)", ka.Profile, kb.Profile)
			}
			if len(ka.KeyingMaterial) != 56 || !bytes.Equal(ka.KeyingMaterial, kb.KeyingMaterial) {
				t.Fatalf("keying material differs or wrong length:\n a %x\n b %x", ka.KeyingMaterial, kb.KeyingMaterial)
			}
			if !bytes.Equal(ka.LocalKey, kb.RemoteKey) || !bytes.Equal(ka.LocalSalt, kb.RemoteSalt) ||
				!bytes.Equal(ka.RemoteKey, kb.LocalKey) || !bytes.Equal(ka.RemoteSalt, kb.LocalSalt) {
				t.Fatal("a's local keys are not b's remote keys")
			}
			if bytes.Equal(ka.LocalKey, ka.RemoteKey) {
				t.Fatal("both directions got the same key")
			}
			// RFC 5764 §4.2 layout: the client's key comes first.
			client := ka
			if aRole == RoleServer {
				client = kb
			}
			if !bytes.Equal(client.LocalKey, client.KeyingMaterial[:16]) {
				t.Error("client key is not the first 16 bytes of the keying material")
			}
			echo(t, ra.s.Conn, rb.s.Conn, []byte("over dtls"))
			if a.mux.Counters.Handshakes.Load() != 1 || b.mux.Counters.Handshakes.Load() != 1 {
				t.Error("handshake counters")
			}
		})
	}
}

func echo(t *testing.T, from, to net.Conn, msg []byte) {
	t.Helper()
	if _, err := from.Write(msg); err != nil {
		t.Fatal(err)
	}
	_ = to.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 1500)
	n, err := to.Read(buf)
	if err != nil || !bytes.Equal(buf[:n], msg) {
		t.Fatalf("read %q, %v; want %q", buf[:n], err, msg)
	}
}

func TestCloseLeaksNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	for i := 0; i < 3; i++ {
		func() {
			a := newEndpoint(t, "aaaa", "a-password-0123456789")
			b := newEndpoint(t, "bbbb", "b-password-0123456789")
			connectICE(t, a, b)
			ra, rb := handshake(t, a, b, RoleServer,
				[]Fingerprint{b.mux.Certificate().Fingerprint()},
				[]Fingerprint{a.mux.Certificate().Fingerprint()})
			if ra.err != nil || rb.err != nil {
				t.Fatalf("handshake: a=%v b=%v", ra.err, rb.err)
			}
			// A reader blocked in the DTLS conn must be released by Close.
			readDone := make(chan error, 1)
			go func() {
				_, err := rb.s.Conn.Read(make([]byte, 100))
				readDone <- err
			}()
			done := make(chan struct{})
			go func() {
				_ = a.mux.Close()
				_ = b.mux.Close()
				close(done)
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Close deadlocked")
			}
			select {
			case err := <-readDone:
				if err == nil {
					t.Error("read on a closed session returned no error")
				}
			case <-time.After(5 * time.Second):
				t.Fatal("blocked DTLS read not released by Close")
			}
			if _, err := a.peer.Write([]byte{1}); err == nil {
				t.Error("write after close succeeded")
			}
		}()
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

func TestPeerRegistry(t *testing.T) {
	e := newEndpoint(t, "uuuu", "pw-0123456789012345678")
	if _, err := e.mux.AddPeer("uuuu", e.ice); err == nil {
		t.Error("duplicate ufrag accepted")
	}
	if _, err := e.mux.AddPeer("", e.ice); err == nil {
		t.Error("empty ufrag accepted")
	}
	if _, err := e.peer.Write([]byte{1}); !errors.Is(err, ErrNoRemoteAddress) {
		t.Errorf("write before binding: %v", err)
	}
	e.peer.Select(netip.MustParseAddrPort("127.0.0.1:9"))
	_ = e.peer.Close()
	if _, err := e.peer.Write([]byte{1}); !errors.Is(err, ErrPeerClosed) {
		t.Errorf("write on a closed peer: %v", err)
	}
	if p := e.mux.peerByAddr(netip.MustParseAddrPort("127.0.0.1:9")); p != nil {
		t.Error("closed peer still routed by address")
	}
	p2, err := e.mux.AddPeer("uuuu", e.ice)
	if err != nil {
		t.Fatalf("ufrag not freed by Close: %v", err)
	}
	_ = p2.Close()
	_ = e.mux.Close()
	if _, err := e.mux.AddPeer("vvvv", e.ice); !errors.Is(err, ErrClosed) {
		t.Errorf("AddPeer after Close: %v", err)
	}
}

// Closing the mux tells every peer: the DTLS close_notify of each session
// (RFC 5246 §7.2.1, kept by RFC 6347) goes out before the socket closes,
// so the browser ends the session at once instead of waiting for ICE
// consent to expire (RFC 7675 §5.1, 30 s).
func TestMuxCloseSendsCloseNotify(t *testing.T) {
	a := newEndpoint(t, "aaaa", "a-password-0123456789")
	b := newEndpoint(t, "bbbb", "b-password-0123456789")
	connectICE(t, a, b)
	ra, rb := handshake(t, a, b, RoleServer,
		[]Fingerprint{b.mux.Certificate().Fingerprint()},
		[]Fingerprint{a.mux.Certificate().Fingerprint()})
	if ra.err != nil || rb.err != nil {
		t.Fatalf("handshake: a=%v b=%v", ra.err, rb.err)
	}
	readDone := make(chan error, 1)
	go func() {
		_, err := rb.s.Conn.Read(make([]byte, 100))
		readDone <- err
	}()
	if err := a.mux.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-readDone:
		if !errors.Is(err, io.EOF) {
			t.Errorf("b's read ended with %v, want io.EOF from close_notify", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("b got no close_notify from a's Mux.Close")
	}
	_ = b.mux.Close()
}

// blockingHandler is a slog.Handler whose Handle blocks on records whose
// message contains match until release is closed.
type blockingHandler struct {
	match   string
	entered chan struct{}
	release chan struct{}
}

func (h *blockingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *blockingHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *blockingHandler) WithGroup(string) slog.Handler            { return h }
func (h *blockingHandler) Handle(_ context.Context, r slog.Record) error {
	if strings.Contains(r.Message, h.match) {
		close(h.entered)
		<-h.release
	}
	return nil
}

// No peer lock is held while logging: when an address moves to another
// peer and the log sink stalls, that peer can still be closed.
func TestNoPeerLockWhileLogging(t *testing.T) {
	h := &blockingHandler{match: "moved", entered: make(chan struct{}), release: make(chan struct{})}
	m, err := Listen(Config{Addr: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(h)})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	defer close(h.release)
	x, _ := m.AddPeer("xxxx", discardHandler{})
	y, _ := m.AddPeer("yyyy", discardHandler{})
	addr := netip.MustParseAddrPort("127.0.0.1:9")
	x.Bind(addr)
	go y.Bind(addr) // moves addr from x to y and logs it
	<-h.entered
	closed := make(chan struct{})
	go func() { _ = y.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(2 * time.Second):
		t.Fatal("Peer.Close blocked behind a log call made under the peer's lock")
	}
}

// StopSending (ICE consent lost, RFC 7675 §5.1) stops everything Write
// carries, DTLS included, while STUN responses via WriteTo still go out;
// a new nomination (Select) resumes sending.
func TestStopSendingOnConsentLoss(t *testing.T) {
	a := newEndpoint(t, "aaaa", "a-password-0123456789")
	b := newEndpoint(t, "bbbb", "b-password-0123456789")
	connectICE(t, a, b)
	ra, rb := handshake(t, a, b, RoleServer,
		[]Fingerprint{b.mux.Certificate().Fingerprint()},
		[]Fingerprint{a.mux.Certificate().Fingerprint()})
	if ra.err != nil || rb.err != nil {
		t.Fatalf("handshake: a=%v b=%v", ra.err, rb.err)
	}
	sentBefore := a.mux.Counters.Sent.Load()
	a.peer.StopSending()
	rtp := append([]byte{0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, make([]byte, 20)...)
	if _, err := a.peer.Write(rtp); !errors.Is(err, ErrConsentExpired) {
		t.Errorf("media write after consent loss: %v", err)
	}
	if _, err := ra.s.Conn.Write([]byte("sctp")); err == nil {
		t.Error("DTLS write after consent loss succeeded")
	}
	if got := a.mux.Counters.Sent.Load() - sentBefore; got != 0 {
		t.Errorf("%d datagrams sent after consent loss", got)
	}
	if _, err := a.peer.WriteTo(bindingRequest(t, "x", "y", "pw"), b.mux.LocalAddrPort()); err != nil {
		t.Errorf("STUN via WriteTo after consent loss: %v", err)
	}
	a.peer.Select(b.mux.LocalAddrPort())
	if _, err := a.peer.Write(rtp); err != nil {
		t.Errorf("write after a new nomination: %v", err)
	}
	// Closing a peer that stopped sending does not hang on the
	// close_notify it may not send.
	a.peer.StopSending()
	closed := make(chan struct{})
	go func() { _ = a.peer.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close after StopSending hung")
	}
}
