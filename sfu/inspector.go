package sfu

import (
	"io"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plainrtc/plainrtc/annotate"
)

// inspectQueueLen bounds the datagrams waiting for a session's inspector
// goroutine. Past it a datagram is not inspected (counted, and the stream
// says how many): the packet path never waits for the annotator.
const inspectQueueLen = 512

// inspectItem is one datagram copied off the packet path. Items come from
// inspectPool, so a datagram costs no allocation once the pool is warm.
type inspectItem struct {
	at       time.Time
	src, dst netip.AddrPort
	b        []byte
}

var inspectPool = sync.Pool{New: func() any { return &inspectItem{b: make([]byte, 0, 1500)} }}

// inspectControl is what the session tells its inspector besides
// datagrams: a completed offer/answer exchange, the DTLS result, a data
// channel event, its end. They are never dropped.
type inspectControl struct {
	at            time.Time // when it happened: explained after the datagrams before it
	offer, answer []byte
	handshake     *handshakeInfo
	event         *inspectLine // a line as is (SCTP, DCEP)
}

// inspector is the live protocol inspector of one participant's session
// (Config.Inspector): a sessionObserver whose Datagram only copies the
// datagram into a bounded queue, and one goroutine (run, started by the
// Server and counted in its WaitGroup) that explains the queue with an
// annotate.Annotator and writes inspector lines into the session's feed.
type inspector struct {
	start         time.Time // the session's creation: lines' "ms"
	local         netip.AddrPort
	sfuIsClient   bool   // our DTLS role: which keys protect which direction
	sfuFP         string // our a=fingerprint value: who made an offer
	queue         chan *inspectItem
	stopped       atomic.Bool // the goroutine has ended: Datagram returns at once
	notInspected  atomic.Uint64
	feed          *inspectFeed
	pendingOffer  []byte // Offer waits here for its Answer; under mu
	mu            sync.Mutex
	ctl           []inspectControl
	hasCtl        atomic.Bool
	wake          chan struct{} // cap 1: a control is pending
	ended         chan struct{} // closed by SessionEnded
	endOnce       sync.Once
	endReason     string // under mu
	lines         lineBuilder
	lastNotInspec uint64
}

func newInspector(start time.Time, local netip.AddrPort, sfuIsClient bool, sfuFP string) *inspector {
	in := &inspector{
		start: start, local: local, sfuIsClient: sfuIsClient, sfuFP: sfuFP,
		queue: make(chan *inspectItem, inspectQueueLen),
		feed:  newInspectFeed(inspectRingLen),
		wake:  make(chan struct{}, 1),
		ended: make(chan struct{}),
	}
	in.lines.init(in)
	return in
}

// Datagram implements transport.Tap: a copy of b goes to the queue, or,
// when the queue is full, the datagram is counted as not inspected. It
// never blocks.
func (in *inspector) Datagram(at time.Time, src, dst netip.AddrPort, b []byte) {
	if in.stopped.Load() {
		return
	}
	if len(in.queue) == cap(in.queue) {
		in.notInspected.Add(1)
		return
	}
	it := inspectPool.Get().(*inspectItem)
	it.at, it.src, it.dst = at, src, dst
	it.b = append(it.b[:0], b...)
	select {
	case in.queue <- it:
	default: // filled meanwhile by another writer
		in.notInspected.Add(1)
		inspectPool.Put(it)
	}
}

// KeyLog implements sessionObserver: the inspector takes the SRTP keys
// from HandshakeDone, not the master secret.
func (in *inspector) KeyLog() io.Writer { return io.Discard }

// Offer implements sessionObserver; the exchange is shown with its Answer.
func (in *inspector) Offer(sdp []byte) {
	in.mu.Lock()
	in.pendingOffer = append([]byte(nil), sdp...)
	in.mu.Unlock()
}

// Answer implements sessionObserver: the exchange is complete.
func (in *inspector) Answer(sdp []byte) {
	in.mu.Lock()
	offer := in.pendingOffer
	in.pendingOffer = nil
	in.mu.Unlock()
	in.control(inspectControl{offer: offer, answer: append([]byte(nil), sdp...)})
}

// HandshakeDone implements handshakeObserver.
func (in *inspector) HandshakeDone(h handshakeInfo) { in.control(inspectControl{handshake: &h}) }

// SessionEvent implements eventObserver.
func (in *inspector) SessionEvent(layer, summary, ref string, detail ...annotate.Line) {
	in.control(inspectControl{event: &inspectLine{Layer: layer, Summary: summary, Ref: ref, Count: 1, Detail: detail}})
}

// SessionEnded implements eventObserver: the goroutine explains what is
// queued, writes the last line and closes the feed.
func (in *inspector) SessionEnded(reason string) {
	in.mu.Lock()
	if in.endReason == "" {
		in.endReason = reason
	}
	in.mu.Unlock()
	in.endOnce.Do(func() { close(in.ended) })
}

func (in *inspector) control(c inspectControl) {
	c.at = time.Now()
	in.mu.Lock()
	in.ctl = append(in.ctl, c)
	in.mu.Unlock()
	in.hasCtl.Store(true)
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

// run is the inspector's goroutine: it owns the Annotator and the line
// builder, and ends with the session (or the server).
func (in *inspector) run(done <-chan struct{}) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	defer in.feed.close()
	for {
		select {
		case it := <-in.queue:
			in.controlsUpTo(it.at)
			in.datagram(it)
			if len(in.queue) == 0 {
				in.controlsUpTo(time.Time{})
			}
		case <-in.wake:
			in.drain()
		case now := <-tick.C:
			in.drain()
			in.flush(now)
		case <-in.ended:
			in.finish()
			return
		case <-done:
			in.SessionEnded("server closed")
			in.finish()
			return
		}
	}
}

// drain explains the queued datagrams and the controls, in the order they
// happened: a control (the handshake's result, an exchange) comes after
// the datagrams the socket saw before it.
func (in *inspector) drain() {
	for {
		select {
		case it := <-in.queue:
			in.controlsUpTo(it.at)
			in.datagram(it)
			continue
		default:
		}
		break
	}
	in.controlsUpTo(time.Time{})
}

// finish explains what is still queued and writes the session's last lines.
func (in *inspector) finish() {
	in.drain()
	now := time.Now()
	in.flush(now)
	in.mu.Lock()
	reason := in.endReason
	in.mu.Unlock()
	in.lines.emitAlways(now, &inspectLine{Layer: "session", Summary: "session ended: " + reason, Count: 1})
	// Datagrams the session still writes (a close_notify) are not
	// queued any more; what is queued goes back to the pool.
	in.stopped.Store(true)
	for {
		select {
		case it := <-in.queue:
			inspectPool.Put(it)
		default:
			return
		}
	}
}

// controlsUpTo explains the controls that happened before t (all of them
// when t is zero).
func (in *inspector) controlsUpTo(t time.Time) {
	if !in.hasCtl.Load() {
		return
	}
	in.mu.Lock()
	n := 0
	for n < len(in.ctl) && (t.IsZero() || !in.ctl[n].at.After(t)) {
		n++
	}
	cs := in.ctl[:n:n]
	in.ctl = in.ctl[n:]
	in.hasCtl.Store(len(in.ctl) > 0)
	in.mu.Unlock()
	for _, c := range cs {
		switch {
		case c.answer != nil:
			in.lines.exchange(c.at, c.offer, c.answer)
		case c.handshake != nil:
			in.lines.handshake(c.at, *c.handshake)
		case c.event != nil:
			in.lines.emit(c.at, c.event)
		}
	}
}

func (in *inspector) datagram(it *inspectItem) {
	in.lines.datagram(it.at, it.src, it.dst, it.b)
	inspectPool.Put(it)
}

// flush writes the per-second summaries and the count of datagrams not
// inspected since the last flush.
func (in *inspector) flush(now time.Time) {
	if n := in.notInspected.Load(); n > in.lastNotInspec {
		in.lines.emit(now, &inspectLine{Layer: "session", Count: int(n - in.lastNotInspec),
			Summary: itoa(int(n-in.lastNotInspec)) + " datagrams not inspected: the inspector's queue was full (the session itself lost nothing)"})
		in.lastNotInspec = n
	}
	in.lines.flush(now)
}
