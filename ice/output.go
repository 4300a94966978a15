package ice

import (
	"net/netip"
	"time"
)

// Transmit is a datagram the agent wants sent: from the local transport
// address Src (the address the request arrived on) to Dst.
type Transmit struct {
	Src, Dst netip.AddrPort
	// Payload is owned by the agent and valid until the next call to
	// HandleSTUN: send it (or copy it) before feeding the agent again.
	Payload []byte
}

// Pair is a candidate pair as an ICE-lite agent sees it: the local host
// candidate's address and the remote address the checks came from
// (RFC 8445 §6.1.2.2; peer-reflexive remote candidates are not tracked as
// candidates, see doc.go).
type Pair struct {
	Local, Remote netip.AddrPort
}

// EventKind says what happened.
type EventKind uint8

// Events, in the order a session usually sees them.
const (
	// EventConnected: the first pair was nominated (RFC 8445 §8.2);
	// media may flow to Event.Pair.Remote.
	EventConnected EventKind = iota + 1
	// EventSelectedPairChanged: a nomination on another pair moved the
	// selected pair (RFC 8445 §8.1.1, a network change on the peer).
	EventSelectedPairChanged
	// EventConsentLost: no authenticated Binding request on the selected
	// pair for the consent timeout (RFC 7675 §5.1); media must stop.
	EventConsentLost
	// EventRestarted: the local credentials changed (RFC 8445 §9).
	EventRestarted
)

// String names the event kind.
func (k EventKind) String() string {
	switch k {
	case EventConnected:
		return "connected"
	case EventSelectedPairChanged:
		return "selected pair changed"
	case EventConsentLost:
		return "consent lost"
	case EventRestarted:
		return "restarted"
	case EventFailed:
		return "failed"
	}
	return "unknown"
}

// Event is something the owner of the agent should react to.
type Event struct {
	Kind EventKind
	Pair Pair      // the selected pair (the lost one for EventConsentLost)
	Time time.Time // the time passed in with the input that caused it
}

// transmitQueue holds pending transmits; buffers are reused across
// messages so steady-state answering does not allocate.
type transmitQueue struct {
	items []Transmit
	bufs  [][]byte
	head  int
}

// next returns a buffer for a new transmit (reusing an old one).
func (q *transmitQueue) next() []byte {
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	}
	i := len(q.items)
	if i < len(q.bufs) {
		return q.bufs[i][:0]
	}
	q.bufs = append(q.bufs, make([]byte, 0, 256))
	return q.bufs[i]
}

func (q *transmitQueue) push(t Transmit) {
	i := len(q.items)
	q.bufs[i] = t.Payload[:0] // keep the grown buffer
	q.items = append(q.items, t)
}

func (q *transmitQueue) pop() (Transmit, bool) {
	if q.head == len(q.items) {
		return Transmit{}, false
	}
	t := q.items[q.head]
	q.head++
	return t, true
}

// eventQueue holds an agent's events until PollEvent takes them; its
// storage is reused once drained.
type eventQueue struct {
	events []Event
	head   int
}

func (q *eventQueue) push(e Event) { q.events = append(q.events, e) }

func (q *eventQueue) pop() (Event, bool) {
	if q.head == len(q.events) {
		q.events, q.head = q.events[:0], 0
		return Event{}, false
	}
	e := q.events[q.head]
	q.head++
	return e, true
}
