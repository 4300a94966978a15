package sfu

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/stun"
)

// RFC 8445 §11: Binding Indications are keepalives. From the address of a
// connected peer they are counted as indications, not as STUN that failed
// authentication, and nothing is warned about.
func TestBindingIndicationIsKeepalive(t *testing.T) {
	s, hs, rec := newRecordedServer(t, 0)
	p := newTestPeer(t, s, hs.URL, "r", peerOffer{setup: "actpass"})
	p.connectICE()
	before := len(rec.all())
	var tid stun.TransactionID
	rand.Read(tid[:])
	var b stun.Builder
	b.Reset(make([]byte, 0, 64), stun.BindingIndicate, tid)
	b.AddFingerprint()
	ind, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := p.conn.WriteToUDPAddrPort(ind, p.server); err != nil {
			t.Fatal(err)
		}
	}
	waitStat(t, s, "stun", func(v uint64) bool { return v >= 4 }, 5*time.Second) // the check and 3 indications routed
	time.Sleep(50 * time.Millisecond)
	st := s.Stats()
	if st["drop.stun-auth"] != 0 || st["stun_indications"] != 3 {
		t.Fatalf("drop.stun-auth = %d, stun_indications = %d; want 0 and 3", st["drop.stun-auth"], st["stun_indications"])
	}
	for _, r := range rec.all()[before:] {
		if r.Level >= slog.LevelWarn {
			t.Errorf("warning for a keepalive: %q %v", r.Msg, r.Attrs)
		}
	}
}

// After DELETE, what the peer still sends — its DTLS close_notify as its
// RTCPeerConnection closes, a last consent check — is the end of the
// session, not traffic from a stranger: counted (drop.after-close), not
// warned about.
func TestCloseNotifyAfterDeleteIsNotAWarning(t *testing.T) {
	s, hs, rec := newRecordedServer(t, 0)
	p := newTestPeer(t, s, hs.URL, "r", peerOffer{setup: "actpass"})
	p.connectICE()
	if err := p.handshake(p.conn, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	rec.waitFor(t, "DTLS established", 5*time.Second)
	req, _ := http.NewRequest(http.MethodDelete, hs.URL+p.location, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	resp.Body.Close()
	before := len(rec.all())
	received := s.Stats()["received"]
	// The browser's close_notify: an encrypted alert record (content
	// type 21, DTLS 1.2, epoch 1; RFC 6347 §4.1, RFC 5246 §7.2.1). Written
	// raw because pion's own conn may already have closed on ours.
	alert := append([]byte{21, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 1, 0, 26}, make([]byte, 26)...)
	if _, err := p.conn.WriteToUDPAddrPort(alert, p.server); err != nil {
		t.Fatal(err)
	}
	p.check(p.conn, false, p.srvPwd) // and a last consent check
	waitStat(t, s, "received", func(v uint64) bool { return v >= received+2 }, 5*time.Second)
	time.Sleep(50 * time.Millisecond)
	for _, r := range rec.all()[before:] {
		if r.Level >= slog.LevelWarn {
			t.Errorf("warning after DELETE: %q %v", r.Msg, r.Attrs)
		}
	}
	if n := s.Stats()["drop.after-close"]; n < 2 {
		t.Errorf("drop.after-close = %d, want the close_notify and the check counted", n)
	}
}
