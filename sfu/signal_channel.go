package sfu

import (
	"errors"
	"io"
	"sync/atomic"
	"time"

	"github.com/plainrtc/plainrtc/sfu/datachannel"
)

// SignalProtocol is the data channel protocol (RFC 8832 §5.1) of a
// participant's signaling channel (docs/SIGNALING.md).
const SignalProtocol = "plainrtc-signal/1"

// maxSignalMessage bounds one signaling message in either direction.
const maxSignalMessage = 64 << 10

// signalWriter writes a participant's signaling messages on its channel
// from its own goroutine: the room queues them under its lock and must
// never wait on SCTP. The queue is bounded; a participant that cannot keep
// up loses messages (counted) and its channel is closed, so it rejoins
// rather than silently missing an offer.
type signalWriter struct {
	ch      *datachannel.Channel
	q       chan []byte
	dropped atomic.Uint64
}

func newSignalWriter(ch *datachannel.Channel) *signalWriter {
	return &signalWriter{ch: ch, q: make(chan []byte, 256)}
}

// send queues msg; it never blocks.
func (w *signalWriter) send(msg []byte) {
	select {
	case w.q <- msg:
	default:
		if w.dropped.Add(1) == 1 {
			_ = w.ch.Close()
		}
	}
}

// run writes until stop is closed or the channel fails.
func (w *signalWriter) run(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case msg := <-w.q:
			if err := w.ch.WriteMessage(msg, true); err != nil {
				return
			}
		}
	}
}

// runSignaling serves a participant's signaling channel: its messages go to
// the room, the room's to it.
func (x *session) runSignaling(ch *datachannel.Channel) {
	w := newSignalWriter(ch)
	h := x.rh
	h.mu.Lock()
	if x.ended {
		h.mu.Unlock()
		_ = ch.Close()
		return
	}
	x.p.signaler = w
	h.room.signalOpen(x.p, time.Now())
	h.flush()
	h.mu.Unlock()
	if !x.s.goSession(x, func() { w.run(x.ctx.Done()) }) {
		return
	}
	x.log.Info("signaling channel open", "stream", ch.StreamID())
	buf := make([]byte, maxSignalMessage)
	for {
		n, _, err := ch.ReadMessage(buf)
		if errors.Is(err, io.ErrShortBuffer) {
			x.s.interop.signalTooLarge.Add(1)
			x.log.Warn("signaling channel closed: message over the limit", "size", n, "limit", maxSignalMessage)
			_ = ch.Close()
			return
		}
		if err != nil {
			return
		}
		x.signalMessage(buf[:n])
	}
}

// signalMessage hands one message to the room and carries out what it
// yields; a participant that asked to leave is ended here.
func (x *session) signalMessage(msg []byte) {
	h := x.rh
	var leaving []*session
	h.mu.Lock()
	if x.ended {
		h.mu.Unlock()
		return
	}
	h.room.handleSignal(x.p, msg, time.Now())
	h.room.pollLeaving(func(p *peer) {
		if y := h.sessions[p.id]; y != nil {
			leaving = append(leaving, y)
		}
	})
	h.flush()
	for _, y := range leaving {
		x.s.endLocked(y, "left (signaling)")
	}
	h.mu.Unlock()
	for _, y := range leaving {
		y.release()
	}
}
