package sfu

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// pauseHandler is a slog.Handler that stops the goroutine logging msg
// for pause: a test uses it to hold an HTTP handler between the answer and
// the start of its handshake. It sleeps rather than waiting for the test
// to release it, so that nothing orders what the handler does next after
// what the test did meanwhile (the race detector would see that order).
type pauseHandler struct {
	msg     string
	pause   time.Duration
	reached chan struct{}
	once    *sync.Once
}

func (h pauseHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h pauseHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.once.Do(func() { close(h.reached) })
		time.Sleep(h.pause)
	}
	return nil
}
func (h pauseHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h pauseHandler) WithGroup(string) slog.Handler      { return h }

// serverGoroutine matches the stack of a goroutine the server started
// (methods and New; not the test's own).
var serverGoroutine = regexp.MustCompile(`created by github\.com/plainrtc/plainrtc/sfu\.(\(|New)`)

// Close while an offer is being answered: the goroutines a session starts
// (the DTLS handshake, data channel echoes) must be counted in Server.wg
// before Close can be waiting on it, or not started at all once Close
// began. Under -race, a wg.Add racing wg.Wait is reported
// (sync.WaitGroup: "Add calls with a positive delta that occur when the
// counter is zero must happen before a Wait"); without -race the goroutine
// started after Close is seen.
func TestServerCloseWhileConnecting(t *testing.T) {
	// a=setup:active makes the SFU the DTLS server: its handshake starts
	// as soon as the answer is written.
	active := strings.ReplaceAll(chromeOffer, "a=setup:actpass", "a=setup:active")
	for range 3 {
		h := pauseHandler{msg: "session created", pause: 300 * time.Millisecond, reached: make(chan struct{}), once: &sync.Once{}}
		s, err := New(Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(h)})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(s.Handler())
		posted := make(chan int, 1)
		go func() {
			resp, err := http.Post(hs.URL+"/whip/r", "application/sdp", strings.NewReader(active))
			if err != nil {
				posted <- 0
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			posted <- resp.StatusCode
		}()
		select {
		case <-h.reached:
		case <-time.After(10 * time.Second):
			t.Fatal("the offer never reached \"session created\"")
		}
		// The handler is parked after the session was registered, before
		// its handshake started. Close ends the session and waits, well
		// within the pause.
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		// Nothing the server started may run after Close returned: watch
		// every goroutine while the parked handler finishes.
		until := time.Now().Add(200 * time.Millisecond)
		buf := make([]byte, 1<<20)
		for done := false; !done || time.Now().Before(until); {
			select {
			case <-posted:
				done = true
			default:
			}
			stacks := string(buf[:runtime.Stack(buf, true)])
			if serverGoroutine.MatchString(stacks) {
				t.Fatalf("a goroutine the server started runs after Close returned:\n%s", stacks)
			}
		}
		hs.Close()
	}
	http.DefaultClient.CloseIdleConnections()
}
