package sfu

import (
	"sync"
	"time"
)

// roomHost is the driver of one room: the lock that serialises its inputs
// (packets from the read loop, ticks, HTTP joins and leaves, DTLS results)
// and the dispatch of what the room yields — transmits to the participants'
// sender workers, events to the log. Rooms do not share a lock: a packet
// takes its own room's lock only, and the per-subscriber work runs on the
// sender workers after the lock is released by the room's next input.
type roomHost struct {
	s    *Server
	name string

	mu       sync.Mutex
	room     *room
	sessions map[string]*session // this room's sessions, guarded by mu

	// Guarded by Server.mu: how many sessions joined or are joining, and
	// since when the room has had none (it is deleted a while after).
	members    int
	emptySince time.Time
	topic      string // set by POST /api/rooms
}

// flush hands what the room queued to the sender workers and the log.
// Called with mu held, after every input.
func (h *roomHost) flush() {
	h.room.pollTransmits(func(to *peer, it sendItem) {
		if to.sender == nil {
			it.buf.release()
			return
		}
		to.sender.enqueue(it)
	})
	h.room.pollSignals(func(to *peer, msg []byte) {
		if to.signaler != nil {
			to.signaler.send(msg)
		}
	})
	h.room.pollExchanges(func(to *peer, offer, answer []byte) {
		if x := h.sessions[to.id]; x != nil {
			x.sawExchange(offer, answer)
		}
	})
	h.room.pollEvents(func(ev Event) {
		h.s.events.add(ev.Kind)
	})
}

// tick runs the room's timers, takes the sender workers' "packet sent"
// reports and ends sessions whose time is up; it returns those, for
// release outside the lock.
func (h *roomHost) tick(now time.Time) []*session {
	h.mu.Lock()
	defer h.mu.Unlock()
	var ending []*session
	for _, x := range h.sessions {
		if p := x.p; p != nil && p.sender != nil {
			p.sender.sent.drain(func(rec *sentRecord) { h.room.handleSent(p, rec) })
		}
		if reason := x.timeout(now); reason != "" {
			ending = append(ending, x)
			h.s.endLocked(x, reason)
		}
	}
	h.room.tick(now)
	h.flush()
	return ending
}
