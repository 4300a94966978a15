package sfu

import (
	"log/slog"
	"time"

	"github.com/plainrtc/plainrtc/rtcp"
)

// room is the conferencing core of one room: its participants, the tracks
// they publish (each with one packet cache its subscribers share), the
// subscriptions, and the RTCP each leg needs. It is a state machine in the
// str0m style: typed inputs go in —
//
//	addPublisher / addSubscriber / setReady / leave   (join, DTLS up, leave)
//	handleRTP / handleRTCP                             (a packet from a participant)
//	handleSent                                         (a sender worker sent a packet)
//	tick                                               (the time)
//
// and typed outputs come out, drained by the driver after each input:
// transmits (a shared packet and the rewrite for one participant; a
// forwarded packet to n subscribers is n transmits of one buffer), events,
// and the next timeout. It owns no goroutine, lock, socket or clock:
// time is an argument, and its tests drive it on a virtual clock.
type room struct {
	name  string
	log   *slog.Logger
	epoch time.Time // origin of jitter arrival times
	peers map[string]*peer
	order []*peer // in joining order: publishers' tracks are offered oldest first

	limits roomLimits

	out     []transmit
	events  []Event
	signals []signalOut
	// exchanges are completed offer/answer pairs for the sessions' observers.
	exchanges []sdpExchange
	leaving   []*peer // participants that asked to leave: the driver ends their sessions

	levels levelState

	// Scratch for parsing and building RTCP without allocating.
	scratch [maxPacket]byte
	rtcpIt  rtcp.Iterator
	nack    rtcp.NACK
	fir     rtcp.FIR
	pli     rtcp.PLI
	sr      rtcp.SenderReport
	rr      rtcp.ReceiverReport
	sdes    rtcp.SourceDescription
	reports []rtcp.ReceptionReport
	lost    []uint16
}

// transmit is one output packet for one participant: a plaintext RTP or
// RTCP packet in a shared buffer (one reference held for this transmit)
// and, for forwarded RTP, how to rewrite it.
type transmit struct {
	to   *peer
	item sendItem
}

// EventKind says what an Event reports.
type EventKind int

const (
	EventJoined        EventKind = iota + 1 // a participant joined
	EventLeft                               // a participant left
	EventTrackAdded                         // a participant published a track
	EventTrackEnded                         // a published track ended (its publisher left)
	EventSourceSwitch                       // a subscriber's stream switched to another source
	EventKeyframeAsked                      // the room asked a publisher for a keyframe (PLI)
)

// Event is something that happened in a room, as a typed value: the driver
// logs it today; room signaling will carry it to participants.
type Event struct {
	Kind        EventKind
	Time        time.Time
	Participant string // the participant it concerns
	Track       string // the track, for track events
	Subscriber  string // for EventSourceSwitch
}

func newRoom(name string, log *slog.Logger) *room {
	return &room{name: name, log: log, epoch: time.Unix(0, 0), peers: map[string]*peer{},
		limits: roomLimits{maxChat: 2000, maxTracks: 4}}
}

func (r *room) empty() bool { return len(r.peers) == 0 }

// emit queues a copy of pkt for p (RTCP the room built itself).
func (r *room) emit(p *peer, isRTCP bool, pkt []byte) {
	b := newPktBuf(pkt)
	if b == nil {
		return
	}
	r.out = append(r.out, transmit{to: p, item: sendItem{buf: b, rtcp: isRTCP}})
	if isRTCP {
		p.stats.rtcpOut++
	} else {
		p.stats.rtpOut++
	}
}

// forward queues the shared buffer b for p, rewritten by rw.
func (r *room) forward(p *peer, b *pktBuf, rw rewrite) {
	b.retain()
	r.out = append(r.out, transmit{to: p, item: sendItem{buf: b, rw: rw}})
	p.stats.rtpOut++
}

func (r *room) event(ev Event) { r.events = append(r.events, ev) }

// pollTransmits hands every queued transmit to f and empties the queue; f
// takes over the buffer's reference.
func (r *room) pollTransmits(f func(to *peer, it sendItem)) {
	for i, t := range r.out {
		f(t.to, t.item)
		r.out[i] = transmit{}
	}
	r.out = r.out[:0]
}

// pollEvents hands every queued event to f and empties the queue.
func (r *room) pollEvents(f func(Event)) {
	for _, ev := range r.events {
		f(ev)
	}
	r.events = r.events[:0]
}

// nextTimeout is when tick must next run: the earliest report due.
func (r *room) nextTimeout() (time.Time, bool) {
	var t time.Time
	for _, p := range r.peers {
		if p.ready && (t.IsZero() || p.nextReport.Before(t)) {
			t = p.nextReport
		}
	}
	return t, !t.IsZero()
}

// rtpTicks converts a duration to ticks of an RTP clock of the given rate
// without overflowing for long durations.
func rtpTicks(d time.Duration, clock uint32) uint64 {
	if d <= 0 {
		return 0
	}
	return uint64(d/time.Second)*uint64(clock) + uint64(d%time.Second)*uint64(clock)/uint64(time.Second)
}
