package sfu

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/plainrtc/plainrtc/sdp"
)

// signalOut is a signaling message for one participant (docs/SIGNALING.md),
// already encoded: the driver writes it on the participant's channel.
type signalOut struct {
	to  *peer
	msg []byte
}

// roomLimits bound what one participant can make the room do.
type roomLimits struct {
	maxChat   int // bytes of one chat message's text
	maxTracks int // tracks one participant may publish
}

// addParticipant creates a participant from its join offer (the only offer
// it makes, docs/SIGNALING.md): its sending sections become tracks, the
// data channel is accepted, sections it only wants to receive on are
// rejected (it receives on sections the room offers).
func (r *room) addParticipant(id, name string, o *offer, now time.Time) (*peer, []answerMedia, error) {
	p := r.newPeer(id, KindParticipant, now)
	p.name = name
	media := r.receiveSections(p, o, now)
	if !hasData(media) {
		r.leave(p, now)
		return nil, nil, badf("a participant's offer needs a data channel (protocol plainrtc-signal/1) for room signaling")
	}
	r.joined(p, now)
	r.log.Info("participant joined", "peer", id, "room", r.name, "name", name, "tracks", describeTracks(p.tracks))
	return p, media, nil
}

// startNegotiation gives a participant its offer/answer state once its
// join answer is written: cfg are our transport attributes for later
// offers.
func (r *room) startNegotiation(p *peer, cfg *sdp.Config, answer, offer *sdp.Session) {
	p.neg = newNegotiation(cfg, answer, offer)
}

// signalOpen: p's signaling channel is open. It gets the roster and an
// offer of every track in the room.
func (r *room) signalOpen(p *peer, now time.Time) {
	if p.closed || p.signalReady {
		return
	}
	p.signalReady = true
	r.signal(p, map[string]any{"type": "welcome", "id": p.id, "roster": r.roster()})
	for _, q := range r.order {
		if q != p {
			p.neg.addQ = append(p.neg.addQ, q.tracks...)
		}
	}
	r.wantOffer(p)
}

// trackAdded offers t to every other participant, and lets idle WHEP
// streams of its kind take it.
func (r *room) trackAdded(t *track, now time.Time) {
	r.event(Event{Kind: EventTrackAdded, Time: now, Participant: t.pub.id, Track: t.id})
	for _, q := range r.order {
		if q == t.pub {
			continue
		}
		if q.neg != nil {
			q.neg.addQ = append(q.neg.addQ, t)
			r.wantOffer(q)
			continue
		}
		r.feedIdle(q, now)
	}
}

// endTrack ends a published track: its subscribers' sections are stopped
// by their next offer (WHEP streams go idle and take another source).
func (r *room) endTrack(t *track, now time.Time) {
	if t.ended {
		return
	}
	t.ended = true
	for _, d := range append([]*downTrack(nil), t.downs...) {
		d.attach(nil)
		if q := d.sub; q.neg != nil && !q.closed {
			q.neg.stopQ = append(q.neg.stopQ, d.mid)
			r.wantOffer(q)
		}
	}
	t.cache.clear()
	delete(t.pub.byMid, t.mid)
	for ssrc, x := range t.pub.bySSRC {
		if x == t {
			delete(t.pub.bySSRC, ssrc)
		}
	}
	for i, x := range t.pub.tracks {
		if x == t {
			t.pub.tracks = append(t.pub.tracks[:i], t.pub.tracks[i+1:]...)
			break
		}
	}
	r.event(Event{Kind: EventTrackEnded, Time: now, Participant: t.pub.id, Track: t.id})
	for _, q := range r.order {
		if q.kind == KindWHEP && !q.closed {
			r.feedIdle(q, now)
		}
	}
}

// feedIdle gives a WHEP viewer's idle streams a live track of their kind
// and format that none of its streams carries yet, earliest publisher
// first: a viewer follows the next publisher when one leaves.
func (r *room) feedIdle(q *peer, now time.Time) {
	if q.kind != KindWHEP {
		return
	}
	for _, d := range q.downs {
		if d.track != nil {
			continue
		}
	next:
		for _, t := range r.tracks() {
			if t.kind != d.kind || t.ended || !t.codec.sameFormat(d.codec) {
				continue
			}
			for _, o := range q.downs {
				if o.track == t {
					continue next
				}
			}
			d.attach(t)
			if q.ready {
				r.requestKeyframe(t, now)
			}
			break
		}
	}
}

// rosterEntry is one participant as the roster shows it.
type rosterEntry struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Audio      bool   `json:"audio"`
	Video      bool   `json:"video"`
	AudioMuted bool   `json:"audioMuted"`
	VideoMuted bool   `json:"videoMuted"`
}

func (r *room) roster() []rosterEntry {
	out := make([]rosterEntry, 0, len(r.order))
	for _, p := range r.order {
		e := rosterEntry{ID: p.id, Name: p.name, Kind: p.kind, AudioMuted: p.audioMuted, VideoMuted: p.videoMuted}
		for _, t := range p.tracks {
			e.Audio = e.Audio || t.kind == "audio"
			e.Video = e.Video || t.kind == "video"
		}
		out = append(out, e)
	}
	return out
}

func (r *room) broadcastRoster() {
	r.broadcast(nil, map[string]any{"type": "roster", "participants": r.roster()})
}

// broadcast signals msg to every participant with an open channel but
// except.
func (r *room) broadcast(except *peer, msg any) {
	b, err := json.Marshal(msg)
	if err != nil {
		return
	}
	for _, q := range r.order {
		if q != except && q.signalReady && !q.closed {
			r.signals = append(r.signals, signalOut{to: q, msg: b})
		}
	}
}

// signal queues msg for p.
func (r *room) signal(p *peer, msg any) {
	if !p.signalReady || p.closed {
		return
	}
	b, err := json.Marshal(msg)
	if err != nil {
		return
	}
	r.signals = append(r.signals, signalOut{to: p, msg: b})
}

func (r *room) sendError(p *peer, code, message string) {
	p.stats.signalErrors++
	r.signal(p, map[string]any{"type": "error", "code": code, "message": message})
}

// pollSignals makes the offers that are due, then hands every queued
// signaling message to f.
func (r *room) pollSignals(f func(to *peer, msg []byte)) {
	r.makeOffers()
	for i, s := range r.signals {
		f(s.to, s.msg)
		r.signals[i] = signalOut{}
	}
	r.signals = r.signals[:0]
}

// pollLeaving hands every participant that asked to leave to f.
func (r *room) pollLeaving(f func(*peer)) {
	for _, p := range r.leaving {
		f(p)
	}
	r.leaving = r.leaving[:0]
}

// clientMessage is any message a participant sends (docs/SIGNALING.md).
type clientMessage struct {
	Type    string `json:"type"`
	SDP     string `json:"sdp"`
	Version int    `json:"version"`
	Kind    string `json:"kind"`
	Mid     string `json:"mid"`
	Muted   bool   `json:"muted"`
	Text    string `json:"text"`
}

// handleSignal takes one message from p's signaling channel.
func (r *room) handleSignal(p *peer, raw []byte, now time.Time) {
	if p.closed {
		return
	}
	var m clientMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		r.sendError(p, "bad-message", "not a JSON object: "+err.Error())
		return
	}
	switch m.Type {
	case "answer":
		r.handleAnswer(p, m.SDP, m.Version, now)
		r.broadcastRoster()
	case "publish":
		if m.Kind != "audio" && m.Kind != "video" {
			r.sendError(p, "bad-message", "publish: kind must be audio or video")
			return
		}
		if len(p.tracks)+len(p.neg.publishQ) >= r.limits.maxTracks {
			r.sendError(p, "limit", "at most "+strconv.Itoa(r.limits.maxTracks)+" tracks per participant")
			return
		}
		p.neg.publishQ = append(p.neg.publishQ, m.Kind)
		r.wantOffer(p)
	case "unpublish":
		t := p.byMid[m.Mid]
		if t == nil {
			r.sendError(p, "bad-message", "unpublish: no track of yours in section "+strconv.Quote(m.Mid))
			return
		}
		r.endTrack(t, now)
		p.neg.stopQ = append(p.neg.stopQ, m.Mid)
		r.wantOffer(p)
		r.broadcastRoster()
	case "mute":
		switch m.Kind {
		case "audio":
			p.audioMuted = m.Muted
		case "video":
			p.videoMuted = m.Muted
		default:
			r.sendError(p, "bad-message", "mute: kind must be audio or video")
			return
		}
		r.broadcast(nil, map[string]any{"type": "mute", "id": p.id, "kind": m.Kind, "muted": m.Muted})
		r.broadcastRoster()
	case "chat":
		if m.Text == "" || len(m.Text) > r.limits.maxChat {
			r.sendError(p, "limit", "chat text must be 1 to "+strconv.Itoa(r.limits.maxChat)+" bytes")
			return
		}
		r.broadcast(nil, map[string]any{"type": "chat", "from": p.id, "name": p.name, "text": m.Text, "time": now.UTC().Format(time.RFC3339)})
	case "leave":
		r.leaving = append(r.leaving, p)
	default:
		r.sendError(p, "bad-message", "unknown message type "+strconv.Quote(m.Type))
	}
}
