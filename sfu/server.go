package sfu

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu/transport"
)

// Config configures a [Server].
type Config struct {
	// UDP is the address of the single media socket every peer shares.
	// The zero value binds 0.0.0.0:50000; port 0 picks a free port.
	UDP netip.AddrPort
	// Advertise are the addresses put in the answers' host candidates
	// (with the socket's port). Empty means the UDP address when it is
	// specific, else 127.0.0.1.
	Advertise []netip.Addr
	// ICEServers are announced to clients in Link headers (RFC 9725 §4.6).
	ICEServers []ICEServer
	// Logger receives the sessions' life: nominated pair, DTLS role and
	// cipher, SRTP profile, tracks, why each ended. nil means slog.Default().
	Logger *slog.Logger
	// ConnectTimeout ends sessions that are not connected (ICE and DTLS)
	// this long after their offer. 0 means 30 s.
	ConnectTimeout time.Duration
	// MaxSessions caps live sessions; offers beyond it are refused with
	// 503 (each session holds an ICE agent, a DTLS handshake goroutine
	// and, once media flows, packet caches). 0 means 1000.
	MaxSessions int
	// Limits of rooms (0 means the default in parentheses): rooms on the
	// server (100), participants per room (50), tracks one participant
	// may publish (4), bytes of a chat message (2000). Joins beyond them
	// get 503; a refused publish or chat an error on the signaling channel.
	MaxRooms, MaxParticipants, MaxTracks, MaxChat int
	// SenderWorkers is how many goroutines rewrite, protect and send the
	// packets leaving the SFU (each participant is pinned to one).
	// 0 means one per core (GOMAXPROCS).
	SenderWorkers int
	// Record, when set, is asked once for each new session, under its
	// room's lock (it must not block), whether to record it: a Recorder it
	// returns sees every datagram of the session, its DTLS key log and
	// every SDP exchanged (cmd/capture; the demo's capture download). nil
	// records nothing.
	Record func(SessionInfo) *Recorder
	// DropInbound, for tests and cmd/capture's "loss" scenario, is the
	// fraction (0 to 1) of the SRTP media packets each session receives
	// that the SFU throws away before decrypting them, as if lost on the
	// way: chosen by a fixed-seed generator (drop_inbound.go), counted as
	// "drop.test-inbound" in Stats, still seen by Record. RTCP is kept.
	// 0, the default, drops nothing.
	DropInbound float64
	// Inspector gives every participant (not WHIP/WHEP) session a live
	// protocol inspector and a recording of its own (at most
	// InspectorRecorderMaxBytes, kept a few minutes after the session
	// ends), opened by a token the join answer carries
	// (GET .../inspect and .../capture, docs/SIGNALING.md). It hands out
	// the session's keys to its participant; off, nothing is watched.
	Inspector bool
}

// Joins beyond the limits (Config.MaxSessions, MaxRooms, MaxParticipants).
var (
	errFull      = errors.New("sfu: too many sessions, try again later")
	errRoomsFull = errors.New("sfu: too many rooms, try again later")
	errRoomFull  = errors.New("sfu: the room is full")
)

// isLimit reports whether err is a join refused by a limit (503).
func isLimit(err error) bool {
	return errors.Is(err, errFull) || errors.Is(err, errRoomsFull) || errors.Is(err, errRoomFull)
}

// tickInterval is how often the timer goroutine runs the engine's and the
// ICE agents' timers (RTCP report scheduling, consent freshness).
const tickInterval = 50 * time.Millisecond

// Server is the SFU: the WHIP/WHEP handler, the media socket, the rooms
// and the sender workers.
//
// Threading model (docs/DESIGN.md): each room is a state machine behind its
// own lock (roomHost); the mux's read loop, the timer goroutine, the HTTP
// handlers and the DTLS goroutines feed it inputs under that lock, and the
// transmits it yields go to the sender workers (about one per core), which
// rewrite, protect and send each participant's packets. Server.mu guards
// only the tables of rooms and sessions (joins, leaves, DELETE, Stats) and
// is never taken on the packet path; it is a leaf lock (nothing else is
// taken while it is held). Each session adds a DTLS handshake goroutine
// (pion/dtls blocks) and, with a data channel, the SCTP association's
// goroutines; they take their room's lock to install their results.
type Server struct {
	cfg     Config
	log     *slog.Logger
	mux     *transport.Mux
	sig     *signaling
	port    uint16
	adverts []netip.AddrPort
	pool    *senderPool

	mu       sync.Mutex
	rooms    map[string]*roomHost
	sessions map[string]*session
	closed   bool
	retired  map[string]uint64 // the counters of ended sessions, so Stats only grows
	seq      map[string]uint64 // sessions opened, by kind (default names)
	ended    map[string]uint64 // ended sessions by endReasonClass

	// inspections by session id (Config.Inspector): live ones and ended
	// ones for inspectionKeep.
	inspections map[string]*inspection

	counters ioCounters
	events   eventCounters

	interop interopCounters // atomic: updated outside mu

	done chan struct{}
	wg   sync.WaitGroup
}

// New starts an SFU: it binds the media socket and starts the timer
// goroutine. Serve its Handler over HTTP and Close it when done.
func New(cfg Config) (*Server, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	if !cfg.UDP.IsValid() {
		cfg.UDP = netip.AddrPortFrom(netip.IPv4Unspecified(), transport.DefaultPort)
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = 30 * time.Second
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 1000
	}
	for _, l := range []struct {
		v   *int
		def int
	}{{&cfg.MaxRooms, 100}, {&cfg.MaxParticipants, 50}, {&cfg.MaxTracks, 4}, {&cfg.MaxChat, 2000}} {
		if *l.v <= 0 {
			*l.v = l.def
		}
	}
	mux, err := transport.Listen(transport.Config{Addr: cfg.UDP, Logger: log.With("part", "mux")})
	if err != nil {
		return nil, fmt.Errorf("sfu: media socket %s: %w", cfg.UDP, err)
	}
	s := &Server{cfg: cfg, log: log, mux: mux, pool: newSenderPool(cfg.SenderWorkers),
		rooms: map[string]*roomHost{}, sessions: map[string]*session{}, done: make(chan struct{}),
		retired: map[string]uint64{}, ended: map[string]uint64{}, seq: map[string]uint64{}}
	s.port = mux.LocalAddrPort().Port()
	adv := cfg.Advertise
	if len(adv) == 0 {
		if a := cfg.UDP.Addr(); a.IsValid() && !a.IsUnspecified() {
			adv = []netip.Addr{a}
		} else {
			adv = []netip.Addr{netip.MustParseAddr("127.0.0.1")}
		}
	}
	for _, a := range adv {
		s.adverts = append(s.adverts, netip.AddrPortFrom(a, s.port))
	}
	s.sig = &signaling{host: s, iceServers: cfg.ICEServers, log: log}
	s.wg.Add(1)
	go s.timerLoop()
	log.Info("sfu started", "udp", mux.LocalAddrPort().String(), "candidates", fmt.Sprint(s.adverts),
		"fingerprint", mux.Certificate().Fingerprint().String())
	return s, nil
}

// Handler serves WHIP (POST /whip/{room}) and WHEP (POST /whep/{room}) and
// their session resources; mount it at the root of a mux or give it the
// /whip/ and /whep/ prefixes.
func (s *Server) Handler() http.Handler { return s.sig }

// MediaAddr is the bound address of the media socket.
func (s *Server) MediaAddr() netip.AddrPort { return s.mux.LocalAddrPort() }

// Close ends every session, stops the timer and the sender workers, and
// closes the socket.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	var ending []*session
	for _, x := range s.sessions {
		ending = append(ending, x)
	}
	hosts := make([]*roomHost, 0, len(s.rooms))
	for _, h := range s.rooms {
		hosts = append(hosts, h)
	}
	s.mu.Unlock()
	// Participants are told before their connections close.
	told := false
	for _, h := range hosts {
		h.mu.Lock()
		for _, p := range h.room.order {
			if p.signalReady {
				h.room.signal(p, map[string]any{"type": "error", "code": "shutdown", "message": "the server is shutting down"})
				told = true
			}
		}
		h.flush()
		h.mu.Unlock()
	}
	if told {
		time.Sleep(100 * time.Millisecond) // for the signal writers to send it
	}
	for _, x := range ending {
		s.end(x, "server closed")
	}
	close(s.done)
	s.wg.Wait()
	s.pool.close()
	return s.mux.Close()
}

// roomEmptyLinger is how long a room with nobody in it is kept.
const roomEmptyLinger = 5 * time.Second

func (s *Server) timerLoop() {
	defer s.wg.Done()
	t := time.NewTicker(tickInterval)
	defer t.Stop()
	var hosts []*roomHost
	for {
		select {
		case <-s.done:
			return
		case now := <-t.C:
			hosts = s.liveRooms(hosts[:0], now)
			for _, h := range hosts {
				for _, x := range h.tick(now) {
					x.release()
				}
			}
		}
	}
}

// liveRooms appends every room to hosts and deletes the rooms that have
// been empty for roomEmptyLinger.
func (s *Server) liveRooms(hosts []*roomHost, now time.Time) []*roomHost {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, h := range s.rooms {
		if h.members == 0 && now.Sub(h.emptySince) > roomEmptyLinger {
			delete(s.rooms, name)
			continue
		}
		hosts = append(hosts, h)
	}
	return hosts
}

// joinRoom reserves a place for session x in room name, creating the room,
// or refuses it (server closed, too many sessions).
func (s *Server) joinRoom(name string, x *session) (*roomHost, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errors.New("sfu: server closed")
	}
	if len(s.sessions) >= s.cfg.MaxSessions {
		return nil, errFull
	}
	h := s.rooms[name]
	if h == nil {
		if len(s.rooms) >= s.cfg.MaxRooms {
			return nil, errRoomsFull
		}
		h = &roomHost{s: s, name: name, room: newRoom(name, s.log), sessions: map[string]*session{}}
		h.room.limits = roomLimits{maxChat: s.cfg.MaxChat, maxTracks: s.cfg.MaxTracks}
		s.rooms[name] = h
	}
	if h.members >= s.cfg.MaxParticipants {
		return nil, errRoomFull
	}
	h.members++
	s.sessions[x.id] = x
	return h, nil
}

// createRoom makes an empty room with a topic; it lives roomCreatedLinger
// for its first participant to arrive.
func (s *Server) createRoom(name, topic string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("sfu: server closed")
	}
	if s.rooms[name] != nil {
		return errors.New("sfu: the room " + name + " exists")
	}
	if len(s.rooms) >= s.cfg.MaxRooms {
		return errRoomsFull
	}
	h := &roomHost{s: s, name: name, room: newRoom(name, s.log), sessions: map[string]*session{}, topic: topic}
	h.room.limits = roomLimits{maxChat: s.cfg.MaxChat, maxTracks: s.cfg.MaxTracks}
	h.emptySince = time.Now().Add(roomCreatedLinger - roomEmptyLinger)
	s.rooms[name] = h
	return nil
}

// roomCreatedLinger is how long a room created ahead (POST /api/rooms)
// waits for its first participant.
const roomCreatedLinger = time.Minute

// leaveRoom gives back x's place (Server.mu must not be held).
func (s *Server) leaveRoom(x *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[x.id]; !ok {
		return
	}
	delete(s.sessions, x.id)
	if h := x.rh; h != nil {
		h.members--
		if h.members == 0 {
			h.emptySince = time.Now()
		}
	}
}

// joinOptions are what a join says beyond its offer.
type joinOptions struct {
	kind, room string
	name       string // display name; "" picks "WHIP n" / "WHEP n"
	token      string // the client's token: a join with a live one replaces it
}

// openSession implements sessionHost for signaling (WHIP and WHEP).
func (s *Server) openSession(kind, roomName string, o *offer, name string) (string, []byte, error) {
	x, answer, err := s.open(joinOptions{kind: kind, room: roomName, name: name}, o)
	if err != nil {
		return "", nil, err
	}
	return x.id, answer, nil
}

// open creates a session from an offer: a participant, a WHIP publisher or
// a WHEP viewer of the room.
func (s *Server) open(j joinOptions, o *offer) (*session, []byte, error) {
	fps, err := remoteFingerprints(o)
	if err != nil {
		return nil, nil, err
	}
	name, err := displayName(j)
	if err != nil {
		return nil, nil, err
	}
	id := newID()
	now := time.Now()
	x, err := newSession(s, id, j.kind, j.room, o, fps, now)
	if err != nil {
		return nil, nil, err
	}
	x.token, x.secret = j.token, newID()
	if j.token != "" {
		s.replaceToken(j.room, j.token)
	}
	h, err := s.joinRoom(j.room, x)
	if err != nil {
		return nil, nil, err
	}
	x.rh = h
	h.mu.Lock()
	var media []answerMedia
	switch j.kind {
	case KindWHIP:
		x.p, media, err = h.room.addPublisher(id, o, now)
	case KindWHEP:
		x.p, media, err = h.room.addSubscriber(id, o, now)
	default:
		x.p, media, err = h.room.addParticipant(id, name, o, now)
	}
	if err != nil {
		h.flush()
		h.mu.Unlock()
		s.leaveRoom(x)
		return nil, nil, err
	}
	if name == "" {
		name = fmt.Sprintf("%s %d", strings.ToUpper(j.kind), s.kindSeq(j.kind))
	}
	x.p.name = name
	x.hasData = hasData(media)
	if s.cfg.Record != nil {
		if rec := s.cfg.Record(SessionInfo{Kind: j.kind, Room: j.room, ID: id, Name: name}); rec != nil {
			x.obs = append(x.obs, rec)
		}
	}
	var ins *inspection
	if s.cfg.Inspector && j.kind == KindParticipant {
		ins = s.newInspection(x, j.room)
	}
	tp, err := s.mux.AddPeer(x.agent.LocalCredentials().Ufrag, x)
	if err != nil {
		h.room.leave(x.p, now)
		h.flush()
		h.mu.Unlock()
		s.leaveRoom(x)
		return nil, nil, err
	}
	x.tp = tp
	x.observe(tp)
	if ins != nil {
		s.startInspection(x, ins)
	}
	x.p.sender = s.pool.newSender(tp)
	h.sessions[id] = x
	h.room.broadcastRoster() // with the name
	h.flush()                // a subscriber's keyframe requests
	h.mu.Unlock()

	local := x.agent.LocalCredentials()
	exts := publishExtensions
	switch j.kind {
	case KindWHEP:
		exts = subscribeExtensions
	case KindParticipant:
		exts = participantExtensions
	}
	params := answerParams{
		Ufrag:       local.Ufrag,
		Pwd:         local.Pwd,
		Fingerprint: s.mux.Certificate().Fingerprint().String(),
		Setup:       x.setup,
		Candidates:  s.adverts,
	}
	answer, err := writeAnswer(o, params, media, exts)
	if err == nil && j.kind == KindParticipant {
		err = s.startNegotiation(x, params, answer, o)
	}
	if err != nil {
		s.end(x, "answer: "+err.Error())
		return nil, nil, err
	}
	x.sawExchange(o.Raw, answer)
	x.log.Info("session created", "dtls_role", x.role.String(), "remote_ufrag", o.Ufrag, "sections", len(o.Media), "name", name)
	x.startHandshake()
	return x, answer, nil
}

// startNegotiation gives a participant the state its room's later offers
// are made from: our answer as the local description, its offer as the
// remote one, and our transport attributes.
func (s *Server) startNegotiation(x *session, params answerParams, answer []byte, o *offer) error {
	local, err := sdp.Parse(answer)
	if err != nil {
		return err
	}
	cfg := answerConfig(params, participantExtensions)
	cfg.Codecs = nil // each added section names its codecs
	x.rh.mu.Lock()
	defer x.rh.mu.Unlock()
	if !x.ended {
		x.rh.room.startNegotiation(x.p, cfg, local, o.SDP)
	}
	return nil
}

// replaceToken ends, at once, the session of room that joined with token:
// the same client rejoining (a reload) replaces its old self, no ghost.
func (s *Server) replaceToken(room, token string) {
	s.mu.Lock()
	var old *session
	for _, y := range s.sessions {
		if y.room == room && y.token == token {
			old = y
			break
		}
	}
	s.mu.Unlock()
	if old != nil {
		s.end(old, "replaced by a new join with the same client token")
	}
}

// kindSeq numbers the WHIP and WHEP sessions of the server, for their
// default names.
func (s *Server) kindSeq(kind string) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq[kind]++
	return s.seq[kind]
}

// closeSession implements sessionHost for signaling (DELETE).
func (s *Server) closeSession(kind, room, id, reason string) bool {
	s.mu.Lock()
	x := s.sessions[id]
	s.mu.Unlock()
	if x == nil || x.kind != kind || x.room != room {
		return false
	}
	s.end(x, reason)
	return true
}

// end ends x from a goroutine that holds no lock.
func (s *Server) end(x *session, reason string) {
	x.rh.mu.Lock()
	s.endLocked(x, reason)
	x.rh.mu.Unlock()
	x.release()
}

// endLocked takes x out of its room; its room's lock is held, and release
// must follow without it.
func (s *Server) endLocked(x *session, reason string) {
	if x.ended {
		return
	}
	x.ended = true
	x.endReason = reason
	h := x.rh
	x.p.leftReason = endReasonClass(reason)
	h.room.leave(x.p, time.Now())
	h.flush()
	delete(h.sessions, x.id)
	if x.p.sender != nil {
		x.p.sender.close()
	}
	s.retire(x, reason)
	s.endInspection(x, reason)
	st := x.p.stats
	x.log.Info("session ended", "reason", reason, "duration", time.Since(x.created).Round(time.Millisecond).String(),
		"rtp_in", st.rtpIn, "rtp_out", st.rtpOut, "rtcp_in", st.rtcpIn, "rtcp_out", st.rtcpOut,
		"srtp_drops", x.srtpDrops)
}

func newID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func remoteFingerprints(o *offer) ([]transport.Fingerprint, error) {
	fp, err := transport.ParseFingerprint(o.Fingerprint)
	if err != nil {
		return nil, &badSDP{err.Error()}
	}
	return []transport.Fingerprint{fp}, nil
}
