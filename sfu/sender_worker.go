package sfu

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plainrtc/plainrtc/srtp"
)

// maxSRTPOverhead is the most SRTP or SRTCP adds to a packet: a 16-byte
// GCM tag, or a 10-byte HMAC tag plus the 4-byte SRTCP index.
const maxSRTPOverhead = 32

// sendWorker does the per-participant work of sending: copy the shared
// packet, rewrite the copy (sequence number, timestamp, SSRC, payload type,
// extension IDs), protect it with the participant's SRTP context, write it.
// There is about one worker per core; each participant is pinned to one,
// so its SRTP context and send order have a single owner and no lock.
type sendWorker struct {
	mu    sync.Mutex
	runq  []*sender
	spare []*sender
	wake  chan struct{}

	scratch [maxPacket + maxSRTPOverhead]byte
	done    atomic.Uint64 // items finished (sent or dropped), for benchmarks and tests
}

// schedule puts s on the worker's run queue unless it is already there.
func (w *sendWorker) schedule(s *sender) {
	if !s.scheduled.CompareAndSwap(false, true) {
		return
	}
	w.mu.Lock()
	w.runq = append(w.runq, s)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// run serves the run queue until stop is closed.
func (w *sendWorker) run(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-w.wake:
		}
		for {
			w.mu.Lock()
			batch := w.runq
			w.runq, w.spare = w.spare[:0], batch
			w.mu.Unlock()
			if len(batch) == 0 {
				break
			}
			now := time.Now().UnixNano()
			for i, s := range batch {
				// Cleared before draining: an item pushed after this
				// reschedules s, so none is left behind.
				s.scheduled.Store(false)
				w.drain(s, now)
				batch[i] = nil
			}
		}
	}
}

// drain sends everything queued for s.
func (w *sendWorker) drain(s *sender, now int64) {
	closed := s.closed.Load()
	keys := s.keys.Load()
	for it, ok := s.q.pop(); ok; it, ok = s.q.pop() {
		switch {
		case closed:
		case keys == nil:
			s.dropNoKeys.Add(1)
		default:
			w.send(s, keys, &it, now)
		}
		it.buf.release()
		w.done.Add(1)
	}
}

func (w *sendWorker) send(s *sender, keys *srtp.Context, it *sendItem, now int64) {
	n := copy(w.scratch[:], it.buf.bytes())
	pkt := w.scratch[:n]
	var out []byte
	var err error
	hdr := 0
	if it.rtcp {
		out, err = keys.EncryptRTCP(pkt[:0], pkt)
	} else {
		if hdr, err = it.rw.apply(pkt); err != nil {
			s.rewriteFailures.Add(1)
			return
		}
		if it.rw.rtx != nil {
			if pkt, err = it.rw.rtx.apply(w.scratch[:n], n, hdr, it.rw); err != nil {
				s.rewriteFailures.Add(1)
				return
			}
			n += 2
		}
		out, err = keys.EncryptRTP(pkt[:0], pkt)
	}
	if err != nil {
		s.encryptFailures.Add(1)
		return
	}
	if _, err := s.out.Write(out); err != nil {
		s.writeFailures.Add(1)
		return
	}
	s.bytesSent.Add(uint64(len(out)))
	if it.rtcp {
		s.rtcpSent.Add(1)
		return
	}
	s.rtpSent.Add(1)
	if it.rw.rtx != nil {
		return // an RTX packet: not counted in the media stream's reports
	}
	s.sent.add(sentRecord{at: now, ssrc: it.rw.ssrc, payload: uint16(n - hdr), seq: it.rw.seq})
}

// senderPool is the set of sender workers, one per core by default.
type senderPool struct {
	workers []*sendWorker
	next    atomic.Uint32
	stop    chan struct{}
	wg      sync.WaitGroup
}

// newSenderPool starts n workers (n <= 0: GOMAXPROCS).
func newSenderPool(n int) *senderPool {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	p := &senderPool{stop: make(chan struct{})}
	for range n {
		w := &sendWorker{wake: make(chan struct{}, 1)}
		p.workers = append(p.workers, w)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			w.run(p.stop)
		}()
	}
	return p
}

// newSender pins a new participant's sender to the next worker.
func (p *senderPool) newSender(out packetWriter) *sender {
	w := p.workers[int(p.next.Add(1))%len(p.workers)]
	return &sender{worker: w, out: out}
}

// close stops the workers; queued items are abandoned to the collector.
func (p *senderPool) close() {
	close(p.stop)
	p.wg.Wait()
}
