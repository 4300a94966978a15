package sfu

import "github.com/plainrtc/plainrtc/annotate"

// Optional sessionObserver methods, for an observer that explains the
// session rather than records it (the inspector). Each must not block.

// handshakeObserver is told what the DTLS handshake established.
type handshakeObserver interface {
	HandshakeDone(h handshakeInfo)
}

// eventObserver is told what the session's own code sees that a datagram
// does not show (SCTP and DCEP run inside DTLS), and the session's end.
type eventObserver interface {
	SessionEvent(layer, summary, ref string, detail ...annotate.Line)
	SessionEnded(reason string)
}

// sawHandshake shows the observers the handshake's result.
func (x *session) sawHandshake(h handshakeInfo) {
	for _, o := range x.obs {
		if ho, ok := o.(handshakeObserver); ok {
			ho.HandshakeDone(h)
		}
	}
}

// sawEvent shows the observers an event of the session.
func (x *session) sawEvent(layer, summary, ref string, detail ...annotate.Line) {
	for _, o := range x.obs {
		if eo, ok := o.(eventObserver); ok {
			eo.SessionEvent(layer, summary, ref, detail...)
		}
	}
}

// sawEnd tells the observers the session ended.
func (x *session) sawEnd(reason string) {
	for _, o := range x.obs {
		if eo, ok := o.(eventObserver); ok {
			eo.SessionEnded(reason)
		}
	}
}
