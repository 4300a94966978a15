package sfu

import (
	"sync/atomic"

	"github.com/plainrtc/plainrtc/srtp"
)

// sendItem is one packet for one participant: a shared plaintext buffer and,
// for RTP forwarded from a publisher, the rewrite the room decided. The
// sender worker copies the buffer, rewrites and protects the copy, and sends
// it; the shared buffer is never changed.
type sendItem struct {
	buf  *pktBuf
	rw   rewrite // for RTP (every RTP packet the SFU sends is a forwarded one)
	rtcp bool
}

// packetWriter is where a sender's protected packets go: the participant's
// share of the media socket (transport.Peer), or a counter in benchmarks.
type packetWriter interface {
	Write([]byte) (int, error)
}

// sender is everything that leaves the SFU towards one participant. Its
// queue has one producer, the participant's room (under the room's lock),
// and one consumer, the sender worker it is pinned to, which alone owns
// its SRTP context: the send order and the SRTP indexes are the worker's
// (RFC 3711 §3.3.1: the sender's ROC follows what it sends). Counters are
// atomics read by Stats.
type sender struct {
	worker *sendWorker
	out    packetWriter
	keys   atomic.Pointer[srtp.Context] // set once DTLS is done; used only by the worker
	q      sendQueue
	sent   sentLog

	scheduled atomic.Bool // on its worker's run queue
	closed    atomic.Bool

	rtpSent, rtcpSent, bytesSent atomic.Uint64
	dropQueueFull                atomic.Uint64 // the worker fell behind: dropped for this participant only
	dropNoKeys                   atomic.Uint64
	encryptFailures              atomic.Uint64
	writeFailures                atomic.Uint64
	rewriteFailures              atomic.Uint64
}

// enqueue hands it to the sender's worker, or drops it (counted) when the
// queue is full or the sender closed. Called by the room's driver only.
func (s *sender) enqueue(it sendItem) {
	if s.closed.Load() || !s.q.push(it) {
		if !s.closed.Load() {
			s.dropQueueFull.Add(1)
		}
		it.buf.release()
		return
	}
	s.worker.schedule(s)
}

// close stops the sender; what is still queued is released by its worker.
func (s *sender) close() {
	s.closed.Store(true)
	s.worker.schedule(s)
}

// sendQueueLen bounds what may wait for one participant: about a quarter
// second of a 2.5 Mbit/s video stream plus audio and reports.
const sendQueueLen = 256

// sendQueue is a bounded single-producer single-consumer ring. The atomic
// tail store publishes the item to the consumer; the atomic head store
// gives the slot back.
type sendQueue struct {
	head  atomic.Uint32 // next to read
	tail  atomic.Uint32 // next to write
	items [sendQueueLen]sendItem
}

func (q *sendQueue) push(it sendItem) bool {
	t := q.tail.Load()
	if t-q.head.Load() == sendQueueLen {
		return false
	}
	q.items[t%sendQueueLen] = it
	q.tail.Store(t + 1)
	return true
}

func (q *sendQueue) pop() (sendItem, bool) {
	h := q.head.Load()
	if h == q.tail.Load() {
		return sendItem{}, false
	}
	it := q.items[h%sendQueueLen]
	q.items[h%sendQueueLen] = sendItem{}
	q.head.Store(h + 1)
	return it, true
}

func (q *sendQueue) len() int { return int(q.tail.Load() - q.head.Load()) }
