package sfu

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

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
}

// errFull is returned for offers beyond Config.MaxSessions.
var errFull = errors.New("sfu: too many sessions, try again later")

// tickInterval is how often the timer goroutine runs the engine's and the
// ICE agents' timers (RTCP report scheduling, consent freshness).
const tickInterval = 50 * time.Millisecond

// Server is the SFU: the WHIP/WHEP handler, the media socket and the
// forwarding engine.
//
// Threading model: three kinds of goroutines touch it — the mux's read loop
// (every datagram), the timer goroutine (ticks), HTTP handlers (offers,
// DELETE) — and each takes mu for the whole of its work, so the engine,
// the ICE agents and the SRTP contexts see one event at a time, in order,
// as a single-threaded state machine would. Each session adds a DTLS
// handshake goroutine (pion/dtls blocks) and, with a data channel, the
// SCTP association's goroutines; they take mu only to install their
// results. Nothing blocks while holding mu except UDP writes.
type Server struct {
	cfg     Config
	log     *slog.Logger
	mux     *transport.Mux
	sig     *signaling
	port    uint16
	adverts []netip.AddrPort

	mu       sync.Mutex
	eng      *engine
	sessions map[string]*session
	counters ioCounters
	closed   bool

	interop interopCounters // atomic: updated outside mu

	done chan struct{}
	wg   sync.WaitGroup
}

// ioCounters count drops the SFU's I/O layer makes (the mux counts its own).
type ioCounters struct {
	srtpBeforeKeys  uint64 // SRTP/SRTCP before the DTLS handshake finished
	srtpAuth        uint64
	srtpReplay      uint64
	srtpOther       uint64
	encryptFailures uint64
	writeFailures   uint64
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
	mux, err := transport.Listen(transport.Config{Addr: cfg.UDP, Logger: log.With("part", "mux")})
	if err != nil {
		return nil, fmt.Errorf("sfu: media socket %s: %w", cfg.UDP, err)
	}
	s := &Server{cfg: cfg, log: log, mux: mux, eng: newEngine(log), sessions: map[string]*session{}, done: make(chan struct{})}
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

// Close ends every session, stops the timer and closes the socket.
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
		s.endLocked(x, "server closed")
	}
	s.mu.Unlock()
	for _, x := range ending {
		x.release()
	}
	close(s.done)
	s.wg.Wait()
	return s.mux.Close()
}

func (s *Server) timerLoop() {
	defer s.wg.Done()
	t := time.NewTicker(tickInterval)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case now := <-t.C:
			var ending []*session
			s.mu.Lock()
			s.eng.tick(now)
			for _, x := range s.sessions {
				if reason := x.timeout(now); reason != "" {
					s.endLocked(x, reason)
					ending = append(ending, x)
				}
			}
			s.flushLocked()
			s.mu.Unlock()
			for _, x := range ending {
				x.release()
			}
		}
	}
}

// openSession implements sessionHost for signaling.
func (s *Server) openSession(kind, room string, o *offer) (string, []byte, error) {
	fps, err := remoteFingerprints(o)
	if err != nil {
		return "", nil, err
	}
	id := newID()
	now := time.Now()
	x, err := newSession(s, id, kind, room, o, fps, now)
	if err != nil {
		return "", nil, err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return "", nil, errors.New("sfu: server closed")
	}
	if len(s.sessions) >= s.cfg.MaxSessions {
		s.mu.Unlock()
		return "", nil, errFull
	}
	var media []answerMedia
	if kind == KindWHIP {
		x.p, media, err = s.eng.addPublisher(id, room, o, now)
	} else {
		x.p, media, err = s.eng.addSubscriber(id, room, o, now)
	}
	if err != nil {
		s.mu.Unlock()
		return "", nil, err
	}
	x.hasData = hasData(media)
	tp, err := s.mux.AddPeer(x.agent.LocalCredentials().Ufrag, x)
	if err != nil {
		s.eng.dropPeer(x.p)
		s.mu.Unlock()
		return "", nil, err
	}
	x.tp = tp
	s.sessions[id] = x
	s.flushLocked() // a subscriber's keyframe requests
	s.mu.Unlock()

	local := x.agent.LocalCredentials()
	exts := publishExtensions
	if kind == KindWHEP {
		exts = subscribeExtensions
	}
	answer, err := writeAnswer(o, answerParams{
		Ufrag:       local.Ufrag,
		Pwd:         local.Pwd,
		Fingerprint: s.mux.Certificate().Fingerprint().String(),
		Setup:       x.setup,
		Candidates:  s.adverts,
	}, media, exts)
	if err != nil {
		s.closeSession(kind, room, id, "answer: "+err.Error())
		return "", nil, err
	}
	x.log.Info("session created", "dtls_role", x.role.String(), "remote_ufrag", o.Ufrag, "sections", len(o.Media))
	x.startHandshake()
	return id, answer, nil
}

// closeSession implements sessionHost for signaling (DELETE).
func (s *Server) closeSession(kind, room, id, reason string) bool {
	s.mu.Lock()
	x := s.sessions[id]
	if x == nil || x.kind != kind || x.room != room {
		s.mu.Unlock()
		return false
	}
	s.endLocked(x, reason)
	s.mu.Unlock()
	x.release()
	return true
}

// endLocked removes x from the engine and the session table; release must
// follow, outside mu.
func (s *Server) endLocked(x *session, reason string) {
	if x.ended {
		return
	}
	x.ended = true
	x.endReason = reason
	s.eng.dropPeer(x.p)
	delete(s.sessions, x.id)
	st := x.p.stats
	x.log.Info("session ended", "reason", reason, "duration", time.Since(x.created).Round(time.Millisecond).String(),
		"rtp_in", st.rtpIn, "rtp_out", st.rtpOut, "rtcp_in", st.rtcpIn, "rtcp_out", st.rtcpOut,
		"srtp_drops", x.srtpDrops)
}

// flushLocked protects and sends everything the engine queued.
func (s *Server) flushLocked() {
	s.eng.drain(func(to *peer, isRTCP bool, pkt []byte) {
		x := s.sessions[to.id]
		if x == nil {
			return
		}
		x.send(isRTCP, pkt)
	})
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

// Stats returns the server's counters by name: the media socket's
// ("received", "sent", "drop.<reason>"…), the SRTP layer's ("srtp.auth",
// "srtp.replay", "srtp.before_keys"…), and the engine's summed over live
// sessions ("rtp.in", "rtp.out", "pli.out"…, and "rtt_ms.max", the
// largest round trip a subscriber's reports show). Tests and operators read it
// to see that no drop is silent.
func (s *Server) Stats() map[string]uint64 {
	m := s.mux.Counters.Snapshot()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.counters
	m["srtp.before_keys"] = c.srtpBeforeKeys
	m["srtp.auth"] = c.srtpAuth
	m["srtp.replay"] = c.srtpReplay
	m["srtp.other"] = c.srtpOther
	m["srtp.encrypt_failures"] = c.encryptFailures
	m["write_failures"] = c.writeFailures
	m["sessions"] = uint64(len(s.sessions))
	s.interop.addTo(m)
	for _, x := range s.sessions {
		st := x.p.stats
		m["rtp.in"] += st.rtpIn
		m["rtp.out"] += st.rtpOut
		m["rtcp.in"] += st.rtcpIn
		m["rtcp.out"] += st.rtcpOut
		m["rtp.unknown_ssrc"] += st.rtpUnknownSSRC
		m["rtp.rtx_dropped"] += st.rtpRTX
		m["rtp.bad"] += st.rtpBad
		m["rtcp.bad"] += st.rtcpBad
		m["pli.in"] += st.pliIn
		m["fir.in"] += st.firIn
		m["nack.in"] += st.nackIn
		for _, t := range x.p.tracks {
			m["pli.out"] += t.plis
			m["pli.throttled"] += t.throttled
		}
		for _, d := range x.p.downs {
			m["nack.resent"] += d.resent
			m["nack.throttled"] += d.throttled
			m["rtp.not_forwarded"] += d.rw.dropped // codec not negotiated, stale source, waiting for a keyframe
			m["rtp.source_switches"] += uint64(d.rw.switches)
			m["rtt_ms.max"] = max(m["rtt_ms.max"], uint64(d.rtt.Milliseconds()))
		}
		a := x.agent.Stats()
		m["ice.requests"] += a.Requests
		m["ice.drop_unauth"] += a.DropUnauth
		m["ice.drop_malformed"] += a.DropMalformed
		m["ice.drop_fingerprint"] += a.DropFingerprint
	}
	return m
}
