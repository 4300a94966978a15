package sfu

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/plainrtc/plainrtc/annotate"
)

// Inspector rate limits (docs/DESIGN.md "Protocol inspector").
const (
	// inspectLinesPerSecond caps a session's lines; past it lines are
	// counted and one "N lines suppressed" line says so.
	inspectLinesPerSecond = 40
	// stunShownEach is how many STUN messages are shown one by one; the
	// later ones (consent checks, keepalives) are summed per stunWindow.
	stunShownEach = 12
	stunWindow    = 5 * time.Second
	// sctpWindow sums the DTLS application_data records (SCTP inside).
	sctpWindow = 5 * time.Second
)

// lineBuilder turns a session's datagrams and events into inspector lines.
// It belongs to the inspector's goroutine.
type lineBuilder struct {
	in  *inspector
	ann *annotate.Annotator
	n   int // datagrams annotated

	tokens     float64
	refilled   time.Time
	suppressed int

	stunShown int
	useCand   map[string]string // transaction ID of an authenticated USE-CANDIDATE request → its pair
	nominated string
	stunWin   stunSum
	sctp      [2]sctpSum // in, out

	media mediaStats
	sdp   sdpState
}

type stunSum struct {
	start                         time.Time
	requests, responses, errors   int
	indications, integOK, integKO int
	last                          *annotate.Record
	lastDir                       string
}

type sctpSum struct {
	start   time.Time
	records int
	dgrams  int
	last    *annotate.Record
}

func (b *lineBuilder) init(in *inspector) {
	b.in = in
	b.ann, _ = annotate.New(annotate.Config{}) // without keys New cannot fail
	b.tokens = inspectLinesPerSecond
	b.useCand = map[string]string{}
	b.media.init()
}

// emit writes l unless the session is over its line rate.
func (b *lineBuilder) emit(at time.Time, l *inspectLine) {
	now := time.Now()
	if !b.refilled.IsZero() {
		b.tokens = min(inspectLinesPerSecond, b.tokens+now.Sub(b.refilled).Seconds()*inspectLinesPerSecond)
	}
	b.refilled = now
	if b.tokens < 1 || (b.suppressed > 0 && b.tokens < 2) {
		b.suppressed++
		return
	}
	if b.suppressed > 0 {
		b.tokens--
		b.put(at, &inspectLine{Layer: "session", Count: b.suppressed,
			Summary: fmt.Sprintf("%d lines suppressed: over %d lines per second (the per-second summaries that follow still count everything)", b.suppressed, inspectLinesPerSecond)})
		b.suppressed = 0
	}
	b.tokens--
	b.put(at, l)
}

// emitAlways writes l past the rate limit (the session's last line).
func (b *lineBuilder) emitAlways(at time.Time, l *inspectLine) {
	if b.suppressed > 0 {
		b.put(at, &inspectLine{Layer: "session", Count: b.suppressed,
			Summary: fmt.Sprintf("%d lines suppressed: over %d lines per second", b.suppressed, inspectLinesPerSecond)})
		b.suppressed = 0
	}
	b.put(at, l)
}

func (b *lineBuilder) put(at time.Time, l *inspectLine) {
	l.MS = max(0, at.Sub(b.in.start).Milliseconds())
	b.in.feed.add(l)
}

// datagram explains one datagram of the session.
func (b *lineBuilder) datagram(at time.Time, src, dst netip.AddrPort, p []byte) {
	dir, adir, fromClient := "in", annotate.FromBrowser, !b.in.sfuIsClient
	if src == b.in.local {
		dir, adir, fromClient = "out", annotate.ToBrowser, b.in.sfuIsClient
	}
	b.n++
	r := b.ann.Annotate(annotate.Datagram{N: b.n, Time: at, Src: src, Dst: dst, Dir: adir, FromDTLSClient: fromClient, Payload: p})
	switch {
	case r.STUN != nil:
		b.stun(at, dir, r)
	case r.DTLS != nil:
		b.dtls(at, dir, r)
	case r.RTP != nil:
		b.media.rtp(at, dir, r)
	case r.RTCP != nil:
		b.media.rtcp(at, dir, r)
	default:
		layer := map[string]string{"stun": "stun", "dtls": "dtls", "rtp": "rtp", "rtcp": "rtcp"}[r.Class]
		if layer == "" {
			layer = "session"
		}
		b.emit(at, &inspectLine{Layer: layer, Dir: dir, Count: 1, Ref: "RFC 7983 §7", Detail: r.Explain(),
			Summary: fmt.Sprintf("%s datagram, %d bytes, not decodable: %s", r.Class, r.Len, orNone(r.Error))})
	}
}

func orNone(s string) string {
	if s == "" {
		return "no WebRTC protocol (RFC 7983 first byte)"
	}
	return s
}

func stunAttr(s *annotate.STUN, name string) (string, bool) {
	for _, a := range s.Attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// stun shows the first STUN messages one by one, every nomination and
// every failure; the rest (consent freshness, keepalives) as one line per
// stunWindow.
func (b *lineBuilder) stun(at time.Time, dir string, r *annotate.Record) {
	s := r.STUN
	nominated := false
	switch s.Class {
	case "request":
		if _, ok := stunAttr(s, "USE-CANDIDATE"); ok && s.Integrity == "ok" && dir == "in" {
			if len(b.useCand) > 64 {
				clear(b.useCand)
			}
			b.useCand[s.TransactionID] = "participant " + r.Src + " ↔ SFU " + r.Dst
		}
	case "success response":
		if pair, ok := b.useCand[s.TransactionID]; ok && dir == "out" {
			delete(b.useCand, s.TransactionID)
			nominated = pair != b.nominated
			b.nominated = pair
		}
	}
	failed := s.Integrity == "fail" || s.Fingerprint == "fail" || s.Class == "error response"
	if b.stunShown < stunShownEach || failed || nominated {
		b.stunShown++
		b.emit(at, &inspectLine{Layer: "stun", Dir: dir, Count: 1, Summary: stunSummary(s), Ref: stunRef(s), Detail: r.Explain()})
	} else {
		w := &b.stunWin
		if w.start.IsZero() {
			w.start = at
		}
		switch s.Class {
		case "request":
			w.requests++
		case "success response":
			w.responses++
		case "error response":
			w.errors++
		case "indication":
			w.indications++
		}
		switch s.Integrity {
		case "ok":
			w.integOK++
		case "fail":
			w.integKO++
		}
		w.last, w.lastDir = r, dir
	}
	if nominated {
		b.emit(at, &inspectLine{Layer: "ice", Count: 1, Ref: "RFC 8445 §7.3.1.5",
			Summary: "nominated pair: " + b.nominated + " (an authenticated check with USE-CANDIDATE, answered; the participant's agent is controlling, the SFU ICE-lite). " +
				"From now on the participant's checks are consent freshness (RFC 7675 §5.1)"})
	}
}

func stunSummary(s *annotate.STUN) string {
	var parts []string
	for _, name := range []string{"PRIORITY", "USE-CANDIDATE", "ICE-CONTROLLING", "ICE-CONTROLLED", "XOR-MAPPED-ADDRESS", "ERROR-CODE"} {
		if v, ok := stunAttr(s, name); ok {
			switch name {
			case "USE-CANDIDATE":
				parts = append(parts, name)
			case "ICE-CONTROLLING", "ICE-CONTROLLED":
				parts = append(parts, strings.ToLower(strings.TrimPrefix(name, "ICE-")))
			default:
				parts = append(parts, name+" "+v)
			}
		}
	}
	parts = append(parts, "integrity "+s.Integrity, "fingerprint "+s.Fingerprint)
	return s.Type + ": " + strings.Join(parts, ", ")
}

func stunRef(s *annotate.STUN) string {
	switch {
	case s.Integrity == "fail":
		return "RFC 8489 §14.5"
	case s.Class == "error response":
		return "RFC 8489 §14.8"
	case s.Class == "indication":
		return "RFC 8445 §11"
	case s.Method == "Binding":
		return "RFC 8445 §7.3"
	}
	return "RFC 8489 §6"
}

// dtls shows every datagram carrying a handshake, ChangeCipherSpec or
// alert record; application_data records (SCTP) are summed per sctpWindow.
func (b *lineBuilder) dtls(at time.Time, dir string, r *annotate.Record) {
	var parts []string
	ref := "RFC 6347 §4.2"
	appData := 0
	for _, rec := range r.DTLS.Records {
		switch {
		case rec.ContentType == "application_data":
			appData++
		case rec.ContentType == "handshake" && !rec.Encrypted:
			for _, h := range rec.Handshake {
				p := h.Type
				if h.FragmentLength != int(h.Length) {
					p += fmt.Sprintf(" (fragment %d+%d of %d)", h.FragmentOffset, h.FragmentLength, h.Length)
				}
				if h.CipherSuite != "" {
					p += " cipher_suite " + h.CipherSuite
					ref = "RFC 5246 §7.4.1.3"
				}
				if len(h.SRTPProfiles) > 0 {
					p += " use_srtp " + strings.Join(h.SRTPProfiles, ",")
					ref = "RFC 5764 §4.1.1"
				}
				parts = append(parts, p)
			}
		case rec.ContentType == "handshake":
			parts = append(parts, "encrypted handshake (Finished)")
		case rec.ContentType == "alert":
			p := "alert"
			if rec.Encrypted {
				p += " (encrypted; after the handshake usually close_notify)"
			}
			parts = append(parts, p)
			ref = "RFC 5246 §7.2"
		default:
			parts = append(parts, rec.ContentType)
		}
	}
	if len(parts) == 0 && appData > 0 && r.Error == "" {
		w := &b.sctp[dirIndex(dir)]
		if w.start.IsZero() {
			w.start = at
		}
		w.records += appData
		w.dgrams++
		w.last = r
		return
	}
	if r.Error != "" {
		parts = append(parts, "error: "+r.Error)
	}
	if appData > 0 {
		parts = append(parts, strconv.Itoa(appData)+" application_data")
	}
	b.emit(at, &inspectLine{Layer: "dtls", Dir: dir, Count: 1, Ref: ref, Detail: r.Explain(),
		Summary: "DTLS " + strings.Join(parts, ", ")})
}

func dirIndex(dir string) int {
	if dir == "out" {
		return 1
	}
	return 0
}

// flush writes the windows that are due (all of them when the session ends).
func (b *lineBuilder) flush(now time.Time) {
	b.media.flush(b, now)
	if w := &b.stunWin; !w.start.IsZero() && now.Sub(w.start) >= stunWindow-windowSlack {
		n := w.requests + w.responses + w.errors + w.indications
		sum := fmt.Sprintf("consent freshness: %d Binding requests, %d success responses", w.requests, w.responses)
		if w.errors > 0 {
			sum += fmt.Sprintf(", %d error responses", w.errors)
		}
		if w.indications > 0 {
			sum += fmt.Sprintf(", %d indications (keepalives, RFC 8445 §11)", w.indications)
		}
		sum += fmt.Sprintf(" in %.0f s; integrity ok %d, failed %d", now.Sub(w.start).Seconds(), w.integOK, w.integKO)
		b.emit(now, &inspectLine{Layer: "ice", Dir: "", Count: n, Ref: "RFC 7675 §5.1", Summary: sum, Detail: w.last.Explain()})
		*w = stunSum{}
	}
	for i := range b.sctp {
		w := &b.sctp[i]
		if w.start.IsZero() || now.Sub(w.start) < sctpWindow-windowSlack {
			continue
		}
		dir := [2]string{"in", "out"}[i]
		b.emit(now, &inspectLine{Layer: "sctp", Dir: dir, Count: w.dgrams, Ref: "RFC 8261 §3", Detail: w.last.Explain(),
			Summary: fmt.Sprintf("%d DTLS application_data records in %d datagrams in %.0f s: SCTP (data channels), encrypted", w.records, w.dgrams, now.Sub(w.start).Seconds())})
		*w = sctpSum{}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
