package sfu

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"sort"
	"sync/atomic"
)

// maxJoinBody bounds a join request: an offer (at most maxOfferSize) in JSON.
const maxJoinBody = 2 * maxOfferSize

// apiErrors counts refused API requests (Stats "api.errors").
var apiErrors atomic.Uint64

// APIHandler serves the room API of docs/SIGNALING.md under /api/:
//
//	GET  /api/rooms                                    the public rooms
//	POST /api/rooms                                    {"name","topic","private"} → 201 {"name","topic","private"}
//	GET  /api/rooms/{room}                             one room: participants, tracks, subscriptions
//	POST /api/rooms/{room}/join                        {"name","token","offer"} → 201 {"id","secret","room","answer"[,"inspect"]}
//	POST /api/rooms/{room}/participants/{id}/leave     {"secret"} → 204
//	PATCH /api/rooms/{room}/participants/{id}          {"secret","offer"} → 200 {"answer"}: ICE restart
//	GET  /api/rooms/{room}/participants/{id}/inspect?token=  the session's protocol inspector (SSE; Config.Inspector)
//	GET  /api/rooms/{room}/participants/{id}/capture?token=  the session's recording (zip; Config.Inspector)
func (s *Server) APIHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/rooms", s.apiRooms)
	mux.HandleFunc("POST /api/rooms", s.apiCreateRoom)
	mux.HandleFunc("GET /api/rooms/{room}", s.apiRoom)
	mux.HandleFunc("POST /api/rooms/{room}/join", s.apiJoin)
	mux.HandleFunc("POST /api/rooms/{room}/participants/{id}/leave", s.apiLeave)
	mux.HandleFunc("PATCH /api/rooms/{room}/participants/{id}", s.apiRestart)
	mux.HandleFunc("GET /api/rooms/{room}/participants/{id}/inspect", s.apiInspect)
	mux.HandleFunc("GET /api/rooms/{room}/participants/{id}/capture", s.apiCapture)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		jsonError(w, http.StatusNotFound, "no such API endpoint (docs/SIGNALING.md)")
	})
	return mux
}

func jsonError(w http.ResponseWriter, code int, msg string) {
	apiErrors.Add(1)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// roomName reads and checks the {room} of a request, answering 400 when it
// is not a usable name.
func roomName(w http.ResponseWriter, r *http.Request) (string, bool) {
	name := r.PathValue("room")
	if err := checkName("room name", name, maxRoomName, true); err != nil {
		jsonError(w, http.StatusBadRequest, err.Error())
		return "", false
	}
	return name, true
}

type roomSummary struct {
	Name         string `json:"name"`
	Topic        string `json:"topic,omitempty"`
	Participants int    `json:"participants"`
}

func (s *Server) apiRooms(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	rooms := []roomSummary{}
	for name, h := range s.rooms {
		if h.members > 0 && !isPrivateRoom(name) {
			rooms = append(rooms, roomSummary{Name: name, Topic: h.topic, Participants: h.members})
		}
	}
	s.mu.Unlock()
	sort.Slice(rooms, func(i, j int) bool { return rooms[i].Name < rooms[j].Name })
	writeJSON(w, http.StatusOK, map[string]any{"rooms": rooms})
}

type apiTrack struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	PacketsIn uint64 `json:"packetsIn"`
}

type apiSubscription struct {
	Track      string `json:"track"`
	From       string `json:"from"`
	Kind       string `json:"kind"`
	PacketsOut uint64 `json:"packetsOut"`
}

type apiParticipant struct {
	ID            string            `json:"id"`
	Name          string            `json:"name"`
	Kind          string            `json:"kind"`
	Tracks        []apiTrack        `json:"tracks"`
	Subscriptions []apiSubscription `json:"subscriptions"`
}

func (s *Server) apiRoom(w http.ResponseWriter, r *http.Request) {
	name, ok := roomName(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	h := s.rooms[name]
	s.mu.Unlock()
	if h == nil {
		jsonError(w, http.StatusNotFound, "no room "+name)
		return
	}
	h.mu.Lock()
	ps := []apiParticipant{}
	for _, p := range h.room.order {
		ap := apiParticipant{ID: p.id, Name: p.name, Kind: p.kind, Tracks: []apiTrack{}, Subscriptions: []apiSubscription{}}
		for _, t := range p.tracks {
			ap.Tracks = append(ap.Tracks, apiTrack{ID: t.id, Kind: t.kind, PacketsIn: t.packets})
		}
		for _, d := range p.downs {
			if d.track != nil {
				ap.Subscriptions = append(ap.Subscriptions, apiSubscription{Track: d.track.id, From: d.track.pub.id, Kind: d.kind, PacketsOut: uint64(d.packets)})
			}
		}
		ps = append(ps, ap)
	}
	h.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"name": name, "participants": ps})
}

type joinRequest struct {
	Name  string `json:"name"`
	Token string `json:"token"`
	Offer string `json:"offer"`
}

func (s *Server) apiJoin(w http.ResponseWriter, r *http.Request) {
	room, ok := roomName(w, r)
	if !ok {
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		jsonError(w, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxJoinBody+1))
	if err != nil {
		jsonError(w, http.StatusBadRequest, "reading the request: "+err.Error())
		return
	}
	if len(body) > maxJoinBody {
		jsonError(w, http.StatusRequestEntityTooLarge, "join request over the limit")
		return
	}
	var req joinRequest
	if err := json.Unmarshal(body, &req); err != nil {
		jsonError(w, http.StatusBadRequest, "not a join request: "+err.Error())
		return
	}
	if len(req.Token) > 128 {
		jsonError(w, http.StatusBadRequest, "token over 128 bytes")
		return
	}
	o, err := parseOffer([]byte(req.Offer))
	if err != nil {
		jsonError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.noteOfferQuirks(o, s.log)
	x, answer, err := s.open(joinOptions{kind: KindParticipant, room: room, name: req.Name, token: req.Token}, o)
	var bad *badSDP
	var badReq *badRequest
	switch {
	case errors.As(err, &bad), errors.As(err, &badReq):
		s.log.Info("join refused", "room", room, "remote", r.RemoteAddr, "err", err)
		jsonError(w, http.StatusBadRequest, err.Error())
		return
	case isLimit(err):
		s.log.Warn("join refused", "room", room, "err", err)
		w.Header().Set("Retry-After", "5")
		jsonError(w, http.StatusServiceUnavailable, err.Error())
		return
	case err != nil:
		jsonError(w, http.StatusInternalServerError, err.Error())
		return
	}
	resp := map[string]string{"id": x.id, "secret": x.secret, "room": room, "answer": string(answer)}
	if tok := s.inspectToken(x.id); tok != "" {
		resp["inspect"] = tok // Config.Inspector: opens this session's inspector and capture
	}
	writeJSON(w, http.StatusCreated, resp)
}

func (s *Server) apiLeave(w http.ResponseWriter, r *http.Request) {
	room, ok := roomName(w, r)
	if !ok {
		return
	}
	var req struct {
		Secret string `json:"secret"`
	}
	// sendBeacon posts text/plain; the body is the same JSON.
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&req); err != nil {
		jsonError(w, http.StatusBadRequest, "not a leave request: "+err.Error())
		return
	}
	x := s.participant(w, r, room, req.Secret)
	if x == nil {
		return
	}
	s.end(x, "left (HTTP)")
	w.WriteHeader(http.StatusNoContent)
}

// participant finds the participant a request names and checks its secret.
func (s *Server) participant(w http.ResponseWriter, r *http.Request, room, secret string) *session {
	s.mu.Lock()
	x := s.sessions[r.PathValue("id")]
	s.mu.Unlock()
	if x == nil || x.room != room || x.secret == "" || subtle.ConstantTimeCompare([]byte(x.secret), []byte(secret)) != 1 {
		jsonError(w, http.StatusNotFound, "no such participant")
		return nil
	}
	return x
}

// apiRestart takes a participant's ICE restart offer (RFC 8445 §9; as
// RFC 9725 §4.3.2 does it for WHIP, but with a whole offer since the
// participant's description must be re-answered): after a network change
// its signaling channel may be dead, so this goes over HTTP.
func (s *Server) apiRestart(w http.ResponseWriter, r *http.Request) {
	room, ok := roomName(w, r)
	if !ok {
		return
	}
	var req struct{ Secret, Offer string }
	if err := json.NewDecoder(io.LimitReader(r.Body, maxJoinBody)).Decode(&req); err != nil {
		jsonError(w, http.StatusBadRequest, "not a restart request: "+err.Error())
		return
	}
	x := s.participant(w, r, room, req.Secret)
	if x == nil {
		return
	}
	o, err := parseOffer([]byte(req.Offer))
	if err != nil {
		jsonError(w, http.StatusBadRequest, err.Error())
		return
	}
	answer, err := x.restartICE(o)
	if err != nil {
		jsonError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"answer": string(answer)})
}

// apiCreateRoom creates a room before anyone joins it, with a topic. A
// private room gets an unguessable name (privateRoomPrefix and 128 random
// bits): it is reached by its link only and never listed.
func (s *Server) apiCreateRoom(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name    string `json:"name"`
		Topic   string `json:"topic"`
		Private bool   `json:"private"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&req); err != nil {
		jsonError(w, http.StatusBadRequest, "not a room: "+err.Error())
		return
	}
	if req.Topic != "" {
		if err := checkName("topic", req.Topic, maxRoomName, false); err != nil {
			jsonError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	name := req.Name
	if req.Private {
		name = privateRoomPrefix + newID() + newID()[:8]
	} else if err := checkName("room name", name, maxRoomName, true); err != nil {
		jsonError(w, http.StatusBadRequest, err.Error())
		return
	} else if isPrivateRoom(name) {
		jsonError(w, http.StatusBadRequest, "room names starting with "+privateRoomPrefix+" are private ones, made by the server")
		return
	}
	if err := s.createRoom(name, req.Topic); err != nil {
		if isLimit(err) {
			jsonError(w, http.StatusServiceUnavailable, err.Error())
			return
		}
		jsonError(w, http.StatusConflict, err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"name": name, "topic": req.Topic, "private": req.Private})
}
