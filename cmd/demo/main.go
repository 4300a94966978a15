// Command demo runs the plainrtc SFU with a minimal test page: publish a
// camera into a room with WHIP, play a room back with WHEP, echo text
// through a data channel.
//
//	go run ./cmd/demo [-http 127.0.0.1:8080] [-udp 50000] [-ip 127.0.0.1]
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/plainrtc/plainrtc/sfu"
)

//go:embed static
var static embed.FS

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// run parses flags, starts the SFU and the HTTP server, prints the URL to
// open and serves until ctx is done or SIGINT/SIGTERM.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("demo", flag.ContinueOnError)
	fl.SetOutput(stderr)
	httpAddr := fl.String("http", "127.0.0.1:8080", "HTTP listen address (WHIP, WHEP, the page)")
	udpPort := fl.Int("udp", 50000, "UDP port of the single media socket")
	ip := fl.String("ip", "127.0.0.1", "address to bind the media socket to and advertise as the ICE candidate")
	maxRooms := fl.Int("max-rooms", 100, "rooms the server holds at once")
	maxParticipants := fl.Int("max-participants", 50, "participants (and WHIP/WHEP sessions) per room")
	maxTracks := fl.Int("max-tracks", 4, "tracks one participant may publish")
	maxChat := fl.Int("max-chat", 2000, "bytes of one chat message")
	if err := fl.Parse(args); err != nil {
		return err
	}
	addr, err := netip.ParseAddr(*ip)
	if err != nil {
		return fmt.Errorf("-ip %q: %w", *ip, err)
	}
	if *udpPort < 0 || *udpPort > 65535 {
		return fmt.Errorf("-udp %d: not a port", *udpPort)
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	srv, err := sfu.New(sfu.Config{UDP: netip.AddrPortFrom(addr, uint16(*udpPort)), Logger: log,
		MaxRooms: *maxRooms, MaxParticipants: *maxParticipants, MaxTracks: *maxTracks, MaxChat: *maxChat})
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		return err
	}
	// Timeouts so a client that trickles its headers or its offer cannot
	// hold a connection open forever (the offer itself is size-limited by
	// the sfu handler).
	hs := &http.Server{Handler: newHandler(srv, nil), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	fmt.Fprintf(stdout, "plainrtc demo: open http://%s/ (media on udp %s)\n", ln.Addr(), srv.MediaAddr())

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case <-ctx.Done():
		hs.Close()
		return nil
	case err := <-errc:
		return err
	}
}

// newHandler serves the page (/, /app.js), WHIP and WHEP, /healthz and
// /metrics, and, when report is not nil, /report for pages driven by tests.
func newHandler(srv *sfu.Server, report http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.Handle("GET /metrics", metricsHandler(srv))
	sub, _ := fs.Sub(static, "static")
	mux.Handle("/", http.FileServerFS(sub))
	mux.Handle("/whip/", srv.Handler())
	mux.Handle("/whep/", srv.Handler())
	mux.Handle("/api/", srv.APIHandler())
	// The room page: /r/{room}?name=Ann&autojoin=1&video=0 (docs/SIGNALING.md).
	mux.HandleFunc("GET /r/{room}", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, sub, "room.html")
	})
	if report != nil {
		mux.Handle("/report", report)
	}
	return mux
}

// metricsHandler serves the Prometheus text format: the SFU's plainrtc_…
// families and the Go and process collectors (go_goroutines,
// process_open_fds, process_resident_memory_bytes, …).
func metricsHandler(srv *sfu.Server) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), srv.Collector())
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: nil})
}
