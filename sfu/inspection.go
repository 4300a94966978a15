package sfu

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/plainrtc/plainrtc/sfu/transport"
)

// InspectorRecorderMaxBytes is the recording cap of each participant
// session when Config.Inspector is on: smaller than
// DefaultRecorderMaxBytes, since every participant gets one (about 15 s
// of a camera and microphone; the rest is marked truncated).
const InspectorRecorderMaxBytes = 8 << 20

// How long, and how many, ended sessions' inspections are kept so that a
// participant who just left can still download its capture.
const (
	inspectionKeep    = 3 * time.Minute
	inspectionKeepMax = 16
)

// inspection is one participant session's inspector and recording, and
// the token that opens them (issued at join, never listed).
type inspection struct {
	room, id, token string
	rec             *Recorder
	in              *inspector
	ended           time.Time // zero while the session lives
}

// newInspection makes x's recorder and inspector and adds both to its
// observers. Called in open, before its transport peer exists.
func (s *Server) newInspection(x *session, room string) *inspection {
	var tok [16]byte
	rand.Read(tok[:])
	ins := &inspection{room: room, id: x.id, token: hex.EncodeToString(tok[:]),
		rec: NewRecorder(InspectorRecorderMaxBytes),
		in:  newInspector(x.created, s.mux.LocalAddrPort(), x.role == transport.RoleClient, s.mux.Certificate().Fingerprint().String())}
	x.obs = append(x.obs, ins.rec, ins.in)
	return ins
}

// startInspection registers ins and starts its goroutine; x's room lock
// is held.
func (s *Server) startInspection(x *session, ins *inspection) {
	if !s.goLocked(x, func() { ins.in.run(s.done) }) {
		ins.in.stopped.Store(true)
		ins.in.feed.close()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inspections == nil {
		s.inspections = map[string]*inspection{}
	}
	s.pruneInspectionsLocked(time.Now())
	s.inspections[ins.id] = ins
}

// endInspection marks x's inspection ended (kept for inspectionKeep) and
// tells its observers; x's room lock is held.
func (s *Server) endInspection(x *session, reason string) {
	x.sawEnd(reason)
	if !s.cfg.Inspector {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ins := s.inspections[x.id]; ins != nil && ins.ended.IsZero() {
		ins.ended = time.Now()
	}
}

// inspectionOf returns the inspection of participant id in room, nil if
// there is none (off, unknown, or forgotten).
func (s *Server) inspectionOf(room, id string) *inspection {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneInspectionsLocked(time.Now())
	if ins := s.inspections[id]; ins != nil && ins.room == room {
		return ins
	}
	return nil
}

// inspectToken is the token of a session's inspection, "" when none.
func (s *Server) inspectToken(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ins := s.inspections[id]; ins != nil {
		return ins.token
	}
	return ""
}

// pruneInspectionsLocked forgets ended inspections older than
// inspectionKeep, and the oldest ended ones beyond inspectionKeepMax.
func (s *Server) pruneInspectionsLocked(now time.Time) {
	var oldest *inspection
	ended := 0
	for id, ins := range s.inspections {
		if ins.ended.IsZero() {
			continue
		}
		if now.Sub(ins.ended) > inspectionKeep {
			delete(s.inspections, id)
			continue
		}
		ended++
		if oldest == nil || ins.ended.Before(oldest.ended) {
			oldest = ins
		}
	}
	if ended > inspectionKeepMax && oldest != nil {
		delete(s.inspections, oldest.id)
		s.pruneInspectionsLocked(now) // one at a time: rare, and few
	}
}
