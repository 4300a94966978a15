package sfu

import (
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// Config.ConnectTimeout defaults to 30 s: a session that never finishes
// ICE or DTLS ends within that.
func TestConnectTimeoutDefault(t *testing.T) {
	s, err := New(Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.cfg.ConnectTimeout != 30*time.Second {
		t.Fatalf("default ConnectTimeout %v, want 30s", s.cfg.ConnectTimeout)
	}
}

// A session whose peer never sends a check ends at ConnectTimeout, and
// the reason names ICE, whatever the DTLS role: not "DTLS handshake
// failed: context deadline exceeded". No warning about DTLS is logged.
func TestSessionWithoutICEEndsNamingICE(t *testing.T) {
	const timeout = 400 * time.Millisecond
	for _, setup := range []string{"actpass", "active"} {
		t.Run(setup, func(t *testing.T) {
			s, hs, rec := newRecordedServer(t, timeout)
			start := time.Now()
			newTestPeer(t, s, hs.URL, "r", peerOffer{setup: setup})
			r := rec.waitFor(t, "session ended", timeout+2*time.Second)
			if !strings.HasPrefix(r.Attrs["reason"], "ICE not connected within "+timeout.String()) {
				t.Fatalf("session ended with %q, want ICE not connected within %v", r.Attrs["reason"], timeout)
			}
			if took := time.Since(start); took > timeout+time.Second {
				t.Fatalf("ended after %v, ConnectTimeout %v", took, timeout)
			}
			for _, l := range rec.all() {
				if l.Level >= slog.LevelWarn && strings.Contains(l.Msg, "DTLS") {
					t.Errorf("warning %q %v for a session that never connected ICE", l.Msg, l.Attrs)
				}
			}
		})
	}
}

// A session whose peer nominates a pair but never answers DTLS ends at
// ConnectTimeout naming DTLS, in both roles: as the client the SFU's
// ClientHello retransmissions stop there.
func TestSessionSilentDTLSEndsNamingDTLS(t *testing.T) {
	const timeout = 1500 * time.Millisecond
	for _, setup := range []string{"actpass", "active"} {
		t.Run(setup, func(t *testing.T) {
			s, hs, rec := newRecordedServer(t, timeout)
			start := time.Now()
			p := newTestPeer(t, s, hs.URL, "r", peerOffer{setup: setup})
			p.connectICE()
			r := rec.waitFor(t, "session ended", timeout+2*time.Second)
			if !strings.HasPrefix(r.Attrs["reason"], "DTLS not established within "+timeout.String()) {
				t.Fatalf("session ended with %q, want DTLS not established within %v", r.Attrs["reason"], timeout)
			}
			if took := time.Since(start); took > timeout+time.Second {
				t.Fatalf("ended after %v, ConnectTimeout %v", took, timeout)
			}
		})
	}
}
