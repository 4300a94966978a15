package sfu

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"
)

// openFDs counts this process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	es, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count open files: %v", err)
	}
	return len(es)
}

// 300 WHIP/WHEP sessions against one Server: a third connect (ICE and
// DTLS) and end with DELETE, a third are abandoned mid-handshake (offer
// posted, pair nominated, DTLS never answered, with the SFU as DTLS client
// and as server), a third connect and then vanish (the client's socket
// closes, no DELETE). Afterwards every session ends by itself — the
// abandoned ones at Config.ConnectTimeout, the vanished ones at ICE consent
// expiry (30 s after their last check, RFC 7675 §5.1) — and the
// goroutines and open files return to their baseline within 40 s.
func TestChurnReturnsToBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("churn of 300 sessions takes about 45 s (ICE consent expiry is 30 s); run without -short")
	}
	const (
		perKind        = 100
		connectTimeout = 2 * time.Second
		tolerance      = 3
	)
	s, err := New(Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.DiscardHandler),
		ConnectTimeout: connectTimeout})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer func() { hs.Close(); s.Close() }()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	defer client.CloseIdleConnections()
	// Warm up what is created once (HTTP connections, pools) and measure.
	warm := newTestPeer(t, s, hs.URL, "warm", peerOffer{setup: "actpass"})
	if err := deletePeer(client, hs.URL, warm); err != nil {
		t.Fatal(err)
	}
	warm.conn.Close()
	http.DefaultClient.CloseIdleConnections()
	time.Sleep(200 * time.Millisecond)
	baseG, baseFD := runtime.NumGoroutine(), openFDs(t)

	type outcome int
	const (
		deleted outcome = iota
		abandoned
		vanished
	)
	start := time.Now()
	var (
		mu   sync.Mutex
		errs []error
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	run := func(i int, what outcome) {
		o := peerOffer{setup: "actpass", data: i%3 == 0}
		if i%2 == 1 {
			o.setup = "active"
		}
		if i%4 >= 2 {
			o.kind = KindWHEP
		}
		p := newTestPeer(t, s, hs.URL, fmt.Sprintf("room%d", i%7), o)
		defer p.conn.Close()
		if err := p.check(p.conn, true, p.srvPwd); err != nil {
			fail(fmt.Errorf("session %d: ICE: %w", i, err))
			return
		}
		if what == abandoned {
			return // the socket closes; the SFU's DTLS (client or server) waits in vain
		}
		if err := p.handshake(p.conn, 10*time.Second); err != nil {
			fail(fmt.Errorf("session %d: DTLS: %w", i, err))
			return
		}
		if what == vanished {
			p.conn.Close() // first: no close_notify gets out
			p.dtls.Close()
			return
		}
		if err := deletePeer(client, hs.URL, p); err != nil {
			fail(fmt.Errorf("session %d: %w", i, err))
		}
		p.dtls.Close()
	}
	// Vanishing sessions first: their consent timeout is the longest wait.
	var order []outcome
	for range perKind {
		order = append(order, vanished)
	}
	for range perKind {
		order = append(order, abandoned, deleted)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				run(i, order[i])
			}
		}()
	}
	for i := range order {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	client.CloseIdleConnections()
	http.DefaultClient.CloseIdleConnections()
	if len(errs) > 0 {
		t.Fatalf("%d of %d sessions failed, first: %v", len(errs), len(order), errs[0])
	}
	churned := time.Now()
	t.Logf("%d sessions in %v", len(order), churned.Sub(start).Round(time.Millisecond))

	deadline := churned.Add(40 * time.Second)
	for {
		g, fd, n := runtime.NumGoroutine(), openFDs(t), s.Stats()["sessions"]
		if n == 0 && g <= baseG+tolerance && fd <= baseFD+tolerance {
			t.Logf("back to baseline %v after the churn: %d goroutines (baseline %d), %d open files (baseline %d)",
				time.Since(churned).Round(time.Millisecond), g, baseG, fd, baseFD)
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("40 s after the churn: %d sessions, %d goroutines (baseline %d), %d open files (baseline %d)\n%s",
				n, g, baseG, fd, baseFD, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// deletePeer ends p's session with DELETE (RFC 9725 §4.3).
func deletePeer(c *http.Client, baseURL string, p *testPeer) error {
	req, _ := http.NewRequest(http.MethodDelete, baseURL+p.location, nil)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("DELETE %s: %d", p.location, resp.StatusCode)
	}
	return nil
}
