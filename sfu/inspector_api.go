package sfu

import (
	"crypto/subtle"
	"fmt"
	"mime"
	"net/http"
	"time"
)

// inspectKeepalive is the period of the SSE comment that keeps proxies
// and browsers from timing the inspector stream out (a variable for tests).
var inspectKeepalive = 15 * time.Second

// inspectionFor finds the inspection a request names and checks its
// token: 404 when the inspector is off or the participant unknown, 403
// for a wrong token.
func (s *Server) inspectionFor(w http.ResponseWriter, r *http.Request) *inspection {
	room, ok := roomName(w, r)
	if !ok {
		return nil
	}
	if !s.cfg.Inspector {
		jsonError(w, http.StatusNotFound, "the protocol inspector is off (the server's -inspector flag)")
		return nil
	}
	ins := s.inspectionOf(room, r.PathValue("id"))
	if ins == nil {
		jsonError(w, http.StatusNotFound, "no such participant (or its session ended over "+inspectionKeep.String()+" ago)")
		return nil
	}
	if subtle.ConstantTimeCompare([]byte(ins.token), []byte(r.URL.Query().Get("token"))) != 1 {
		jsonError(w, http.StatusForbidden, "wrong inspect token: a participant opens only its own session")
		return nil
	}
	return ins
}

// apiInspect streams a participant's inspector lines as server-sent
// events: the lines kept so far, then the live ones, a comment every
// inspectKeepalive; it ends when the session has ended and its last line
// is sent, when the client goes away, or when the server closes.
func (s *Server) apiInspect(w http.ResponseWriter, r *http.Request) {
	ins := s.inspectionFor(w, r)
	if ins == nil {
		return
	}
	rc := http.NewResponseController(w)
	// A stream outlives the server's WriteTimeout and ReadTimeout (whose
	// expiry, in the background read, would cancel the request).
	_ = rc.SetWriteDeadline(time.Time{})
	_ = rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	keep := time.NewTicker(inspectKeepalive)
	defer keep.Stop()
	var last uint64
	for {
		lines, upTo, changed, closed, missed := ins.in.feed.since(last)
		if missed > 0 {
			fmt.Fprintf(w, ": %d lines were overwritten before this client read them\n\n", missed)
		}
		for _, l := range lines {
			if _, err := fmt.Fprintf(w, "data: %s\n\n", l); err != nil {
				return
			}
		}
		last = upTo
		if err := rc.Flush(); err != nil {
			return
		}
		if closed {
			return
		}
		select {
		case <-changed:
		case <-keep.C:
			if _, err := fmt.Fprint(w, ": keepalive\n\n"); err != nil {
				return
			}
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
}

// apiCapture sends a participant's own recording as a zip of a corpus
// folder (Recorder.WriteZip): session.pcapng, keylog.txt, the SDPs,
// meta.json; rtcdump and conformance.Load read it once unzipped.
func (s *Server) apiCapture(w http.ResponseWriter, r *http.Request) {
	ins := s.inspectionFor(w, r)
	if ins == nil {
		return
	}
	name := "plainrtc-" + ins.room + "-" + ins.id
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name + ".zip"}))
	w.Header().Set("Cache-Control", "no-store")
	_ = ins.rec.WriteZip(w, name)
}
