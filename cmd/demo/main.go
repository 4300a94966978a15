// Command demo runs the plainrtc SFU with its room app: a start page that
// lists and creates rooms, and the room page at /r/{room} (pre-join with
// device choice, tiles, chat, errors explained), all plain HTML, CSS and
// JavaScript embedded from static/. WHIP and WHEP work too (/test.html is
// their test page).
//
//	go run ./cmd/demo [-http 127.0.0.1:8080] [-udp 50000] [-ip 127.0.0.1]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/plainrtc/plainrtc/internal/roompage"
	"github.com/plainrtc/plainrtc/sfu"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// run parses flags, starts the SFU and the HTTP server, prints the URL to
// open and serves until ctx is done or SIGINT/SIGTERM.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	srv, err := sfu.New(sfu.Config{UDP: netip.AddrPortFrom(o.ip, uint16(o.udp)), Advertise: o.advertise, Logger: log,
		MaxRooms: o.maxRooms, MaxParticipants: o.maxParticipants, MaxTracks: o.maxTracks, MaxChat: o.maxChat,
		Inspector: o.inspector})
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", o.http)
	if err != nil {
		return err
	}
	// Timeouts so a client that trickles its headers or its offer cannot
	// hold a connection open forever (the offer itself is size-limited by
	// the sfu handler).
	hs := &http.Server{Handler: newHandler(srv, nil), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	scheme := "http"
	if o.tlsCert != "" {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "plainrtc demo: open %s://%s/ (media on udp %s)\n", scheme, ln.Addr(), srv.MediaAddr())
	printReachHints(stdout, o, ln.Addr().String())
	if !o.inspector {
		fmt.Fprintln(stdout, "  add -inspector to watch every protocol step of your own session in the room page (and download it)")
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() {
		if o.tlsCert != "" {
			errc <- hs.ServeTLS(ln, o.tlsCert, o.tlsKey)
			return
		}
		errc <- hs.Serve(ln)
	}()
	select {
	case <-ctx.Done():
		hs.Close()
		return nil
	case err := <-errc:
		return err
	}
}

// newHandler serves the pages, WHIP, WHEP, the room API, /healthz and
// /metrics, and, when report is not nil, /report for pages driven by tests
// (internal/roompage).
func newHandler(srv *sfu.Server, report http.Handler) http.Handler {
	return roompage.Handler(srv, report)
}

// printReachHints tells a newcomer what the URL alone does not: how other
// machines (and Firefox, which never uses loopback ICE candidates) reach
// a server bound to loopback, and that browsers need HTTPS off localhost.
func printReachHints(w io.Writer, o *options, httpAddr string) {
	if o.ip.IsLoopback() {
		fmt.Fprintln(w, "  media is bound to loopback: Chromium on this machine works; Firefox and other machines need")
		fmt.Fprintln(w, "  -ip <this machine's LAN address> (or -ip 0.0.0.0 -advertise <address>) and -http 0.0.0.0:8080")
	}
	if host, _, _ := strings.Cut(httpAddr, ":"); o.tlsCert == "" && host != "127.0.0.1" && host != "[::1]" {
		fmt.Fprintln(w, "  other machines' browsers allow camera and microphone only over HTTPS: add -tls-cert and -tls-key")
	}
}
