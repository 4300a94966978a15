package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The demo starts on the given flags, prints the URL to open, serves the
// page and the WHIP endpoint there, and stops when its context ends.
func TestRunPrintsURLAndServes(t *testing.T) {
	url, _, stop := startRun(t, "-http", "127.0.0.1:0", "-udp", "0", "-ip", "127.0.0.1")
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(page, []byte("/home.js")) {
		t.Fatalf("page: %d %q", resp.StatusCode, page)
	}
	resp, err = http.Post(url+"whip/r", "text/plain", strings.NewReader("v=0"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Fatalf("WHIP with text/plain: %d, want 415", resp.StatusCode)
	}
	stop()
}

// startRun runs the demo with args until stop, which fails the test if
// run does not return nil within 10 s; it returns the URL the demo prints
// and what it prints.
func startRun(t *testing.T, args ...string) (url string, out *syncBuffer, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, out, io.Discard) }()
	re := regexp.MustCompile(`open (https?://127\.0\.0\.1:\d+/) `)
	for deadline := time.Now().Add(10 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
	}
	stop = func() {
		t.Helper()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run returned %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("run did not return after its context ended")
		}
	}
	if url == "" {
		cancel()
		t.Fatalf("no URL printed: %q", out.String())
	}
	return url, out, stop
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-ip", "not-an-ip"}, {"-udp", "70000"}, {"-nope"}} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
