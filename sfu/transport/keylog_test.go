package transport

import (
	"context"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a concurrency-safe key log sink.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestKeyLogWriter: with DTLSParams.KeyLogWriter set on both sides, each
// writes one NSS key log line (CLIENT_RANDOM, 32-byte client random,
// 48-byte master secret, RFC 5246 §8.1) and the two lines are the same
// secret; the session's keys are those of a handshake without it.
func TestKeyLogWriter(t *testing.T) {
	for _, aRole := range []Role{RoleClient, RoleServer} {
		t.Run("a-"+aRole.String(), func(t *testing.T) {
			a := newEndpoint(t, "aaaa", "a-password-0123456789")
			b := newEndpoint(t, "bbbb", "b-password-0123456789")
			connectICE(t, a, b)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			bRole := RoleServer
			if aRole == RoleServer {
				bRole = RoleClient
			}
			var la, lb lockedBuffer
			ra, rb := make(chan hsResult, 1), make(chan hsResult, 1)
			go func() {
				s, err := a.peer.Handshake(ctx, DTLSParams{Role: aRole, RemoteFingerprints: []Fingerprint{b.mux.Certificate().Fingerprint()}, KeyLogWriter: &la})
				ra <- hsResult{s, err}
			}()
			go func() {
				s, err := b.peer.Handshake(ctx, DTLSParams{Role: bRole, RemoteFingerprints: []Fingerprint{a.mux.Certificate().Fingerprint()}, KeyLogWriter: &lb})
				rb <- hsResult{s, err}
			}()
			x, y := <-ra, <-rb
			if x.err != nil || y.err != nil {
				t.Fatalf("handshake: a=%v b=%v", x.err, y.err)
			}
			if la.String() == "" || la.String() != lb.String() {
				t.Fatalf("key logs differ or are empty:\n a %q\n b %q", la.String(), lb.String())
			}
			f := strings.Fields(la.String())
			if len(f) != 3 || f[0] != "CLIENT_RANDOM" || !strings.HasSuffix(la.String(), "\n") {
				t.Fatalf("key log %q is not one NSS CLIENT_RANDOM line", la.String())
			}
			cr, err1 := hex.DecodeString(f[1])
			ms, err2 := hex.DecodeString(f[2])
			if err1 != nil || err2 != nil || len(cr) != 32 || len(ms) != 48 {
				t.Fatalf("client random %d bytes, master secret %d bytes (%v, %v)", len(cr), len(ms), err1, err2)
			}
			if len(x.s.Keys.KeyingMaterial) == 0 || string(x.s.Keys.KeyingMaterial) != string(y.s.Keys.KeyingMaterial) {
				t.Fatal("keying material differs with a key log")
			}
		})
	}
}
