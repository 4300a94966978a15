package sfu

import (
	"sort"
	"time"
)

// followSpeakers points WHEP viewers at who is talking: each audio stream
// of a viewer carries one of the loudest participants (RFC 6464 levels,
// smoothed), and its video stream the last active speaker who has video.
// A stream switches only when its source is not among those that should
// be heard or seen, so the loudest keep their streams; a switch asks for a
// keyframe and the rewriter starts the new source at one. Without levels
// the streams keep following the earliest publishers (feedIdle).
func (r *room) followSpeakers(now time.Time) {
	var audio []*track
	for _, p := range r.order {
		for _, t := range p.tracks {
			if t.kind == "audio" && t.levelExtID != 0 && !t.ended {
				audio = append(audio, t)
			}
		}
	}
	if len(audio) == 0 {
		return
	}
	sort.SliceStable(audio, func(i, j int) bool { return audio[i].loudness > audio[j].loudness })
	var speakerVideo *track
	if sp := r.peers[r.levels.speaker]; sp != nil {
		for _, t := range sp.tracks {
			if t.kind == "video" && !t.ended {
				speakerVideo = t
			}
		}
	}
	for _, q := range r.order {
		if q.kind != KindWHEP || q.closed {
			continue
		}
		var slots []*downTrack
		for _, d := range q.downs {
			if d.kind == "audio" {
				slots = append(slots, d)
			}
		}
		want := audio[:min(len(slots), len(audio))]
		wanted := map[*track]bool{}
		for _, t := range want {
			wanted[t] = true
		}
		has := map[*track]bool{}
		for _, d := range slots {
			if d.track != nil && wanted[d.track] {
				has[d.track] = true
			}
		}
		for _, d := range slots {
			if d.track != nil && wanted[d.track] {
				continue
			}
			for _, t := range want {
				if !has[t] && t.codec.sameFormat(d.codec) {
					has[t] = true
					d.attach(t)
					break
				}
			}
		}
		if speakerVideo == nil {
			continue
		}
		for _, d := range q.downs {
			if d.kind == "video" && d.track != speakerVideo && speakerVideo.codec.sameFormat(d.codec) {
				d.attach(speakerVideo)
				if q.ready {
					r.requestKeyframe(speakerVideo, now)
				}
				break
			}
		}
	}
}
