package endpoint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu/datachannel"
	"github.com/plainrtc/plainrtc/sfu/transport"
	"github.com/plainrtc/plainrtc/srtp"
)

// DefaultConnectTimeout bounds Connect when its context has no deadline.
const DefaultConnectTimeout = 15 * time.Second

// Errors of the endpoint.
var (
	ErrClosed        = errors.New("endpoint: closed")
	ErrNotConnected  = errors.New("endpoint: not connected (ICE, DTLS and SRTP not established)")
	ErrNoDataChannel = errors.New("endpoint: no data channel was negotiated (RFC 8841)")
)

// Config configures an Endpoint. The zero value makes an endpoint on
// 127.0.0.1 with no media; set Audio, Video or DataChannel.
type Config struct {
	// Addr is the local address to bind (its port 0 picks one). The zero
	// value means 127.0.0.1:0. It must be a specific address: it is the
	// host candidate (RFC 8445 §5.1.1.1).
	Addr netip.AddrPort
	// Audio and Video are the directions of the Opus and VP8 sections of
	// offers; "" leaves the section out. sdp.SendOnly publishes,
	// sdp.RecvOnly plays, sdp.SendRecv does both.
	Audio, Video sdp.Direction
	// DataChannel adds an m=application section (RFC 8841).
	DataChannel bool
	// Certificate is the DTLS identity; nil generates one.
	Certificate *transport.Certificate
	// ICE overrides the full ICE agent's timers and randomness (tests).
	ICE ice.FullConfig
	// ConnectTimeout bounds Connect when its context has no deadline;
	// 0 means DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// ReceiveQueue is how many decrypted packets each of ReadRTP and
	// ReadRTCP may hold; beyond that packets are dropped and counted.
	// 0 means 512.
	ReceiveQueue int
	// Logger gets one line per stage and per drop reason's first
	// occurrence; nil means slog.Default().
	Logger *slog.Logger
	// Tap, when set, sees every datagram the socket reads (before it is
	// handled: SRTP still protected) and every datagram it writes, with
	// the wire's addresses (sfu.Recorder records a session this way).
	Tap transport.Tap
	// Record, when set, is called with every datagram the socket sends
	// and receives, as it goes (for recording a session, as rtclint -whip
	// does). It runs on the endpoint's goroutines and must not block; the
	// payload is valid only during the call. Nil records nothing.
	Record func(RecordedDatagram)
	// KeyLogWriter, when set, receives the DTLS master secret in NSS key
	// log format (pion/dtls Config.KeyLogWriter), so that a recording can
	// be decrypted. It defeats the session's confidentiality: for tests
	// and diagnosis only.
	KeyLogWriter io.Writer
}

// RecordedDatagram is one datagram the endpoint's socket sent (Sent) or
// received, with the time it did.
type RecordedDatagram struct {
	Time     time.Time
	Src, Dst netip.AddrPort
	Sent     bool
	Payload  []byte
}

// Stats are the endpoint's counters.
type Stats struct {
	Received, Sent     atomic.Uint64 // datagrams
	RTPIn, RTCPIn      atomic.Uint64 // decrypted and queued
	RTPOut, RTCPOut    atomic.Uint64
	DropUnknownAddress atomic.Uint64 // DTLS/SRTP from an address ICE does not know
	DropUnknownClass   atomic.Uint64 // first byte in no RFC 7983 range we serve
	DropSRTP           atomic.Uint64 // failed authentication or replay (RFC 3711 §3.3)
	DropQueueFull      atomic.Uint64 // receive or DTLS queue full
	DropBeforeKeys     atomic.Uint64 // SRTP before the DTLS handshake ended
}

// Endpoint is one WebRTC peer built from plainrtc's packages: one UDP
// socket, a full ICE agent (RFC 8445), DTLS via pion/dtls in either role,
// SRTP keyed from it (RFC 5764), and data channels (RFC 8832). Its
// methods are safe for concurrent use.
type Endpoint struct {
	cfg   Config
	log   *slog.Logger
	conn  *net.UDPConn
	laddr netip.AddrPort
	cert  *transport.Certificate

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	kick   chan struct{}

	mu        sync.Mutex // guards agent and the negotiation state
	agent     *ice.FullAgent
	iceDone   chan struct{} // closed on EventConnected
	iceFailed chan struct{} // closed on EventFailed
	consent   chan struct{} // closed on EventConsentLost
	remote    atomic.Pointer[netip.AddrPort]
	neg       negotiation

	dtlsIn   *packetConn
	keysOnce sync.Once
	srtpOut  *srtp.Context // guarded by sendMu
	srtpIn   atomic.Pointer[srtp.Context]
	sendMu   sync.Mutex
	sendBuf  []byte
	secured  chan struct{} // closed when the SRTP contexts exist

	connectMu  sync.Mutex // one Connect at a time
	connected  bool
	connectErr error // the stage that failed; Connect is not retried
	dtlsConn   net.Conn
	assoc      *datachannel.Association

	rtpCh, rtcpCh chan []byte

	closeOnce sync.Once
	closed    atomic.Bool
	Stats     Stats
}

// New binds the endpoint's socket, makes its DTLS certificate and ICE
// agent, and starts its two goroutines (socket reader, ICE timer).
func New(cfg Config) (*Endpoint, error) {
	if !cfg.Addr.IsValid() {
		cfg.Addr = netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), 0)
	}
	if cfg.Addr.Addr().IsUnspecified() {
		return nil, fmt.Errorf("endpoint: bind address %v must be specific: it is the host candidate (RFC 8445 §5.1.1.1)", cfg.Addr)
	}
	for _, d := range []sdp.Direction{cfg.Audio, cfg.Video} {
		if d != "" && !d.Valid() {
			return nil, fmt.Errorf("endpoint: direction %q is not sendrecv, sendonly, recvonly or inactive (RFC 3264 §5.1)", d)
		}
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.ReceiveQueue <= 0 {
		cfg.ReceiveQueue = 512
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	cert := cfg.Certificate
	if cert == nil {
		var err error
		if cert, err = transport.GenerateCertificate(time.Now()); err != nil {
			return nil, fmt.Errorf("endpoint: DTLS certificate: %w", err)
		}
	}
	agent, err := ice.NewFullAgent(cfg.ICE)
	if err != nil {
		return nil, err
	}
	conn, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(cfg.Addr))
	if err != nil {
		return nil, fmt.Errorf("endpoint: bind %v: %w", cfg.Addr, err)
	}
	laddr := conn.LocalAddr().(*net.UDPAddr).AddrPort()
	laddr = netip.AddrPortFrom(laddr.Addr().Unmap(), laddr.Port())
	if _, err := agent.AddHostCandidate(laddr); err != nil {
		conn.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Endpoint{
		cfg: cfg, log: log.With("ufrag", agent.LocalCredentials().Ufrag), conn: conn, laddr: laddr, cert: cert,
		ctx: ctx, cancel: cancel, kick: make(chan struct{}, 1),
		agent: agent, iceDone: make(chan struct{}), iceFailed: make(chan struct{}), consent: make(chan struct{}),
		secured: make(chan struct{}),
		rtpCh:   make(chan []byte, cfg.ReceiveQueue), rtcpCh: make(chan []byte, cfg.ReceiveQueue),
		sendBuf: make([]byte, 0, 1500),
	}
	e.dtlsIn = newPacketConn(e)
	e.neg.init(cfg)
	e.wg.Add(2)
	go e.readLoop()
	go e.timerLoop()
	return e, nil
}

// LocalAddr is the socket's address, the endpoint's host candidate.
func (e *Endpoint) LocalAddr() netip.AddrPort { return e.laddr }

// Certificate is the DTLS identity whose fingerprint the SDP carries.
func (e *Endpoint) Certificate() *transport.Certificate { return e.cert }

// ICERole returns the ICE agent's current role (RFC 8445 §6.1.1).
func (e *Endpoint) ICERole() ice.Role {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.agent.Role()
}

// ICEStats returns the ICE agent's counters.
func (e *Endpoint) ICEStats() ice.FullStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.agent.Stats()
}

// SelectedPair returns the nominated pair with consent (RFC 8445 §8.1.1,
// RFC 7675), if any.
func (e *Endpoint) SelectedPair() (ice.Pair, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.agent.SelectedPair()
}

// ConsentLost is closed when ICE consent expires (RFC 7675 §5.1): media
// then stops.
func (e *Endpoint) ConsentLost() <-chan struct{} { return e.consent }

// Close ends the session: the data channels' association and the DTLS
// connection (close_notify, while the socket is still open), then the
// socket; it waits for every goroutine the endpoint started.
func (e *Endpoint) Close() error {
	e.closeOnce.Do(func() {
		e.closed.Store(true)
		e.cancel()
		e.connectMu.Lock() // Connect has returned: the context ended it
		if e.assoc != nil {
			e.assoc.Close()
		}
		if e.dtlsConn != nil {
			e.dtlsConn.Close()
		}
		e.connectMu.Unlock()
		e.dtlsIn.Close()
		e.conn.Close()
		e.wg.Wait()
	})
	return nil
}

// write sends one datagram.
func (e *Endpoint) write(b []byte, to netip.AddrPort) error {
	if e.closed.Load() {
		return ErrClosed
	}
	if e.cfg.Tap != nil {
		// Before the write: a reply read meanwhile is then recorded after
		// its cause (a write that fails is recorded all the same).
		e.cfg.Tap.Datagram(time.Now(), e.laddr, to, b)
	}
	if _, err := e.conn.WriteToUDPAddrPort(b, to); err != nil {
		return err
	}
	e.Stats.Sent.Add(1)
	if e.cfg.Record != nil {
		e.cfg.Record(RecordedDatagram{Time: time.Now(), Src: e.laddr, Dst: to, Sent: true, Payload: b})
	}
	return nil
}

// wake makes the timer loop recompute its deadline.
func (e *Endpoint) wake() {
	select {
	case e.kick <- struct{}{}:
	default:
	}
}
