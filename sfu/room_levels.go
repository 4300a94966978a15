package sfu

import (
	"math"
	"time"

	"github.com/plainrtc/plainrtc/rtp"
)

// Audio levels and the active speaker. Publishers put the level of each
// audio packet in the RFC 6464 header extension (0 is the loudest, 127
// dBov silence); the room turns it into a loudness in 0…1, smooths it so a
// pause between words does not drop a speaker, and tells the participants
// a few times a second. The active speaker changes only when another
// participant has been clearly louder for a while, so it does not flap.
const (
	levelsInterval   = 250 * time.Millisecond
	speakerMargin    = 0.1 // how much louder the next speaker must be
	speakerHold      = 2   // for how many reports in a row
	speakerThreshold = 0.15
)

type levelState struct {
	next       time.Time
	speaker    string
	challenger string
	wins       int
}

// audioLevel takes the RFC 6464 level of one audio packet of t.
func (r *room) audioLevel(t *track, h *rtp.Header) {
	if t.levelExtID == 0 {
		return
	}
	v := h.GetExtension(t.levelExtID)
	if len(v) == 0 {
		return
	}
	dbov := float64(v[0] & 0x7f)   // RFC 6464 §3: -dBov, V bit apart
	loud := math.Pow(10, -dbov/40) // amplitude-like scale: -40 dBov is 0.1
	// Fast attack, slow release (about 20 packets of 20 ms).
	if loud > t.loudness {
		t.loudness = 0.5*t.loudness + 0.5*loud
	} else {
		t.loudness = 0.95*t.loudness + 0.05*loud
	}
}

// reportLevels sends every participant the levels and the speaker, when
// due.
func (r *room) reportLevels(now time.Time) {
	if now.Before(r.levels.next) {
		return
	}
	r.levels.next = now.Add(levelsInterval)
	levels := map[string]float64{}
	loudest, max := "", 0.0
	for _, p := range r.order {
		l := 0.0
		for _, t := range p.tracks {
			if t.kind == "audio" && t.levelExtID != 0 {
				l = math.Max(l, t.loudness)
			}
		}
		if p.audioMuted {
			l = 0
		}
		levels[p.id] = math.Round(l*100) / 100
		if l > max {
			loudest, max = p.id, l
		}
	}
	if len(levels) == 0 {
		return
	}
	s := &r.levels
	cur := levels[s.speaker]
	switch {
	case loudest == "" || max < speakerThreshold || loudest == s.speaker:
		s.challenger, s.wins = "", 0
	case s.speaker == "" || r.peers[s.speaker] == nil || max > cur+speakerMargin:
		if s.challenger == loudest {
			s.wins++
		} else {
			s.challenger, s.wins = loudest, 1
		}
		if s.wins >= speakerHold || s.speaker == "" || r.peers[s.speaker] == nil {
			s.speaker, s.challenger, s.wins = loudest, "", 0
		}
	}
	r.broadcast(nil, map[string]any{"type": "levels", "levels": levels, "speaker": s.speaker})
	r.followSpeakers(now)
}
