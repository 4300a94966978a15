package sfu

import (
	"io"

	"github.com/plainrtc/plainrtc/sfu/transport"
)

// SessionInfo names a new session for [Config].Record.
type SessionInfo struct {
	Kind string // KindParticipant, KindWHIP or KindWHEP
	Room string
	ID   string // the session's (and participant's) id
	Name string // display name
}

// sessionObserver watches one session from outside its packet path: every
// datagram as it crosses the socket (a transport.Tap), the DTLS key log,
// and every SDP exchanged, in order — the join offer and answer, then each
// renegotiation's offer and answer whoever made it. A [Recorder] is one.
// Its methods must not block: they run on the read loop, the sender
// workers and under the room's lock.
type sessionObserver interface {
	transport.Tap
	KeyLog() io.Writer
	Offer(sdp []byte)
	Answer(sdp []byte)
}

// observe attaches the session's observers to its transport peer. Called
// once, before the session's first datagram can arrive.
func (x *session) observe(tp *transport.Peer) {
	switch len(x.obs) {
	case 0:
	case 1:
		tp.SetTap(x.obs[0])
	default:
		taps := make(transport.Taps, len(x.obs))
		for i, o := range x.obs {
			taps[i] = o
		}
		tp.SetTap(taps)
	}
}

// keyLog is the writer for the session's DTLS key log, nil when nothing
// observes the session.
func (x *session) keyLog() io.Writer {
	switch len(x.obs) {
	case 0:
		return nil
	case 1:
		return x.obs[0].KeyLog()
	}
	ws := make([]io.Writer, len(x.obs))
	for i, o := range x.obs {
		ws[i] = o.KeyLog()
	}
	return io.MultiWriter(ws...)
}

// sawExchange shows the observers an offer and its answer.
func (x *session) sawExchange(offer, answer []byte) {
	for _, o := range x.obs {
		o.Offer(offer)
		o.Answer(answer)
	}
}

// sdpExchange is an offer and the answer that completed it, for p's
// session's observers: only completed exchanges are shown, so an offer
// rolled back (an ICE restart crossing the room's offer) never appears
// and offer-N pairs with answer-N.
type sdpExchange struct {
	to            *peer
	offer, answer []byte
}

// pollExchanges hands every offer/answer exchange completed since the last
// call to f.
func (r *room) pollExchanges(f func(to *peer, offer, answer []byte)) {
	for i, e := range r.exchanges {
		f(e.to, e.offer, e.answer)
		r.exchanges[i] = sdpExchange{}
	}
	r.exchanges = r.exchanges[:0]
}
