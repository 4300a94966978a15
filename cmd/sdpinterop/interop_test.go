package main

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/internal/browsertest"
)

// runInterop serves the check and points a headless browser at it; the
// page must report "ok" after applying the answer and the three
// renegotiation offers, and the server side must have found nothing wrong
// with the browser's answers. A missing browser skips the test, or fails it
// under PLAINRTC_REQUIRE_BROWSER=1 (internal/browsertest).
func runInterop(t *testing.T, k browsertest.Kind, opts options, query string) {
	t.Helper()
	browsertest.Require(t, k)
	var mu sync.Mutex
	var log []string
	s := newInterop(opts, func(f string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		log = append(log, fmt.Sprintf(f, a...))
	})
	srv := httptest.NewServer(s.handler())
	t.Cleanup(srv.Close)
	p := browsertest.Launch(t, k, srv.URL+"/page?"+query)
	select {
	case res := <-s.done:
		mu.Lock()
		defer mu.Unlock()
		if res != "ok" {
			t.Fatalf("browser: %s\nlog:\n%s", res, strings.Join(log, "\n"))
		}
		if errs := s.Errors(); len(errs) != 0 {
			t.Fatalf("server side: %v", errs)
		}
		if n := strings.Count(strings.Join(log, "\n"), "offer accepted"); n != 3 {
			t.Fatalf("%d renegotiation offers accepted, want 3:\n%s", n, strings.Join(log, "\n"))
		}
		t.Logf("%s accepted the answer and three offers:\n%s", k, strings.Join(log, "\n"))
	case <-time.After(90 * time.Second):
		t.Fatalf("no result from %s in 90 s; browser output:\n%s", k, p.Output())
	}
}

func TestChromiumAcceptsAnswerAndOffers(t *testing.T) {
	runInterop(t, browsertest.Chromium, options{host: "127.0.0.1"}, "")
}

// With no audio codec the audio section is rejected and its slot recycled
// by a later video track.
func TestChromiumAcceptsRejectedSlotRecycled(t *testing.T) {
	runInterop(t, browsertest.Chromium, options{host: "127.0.0.1", videoOnly: true}, "")
}

// Chromium sends video as three simulcast layers (a=simulcast:send q;h;f)
// and keeps them after our a=simulcast:recv answer.
func TestChromiumAcceptsSimulcastAnswer(t *testing.T) {
	runInterop(t, browsertest.Chromium, options{host: "127.0.0.1"}, "sim")
}

// Firefox gathers no loopback candidates, so it runs in the network
// namespace internal/browsertest sets up (docs/BROWSERS.md).
func TestFirefoxAcceptsAnswerAndOffers(t *testing.T) {
	browsertest.Require(t, browsertest.Firefox)
	if !browsertest.InNetns(t) {
		return
	}
	runInterop(t, browsertest.Firefox, options{host: browsertest.NetnsServerIP}, "")
}
