package transport

import (
	"bytes"
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

func TestFingerprintMismatchRefused(t *testing.T) {
	other, err := GenerateCertificate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// "refuser" expects other's fingerprint but the peer presents its own.
	for _, refuserRole := range []Role{RoleServer, RoleClient} {
		t.Run("refuser-"+refuserRole.String(), func(t *testing.T) {
			refuser := newEndpoint(t, "rrrr", "r-password-0123456789")
			peer := newEndpoint(t, "pppp", "p-password-0123456789")
			connectICE(t, refuser, peer)
			rr, rp := handshake(t, refuser, peer, refuserRole,
				[]Fingerprint{other.Fingerprint()},
				[]Fingerprint{refuser.mux.Certificate().Fingerprint()})
			if !errors.Is(rr.err, ErrFingerprintMismatch) {
				t.Fatalf("refuser error = %v, want ErrFingerprintMismatch", rr.err)
			}
			if rp.err == nil {
				t.Error("the peer with the wrong certificate completed its handshake")
			}
			if got := refuser.mux.Counters.Drops(DropFingerprint); got != 1 {
				t.Errorf("fingerprint drops = %d, want 1", got)
			}
			logs := refuser.log.String()
			if !strings.Contains(logs, "DTLS handshake refused") || !strings.Contains(logs, "fingerprint-mismatch") {
				t.Errorf("no log line with the reason:\n%s", logs)
			}
		})
	}
}

func TestFingerprintMostPreferredHash(t *testing.T) {
	c, err := GenerateCertificate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	der := c.TLS().Certificate[0]
	fp := c.Fingerprint()
	parsed, err := ParseFingerprint(fp.String())
	if err != nil || !bytes.Equal(parsed.Value, fp.Value) || parsed.Hash != HashSHA256 {
		t.Fatalf("round trip %q: %v %v", fp.String(), parsed, err)
	}
	wrong := Fingerprint{Hash: HashSHA256, Value: bytes.Repeat([]byte{0xab}, 32)}
	if err := VerifyFingerprint(der, []Fingerprint{wrong}); !errors.Is(err, ErrFingerprintMismatch) {
		t.Fatalf("wrong fingerprint accepted: %v", err)
	}
	// sha-512 listed after a wrong sha-256: matches.
	h := newHash(HashSHA512)
	h.Write(der)
	good512 := Fingerprint{Hash: "SHA-512", Value: h.Sum(nil)}
	if err := VerifyFingerprint(der, []Fingerprint{wrong, good512}); err != nil {
		t.Fatal(err)
	}
	// RFC 8122 §5: only the set of the most preferred hash counts; a
	// matching sha-1 beside a non-matching sha-256 is not enough.
	h1 := newHash(HashSHA1)
	h1.Write(der)
	good1 := Fingerprint{Hash: HashSHA1, Value: h1.Sum(nil)}
	if err := VerifyFingerprint(der, []Fingerprint{wrong, good1}); !errors.Is(err, ErrFingerprintMismatch) {
		t.Fatalf("weaker sha-1 match accepted beside a wrong sha-256: %v", err)
	}
	if err := VerifyFingerprint(der, []Fingerprint{good1}); err != nil {
		t.Fatalf("sha-1 alone: %v", err)
	}
	if err := VerifyFingerprint(der, []Fingerprint{{Hash: "md5", Value: make([]byte, 16)}}); !errors.Is(err, ErrFingerprintMismatch) {
		t.Fatalf("only an unsupported hash: %v", err)
	}
	if err := VerifyFingerprint(der, nil); !errors.Is(err, ErrFingerprintMismatch) {
		t.Fatal("empty fingerprint list accepted")
	}
	for _, bad := range []string{"sha-256", "md5 AA:BB", "sha-256 AA:BB", "sha-256 " + strings.Repeat("ZZ:", 31) + "ZZ", "sha-256 A:BB"} {
		if _, err := ParseFingerprint(bad); err == nil || !strings.Contains(err.Error(), "RFC 8122") {
			t.Errorf("ParseFingerprint(%q) = %v", bad, err)
		}
	}
}

func TestBadInputCountedAndHarmless(t *testing.T) {
	a := newEndpoint(t, "aaaa", "a-password-0123456789")
	b := newEndpoint(t, "bbbb", "b-password-0123456789")
	connectICE(t, a, b)
	ra, rb := handshake(t, a, b, RoleClient,
		[]Fingerprint{b.mux.Certificate().Fingerprint()},
		[]Fingerprint{a.mux.Certificate().Fingerprint()})
	if ra.err != nil || rb.err != nil {
		t.Fatalf("handshake: a=%v b=%v", ra.err, rb.err)
	}

	stranger, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	defer stranger.Close()
	dst := net.UDPAddrFromAddrPort(b.mux.LocalAddrPort())
	send := func(p []byte) {
		if _, err := stranger.WriteTo(p, dst); err != nil {
			t.Fatal(err)
		}
	}
	rtp := append([]byte{0x80, 0x60, 0, 1, 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef}, make([]byte, 20)...)
	before := b.mux.Counters.Received.Load()
	send([]byte{0x00, 0x01, 0x00})                                    // truncated STUN
	send([]byte{22, 0xfe, 0xfd})                                      // truncated DTLS
	send([]byte{0x80})                                                // one byte of RTP/RTCP: truncated
	send([]byte{0x0a, 1, 2, 3, 4, 5, 6, 7})                           // first byte 10: unknown class
	send(append([]byte{0x80, 0xc8}, 1, 2, 3))                         // truncated RTCP
	send(make([]byte, 1600))                                          // oversized
	send(append([]byte{22, 0xfe, 0xfd}, make([]byte, 40)...))         // DTLS from an unknown address
	send(rtp)                                                         // SRTP from an unknown address
	send(bindingRequest(t, "bbbb", "evil", "not-the-password-0000"))  // STUN with wrong credentials
	send(bindingRequest(t, "nobody", "evil", "whatever-password-00")) // STUN for no peer
	want := map[DropReason]uint64{
		DropTruncated:      4,
		DropUnknownClass:   1,
		DropOversized:      1,
		DropUnknownAddress: 2,
		DropSTUNAuth:       1,
		DropUnknownUfrag:   1,
	}
	waitFor(t, func() bool { return b.mux.Counters.Received.Load()-before >= 10 })
	for r, n := range want {
		if got := b.mux.Counters.Drops(r); got != n {
			t.Errorf("drops %s = %d, want %d", r, got, n)
		}
	}
	// The stranger did not get bound, the session still carries data both
	// ways, and SRTP from the real peer still reaches the handler.
	if addr, _ := b.peer.RemoteAddr(); addr != a.mux.LocalAddrPort() {
		t.Errorf("b's selected address moved to %v", addr)
	}
	echo(t, ra.s.Conn, rb.s.Conn, []byte("still here"))
	echo(t, rb.s.Conn, ra.s.Conn, []byte("and back"))
	if _, err := a.peer.Write(rtp); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { n, _ := b.ice.counts(); return n == 1 })
	logs := b.log.String()
	for _, reason := range []string{"truncated", "oversized", "unknown-class", "unknown-address", "stun-auth", "unknown-ufrag"} {
		if !strings.Contains(logs, "reason="+reason) {
			t.Errorf("no log line for %s", reason)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5 s")
		}
		time.Sleep(2 * time.Millisecond)
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

// A flood of datagrams the mux drops must not allocate per datagram: the
// count is atomic and the log line (with its boxed arguments) is built
// only for the 1st, 2nd, 4th... drop of a reason.
func TestDropPathAllocatesNothing(t *testing.T) {
	m, err := Listen(Config{Addr: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := m.AddPeer("bbbb", discardHandler{}); err != nil {
		t.Fatal(err)
	}
	from := netip.MustParseAddrPort("127.0.0.1:9")
	for _, c := range []struct {
		reason DropReason
		pkt    []byte
	}{
		{DropTruncated, []byte{0x80, 0x60, 0, 1}},
		{DropUnknownClass, []byte{0xff, 1, 2, 3}},
		{DropOversized, make([]byte, DefaultMaxDatagramSize+1)},
		{DropUnknownAddress, append([]byte{0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, make([]byte, 100)...)},
		{DropUnknownUfrag, bindingRequest(t, "nobody", "evil", "whatever-password-00")},
	} {
		for range 100 { // past the logged occurrences 1, 2, 4, ... 64
			m.route(c.pkt, from)
		}
		before := m.Counters.Drops(c.reason)
		allocs := testing.AllocsPerRun(50, func() { m.route(c.pkt, from) })
		if got := m.Counters.Drops(c.reason) - before; got != 51 {
			t.Errorf("%s: counted %d drops, want 51", c.reason, got)
		}
		if allocs != 0 {
			t.Errorf("%s: %.0f allocations per dropped datagram, want 0", c.reason, allocs)
		}
	}
}

// Every datagram has exactly one drop reason, fixed by its bytes alone
// (RFC 7983 §7 ranges): one shorter than the header of the protocol its
// first byte names is truncated, whatever that protocol; a first byte in
// no served range is unknown-class. In particular a single byte in
// 128..191 (RTP or RTCP, undecidable without the second byte) is
// truncated, not unknown-class.
func TestDropReasonOfShortDatagrams(t *testing.T) {
	m, err := Listen(Config{Addr: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	from := netip.MustParseAddrPort("127.0.0.1:9")
	want := func(first byte) DropReason {
		switch {
		case first <= 3, first >= 20 && first <= 63, first >= 128 && first <= 191:
			return DropTruncated // STUN, DTLS, RTP/RTCP
		}
		return DropUnknownClass
	}
	for first := 0; first < 256; first++ {
		for n := 1; n < minDTLS && n < minSTUN && n < minRTCP; n++ {
			pkt := make([]byte, n)
			pkt[0] = byte(first)
			if n > 1 {
				pkt[1] = 0x60 // an RTP payload type
			}
			r := want(byte(first))
			before := [numDropReasons]uint64{}
			for i := range before {
				before[i] = m.Counters.Drops(DropReason(i))
			}
			m.route(pkt, from)
			for i := range before {
				got, wantN := m.Counters.Drops(DropReason(i))-before[i], uint64(0)
				if DropReason(i) == r {
					wantN = 1
				}
				if got != wantN {
					t.Errorf("% x: %s moved by %d, want the drop counted once as %s", pkt, DropReason(i), got, r)
				}
			}
		}
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
