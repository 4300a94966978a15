package sfu

import (
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu/transport"
	"github.com/plainrtc/plainrtc/stun"
)

// checkRequest builds a connectivity check from the browser of chromeOffer
// (ufrag abcd) to the session whose answer is answer.
func checkRequest(t *testing.T, answer []byte, controlled, useCandidate bool) []byte {
	t.Helper()
	a, err := sdp.Parse(answer)
	if err != nil {
		t.Fatal(err)
	}
	ufrag, pwd, ok := a.Media[0].ICECredentials()
	if !ok {
		t.Fatal("answer has no ICE credentials")
	}
	var tid stun.TransactionID
	rand.Read(tid[:])
	var b stun.Builder
	b.Reset(make([]byte, 0, 256), stun.BindingRequest, tid)
	b.AddString(stun.AttrUsername, ufrag+":abcd")
	b.AddPriority(1853824767)
	if controlled {
		b.AddICEControlled(1)
	} else {
		b.AddICEControlling(1)
	}
	if useCandidate {
		b.AddUseCandidate()
	}
	b.AddMessageIntegrity(stun.NewShortTermIntegrity(pwd))
	b.AddFingerprint()
	out, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func postOffer(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Post(url, "application/sdp", strings.NewReader(chromeOffer))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST: %d %s", resp.StatusCode, body)
	}
	return body
}

func onlySession(t *testing.T, s *Server) *session {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.sessions {
		return x
	}
	t.Fatal("no session")
	return nil
}

// An authenticated check that the agent answers with a signed error (487
// for ICE-CONTROLLED) comes from the peer: accepted, not counted as an
// authentication failure.
func TestSessionAuthenticatedErrorIsNotAuthFailure(t *testing.T) {
	s, hs := newTestServer(t)
	answer := postOffer(t, hs.URL+"/whip/r")
	x := onlySession(t, s)
	from := s.MediaAddr() // any address: HandleSTUN is called directly
	if v := x.HandleSTUN(checkRequest(t, answer, true, false), from); v != transport.STUNAccepted {
		t.Fatalf("verdict for an authenticated ICE-CONTROLLED check: %v, want STUNAccepted", v)
	}
}

// RFC 7675 §5.1: when consent expires the session stops sending at once.
func TestSessionStopsSendingOnConsentLoss(t *testing.T) {
	s, hs := newTestServer(t)
	answer := postOffer(t, hs.URL+"/whip/r")
	x := onlySession(t, s)
	c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(s.MediaAddr()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(checkRequest(t, answer, false, true)); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	buf := make([]byte, 1500)
	if _, err := c.Read(buf); err != nil {
		t.Fatalf("no response to the nominating check: %v", err)
	}
	// The mux selects the nominated address after the handler returned,
	// which may be after the response reached us: wait for it.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		_, err := x.tp.Write([]byte{0x80, 0})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("write before consent loss: %v", err)
		}
	}
	s.mu.Lock()
	reason := x.timeout(time.Now().Add(time.Minute))
	s.mu.Unlock()
	if !strings.Contains(reason, "consent") {
		t.Fatalf("timeout a minute later: %q, want consent expiry", reason)
	}
	if _, err := x.tp.Write([]byte{0x80, 0}); !errors.Is(err, transport.ErrConsentExpired) {
		t.Fatalf("write after consent loss: %v, want ErrConsentExpired", err)
	}
}

// Close ends sessions whose DTLS handshake is still waiting for the peer
// (and the timer goroutine and socket): no goroutine stays behind, and a
// DELETE racing Close neither deadlocks nor panics.
func TestServerCloseLeavesNoGoroutines(t *testing.T) {
	base := runtime.NumGoroutine()
	s, err := New(Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	var locs []string
	for range 5 {
		resp, err := http.Post(hs.URL+"/whip/r", "application/sdp", strings.NewReader(chromeOffer))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		locs = append(locs, resp.Header.Get("Location"))
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, l := range locs {
			req, _ := http.NewRequest(http.MethodDelete, hs.URL+l, nil)
			if r, err := http.DefaultClient.Do(req); err == nil {
				r.Body.Close()
			}
		}
	}()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	<-done
	hs.Close()
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(20 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines after Close, %d before:\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}
