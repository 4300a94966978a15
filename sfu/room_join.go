package sfu

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// addPublisher creates a WHIP peer in room from its offer: one track per
// sending audio/video section, each answered recvonly with a single codec
// (RFC 8829 §5.3.1; RFC 9725 §4.2 one session per publisher). The data
// channel section, if any, is accepted. It returns the answer's sections.
func (r *room) addPublisher(id string, o *offer, now time.Time) (*peer, []answerMedia, error) {
	p := r.newPeer(id, KindWHIP, now)
	media := r.receiveSections(p, o, now)
	if len(p.tracks) == 0 {
		r.leave(p, now)
		return nil, nil, badf("no audio or video section the SFU can receive (want Opus, VP8, H264 packetization-mode=1 or VP9, sendonly)")
	}
	r.joined(p, now)
	r.log.Info("publisher joined", "peer", id, "room", r.name, "tracks", describeTracks(p.tracks))
	return p, media, nil
}

// receiveSections answers a join offer of a publisher or participant:
// each sending audio/video section becomes a track, answered recvonly
// with a single codec (RFC 8829 §5.3.1), up to the room's track limit;
// the data channel is accepted; anything else is rejected (port 0).
func (r *room) receiveSections(p *peer, o *offer, now time.Time) []answerMedia {
	var media []answerMedia
	for _, m := range o.Media {
		if m.Rejected {
			media = append(media, rejectSection(m))
			continue
		}
		switch m.Kind {
		case "audio", "video":
			if m.Direction != "sendonly" && m.Direction != "sendrecv" || len(p.tracks) >= r.limits.maxTracks {
				media = append(media, rejectSection(m))
				continue
			}
			t := r.newTrack(p, m, now)
			if t == nil {
				media = append(media, rejectSection(m))
				continue
			}
			media = append(media, answerMedia{Kind: m.Kind, Proto: m.Proto, Mid: m.Mid, Direction: "recvonly",
				Codecs: []codec{t.codec}, Extmaps: t.ext})
		case "application":
			media = append(media, r.dataSection(m))
		default:
			media = append(media, rejectSection(m))
		}
	}
	return media
}

// joined tells the room about p, whose tracks are now published.
func (r *room) joined(p *peer, now time.Time) {
	for _, t := range p.tracks {
		r.trackAdded(t, now)
	}
	r.broadcastRoster()
	r.broadcast(p, map[string]any{"type": "joined", "id": p.id, "name": p.name})
}

// addSubscriber creates a WHEP peer: every receiving audio/video section of
// its offer is answered sendonly with an SSRC of ours and fed by one track
// of the room of that kind, taken in publishing order. Sections without a
// track yet stay idle until someone publishes. Nothing is forwarded to it
// before setReady.
func (r *room) addSubscriber(id string, o *offer, now time.Time) (*peer, []answerMedia, error) {
	p := r.newPeer(id, KindWHEP, now)
	taken := map[*track]bool{}
	var media []answerMedia
	for _, m := range o.Media {
		if m.Rejected {
			media = append(media, rejectSection(m))
			continue
		}
		switch m.Kind {
		case "audio", "video":
			if m.Direction != "recvonly" && m.Direction != "sendrecv" {
				media = append(media, rejectSection(m))
				continue
			}
			var src *track
			var c codec
			for _, t := range r.tracks() {
				if t.kind != m.Kind || taken[t] {
					continue
				}
				if oc, ok := matchCodec(m.Codecs, t.codec); ok {
					src, c = t, oc
					break
				}
			}
			if src == nil {
				var ok bool
				if c, ok = chooseReceiveCodec(m); !ok {
					media = append(media, rejectSection(m))
					continue
				}
			}
			c.FB = supportedFeedback(c.FB, m.Kind)
			exts := answerExtmaps(m.Extmaps, subscribeExtensions)
			d := &downTrack{sub: p, kind: m.Kind, mid: m.Mid, ssrc: r.newSSRC(), codec: c, ext: exts}
			d.rw = newRewriter(d.ssrc, c, m.Kind, exts)
			p.downs = append(p.downs, d)
			p.downBySSRC[d.ssrc] = d
			p.rsize = p.rsize || m.RTCPRsize
			if src != nil {
				taken[src] = true
				d.attach(src) // the keyframe request waits for setReady
			}
			media = append(media, answerMedia{Kind: m.Kind, Proto: m.Proto, Mid: m.Mid, Direction: "sendonly",
				Codecs: []codec{c}, Extmaps: exts,
				SSRC: d.ssrc, CNAME: string(p.cname), StreamID: "plainrtc-" + r.name, TrackID: id + "-" + m.Mid})
		case "application":
			media = append(media, r.dataSection(m))
		default:
			media = append(media, rejectSection(m))
		}
	}
	if len(p.downs) == 0 && !hasData(media) {
		r.leave(p, now)
		return nil, nil, badf("no receiving audio/video section and no data channel to answer")
	}
	var srcs []string
	for _, d := range p.downs {
		if d.track != nil {
			srcs = append(srcs, d.mid+"<-"+d.track.id)
		} else {
			srcs = append(srcs, d.mid+"<-(idle)")
		}
	}
	r.broadcastRoster()
	r.log.Info("subscriber joined", "peer", id, "room", r.name, "streams", strings.Join(srcs, " "))
	return p, media, nil
}

func hasData(media []answerMedia) bool {
	for _, m := range media {
		if m.Kind == "application" && !m.Rejected {
			return true
		}
	}
	return false
}

func (r *room) dataSection(m offerMedia) answerMedia {
	if m.SCTPPort == 0 || !strings.Contains(m.Proto, "SCTP") {
		return rejectSection(m)
	}
	// RFC 8841 §5: we listen on the same well-known port.
	return answerMedia{Kind: "application", Proto: m.Proto, Mid: m.Mid, SCTPPort: 5000}
}

func (r *room) newPeer(id, kind string, now time.Time) *peer {
	p := &peer{id: id, kind: kind, cname: []byte("plainrtc-" + id), ssrc: r.newSSRC(), created: now,
		bySSRC: map[uint32]*track{}, byMid: map[string]*track{}, downBySSRC: map[uint32]*downTrack{},
		nextReport: now.Add(time.Second)}
	r.peers[id] = p
	r.order = append(r.order, p)
	r.event(Event{Kind: EventJoined, Time: now, Participant: id})
	return p
}

// tracks returns every track published in the room, oldest publisher first.
func (r *room) tracks() []*track {
	var ts []*track
	for _, p := range r.order {
		ts = append(ts, p.tracks...)
	}
	return ts
}

// setReady marks p's transport secured (DTLS done, SRTP keys installed):
// from now on the room forwards media to it and sends it reports. A
// subscriber's sources are asked for a keyframe now, when it can receive
// one, rather than at the offer (it would be lost, and the next request
// throttled).
func (r *room) setReady(p *peer, now time.Time) {
	if p.ready || p.closed {
		return
	}
	p.ready = true
	for _, d := range p.downs {
		if d.track != nil {
			r.requestKeyframe(d.track, now)
		}
	}
}

// leave removes p: its tracks end (their caches are released, their
// subscribers' sections stop or, for WHEP viewers, take another source),
// its outgoing streams stop, and the room is told.
func (r *room) leave(p *peer, now time.Time) {
	if p.closed {
		return
	}
	p.closed = true
	for _, t := range append([]*track(nil), p.tracks...) {
		r.endTrack(t, now)
	}
	for _, d := range p.downs {
		d.attach(nil)
	}
	for i, q := range r.order {
		if q == p {
			r.order = append(r.order[:i], r.order[i+1:]...)
			break
		}
	}
	delete(r.peers, p.id)
	r.event(Event{Kind: EventLeft, Time: now, Participant: p.id})
	r.broadcast(nil, map[string]any{"type": "left", "id": p.id, "name": p.name, "reason": p.leftReason})
	r.broadcastRoster()
}

// newSSRC picks a random SSRC not used by any of the room's streams
// (RFC 3550 §8.1).
func (r *room) newSSRC() uint32 {
	for {
		s := rand.Uint32()
		if s == 0 {
			continue
		}
		used := false
		for _, p := range r.peers {
			if p.ssrc == s || p.downBySSRC[s] != nil {
				used = true
				break
			}
		}
		if !used {
			return s
		}
	}
}

func describeTracks(ts []*track) string {
	var s []string
	for _, t := range ts {
		s = append(s, fmt.Sprintf("%s:%s %s/%d ssrc=%d", t.mid, t.kind, t.codec.Name, t.codec.Clock, t.ssrc))
	}
	return strings.Join(s, " ")
}
