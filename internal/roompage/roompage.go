// Package roompage serves plainrtc's web pages in front of an SFU: the
// WHIP/WHEP test page, the room page /r/{room} (cmd/demo/static), the
// SFU's WHIP, WHEP and room API, /healthz and /metrics. cmd/demo serves it
// to people; cmd/capture to the headless browsers it records.
package roompage

import (
	"io"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/plainrtc/plainrtc/cmd/demo/static"
	"github.com/plainrtc/plainrtc/sfu"
)

// Handler serves the pages (/, /app.js, …), WHIP and WHEP, the room API
// and page, /healthz and /metrics, and, when report is not nil, /report
// for pages driven by tests and tools (room.js with report=1 posts there
// and polls it for commands).
func Handler(srv *sfu.Server, report http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.Handle("GET /metrics", metricsHandler(srv))
	mux.Handle("/", http.FileServerFS(static.FS))
	mux.Handle("/whip/", srv.Handler())
	mux.Handle("/whep/", srv.Handler())
	mux.Handle("/api/", srv.APIHandler())
	// The room page: /r/{room}?name=Ann&autojoin=1&video=0 (docs/SIGNALING.md).
	mux.HandleFunc("GET /r/{room}", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, static.FS, "room.html")
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
