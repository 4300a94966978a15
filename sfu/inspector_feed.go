package sfu

import (
	"encoding/json"
	"strconv"
	"sync"

	"github.com/plainrtc/plainrtc/annotate"
)

// inspectRingLen is how many lines a session's feed keeps for a
// subscriber that comes late (the page opened the inspector after the
// handshake, or reconnected).
const inspectRingLen = 1000

// inspectLine is one line of the inspector stream, sent as JSON (the
// contract the demo's page reads, docs/DESIGN.md "Protocol inspector"):
//
//	{"seq":N,"ms":…,"layer":"stun|ice|dtls|sctp|dcep|rtp|rtcp|sdp|session",
//	 "dir":"in|out|","summary":"…","ref":"RFC 8489 §14.5","url":"https://…",
//	 "count":N,"detail":[{"depth":0,"name":"…","value":"…","ref":"…","url":"…"}]}
//
// seq counts from 1 without gaps; ms is milliseconds since the session
// was created; dir is "in" for what the participant sent, "out" for what
// the SFU sent, "" for neither; count is the datagrams (or packets, or
// events) the line stands for; ref and url are "" when no RFC defines the
// line (session notes); detail is [] when there is none, and a detail
// line's ref and url are left out when it has none.
type inspectLine struct {
	Seq     uint64          `json:"seq"`
	MS      int64           `json:"ms"`
	Layer   string          `json:"layer"`
	Dir     string          `json:"dir"`
	Summary string          `json:"summary"`
	Ref     string          `json:"ref"`
	URL     string          `json:"url"`
	Count   int             `json:"count"`
	Detail  []annotate.Line `json:"detail"`
}

// inspectFeed keeps a session's last lines, encoded, for its subscribers:
// the inspector goroutine appends, each SSE handler reads what is newer
// than what it sent and waits on changed. The writer never waits for a
// reader.
type inspectFeed struct {
	mu      sync.Mutex
	ring    [][]byte // line seq s at ring[(s-1)%len]
	next    uint64   // seq of the next line
	changed chan struct{}
	closed  bool
}

func newInspectFeed(n int) *inspectFeed {
	return &inspectFeed{ring: make([][]byte, n), next: 1, changed: make(chan struct{})}
}

// add numbers l, encodes it and wakes the subscribers.
func (f *inspectFeed) add(l *inspectLine) {
	if l.Detail == nil {
		l.Detail = []annotate.Line{}
	}
	l.URL = annotate.RefURL(l.Ref)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	l.Seq = f.next
	b, err := json.Marshal(l)
	if err != nil {
		b = []byte(`{"seq":` + strconv.FormatUint(l.Seq, 10) + `,"layer":"session","dir":"","summary":"line not encodable","ref":"","url":"","count":0,"detail":[]}`)
	}
	f.ring[(f.next-1)%uint64(len(f.ring))] = b
	f.next++
	close(f.changed)
	f.changed = make(chan struct{})
}

// close ends the feed: subscribers get what is left, then their stream ends.
func (f *inspectFeed) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.closed {
		f.closed = true
		close(f.changed)
	}
}

// since returns the lines after seq after (oldest first, at most the
// ring), the channel closed when more arrive, whether the feed is closed,
// and how many lines after after were already overwritten.
func (f *inspectFeed) since(after uint64) (lines [][]byte, last uint64, changed <-chan struct{}, closed bool, missed uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	first := after + 1
	if n := uint64(len(f.ring)); f.next > n && first < f.next-n {
		missed = f.next - n - first
		first = f.next - n
	}
	for s := first; s < f.next; s++ {
		lines = append(lines, f.ring[(s-1)%uint64(len(f.ring))])
	}
	return lines, f.next - 1, f.changed, f.closed, missed
}
