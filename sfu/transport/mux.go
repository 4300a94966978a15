package transport

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/plainrtc/plainrtc/ice"
)

// DefaultPort is the UDP port the mux listens on when Config.Addr has none.
const DefaultPort = 50000

// DefaultMaxDatagramSize bounds accepted datagrams: browsers keep DTLS, SCTP
// and RTP below 1200-1300 bytes, and a datagram above the Ethernet MTU
// cannot be WebRTC traffic that arrived unfragmented.
const DefaultMaxDatagramSize = 1500

// Minimum lengths by class: the fixed header of each protocol.
const (
	minSTUN = 20 // RFC 8489 §5
	minDTLS = 13 // RFC 6347 §4.1 record header
	minRTP  = 12 // RFC 3550 §5.1
	minRTCP = 8  // RFC 3550 §6.4.1 header + SSRC
)

// Config configures a [Mux].
type Config struct {
	// Addr is the local address to bind. The zero value means all
	// addresses, port DefaultPort; a port of 0 picks a free one.
	Addr netip.AddrPort
	// Certificate is the DTLS identity of every peer. nil generates one.
	Certificate *Certificate
	// LocalUfrag routes STUN to peers. nil means ice.LocalUfrag.
	LocalUfrag UfragFunc
	// MaxDatagramSize: longer datagrams are dropped as oversized. 0 means
	// DefaultMaxDatagramSize.
	MaxDatagramSize int
	// Logger gets one line per drop reason at increasing intervals, and
	// handshake outcomes. nil means slog.Default().
	Logger *slog.Logger
}

// Mux owns the one UDP socket every peer shares and routes its datagrams
// (RFC 7983): STUN to a peer by USERNAME, DTLS, SRTP and SRTCP by source
// address. One goroutine reads the socket.
type Mux struct {
	conn    *net.UDPConn
	cfg     Config
	log     *slog.Logger
	cert    *Certificate
	ufragOf UfragFunc
	maxSize int
	pool    sync.Pool

	mu      sync.RWMutex // guards byUfrag, byAddr, closed
	byUfrag map[string]*Peer
	byAddr  map[netip.AddrPort]*Peer
	closed  bool

	ended endedPeers // closed peers' addresses and ufrags, for a while

	readDone chan struct{}
	Counters Counters
}

// Listen binds the socket and starts the read loop.
func Listen(cfg Config) (*Mux, error) {
	if !cfg.Addr.IsValid() {
		cfg.Addr = netip.AddrPortFrom(netip.IPv4Unspecified(), DefaultPort)
	}
	if cfg.MaxDatagramSize == 0 {
		cfg.MaxDatagramSize = DefaultMaxDatagramSize
	}
	if cfg.LocalUfrag == nil {
		cfg.LocalUfrag = ice.LocalUfrag
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	cert := cfg.Certificate
	if cert == nil {
		var err error
		if cert, err = GenerateCertificate(time.Now()); err != nil {
			return nil, err
		}
	}
	conn, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(cfg.Addr))
	if err != nil {
		return nil, fmt.Errorf("transport: listen on %s: %w", cfg.Addr, err)
	}
	m := &Mux{
		conn:     conn,
		cfg:      cfg,
		log:      log.With("component", "transport", "local", conn.LocalAddr().String()),
		cert:     cert,
		ufragOf:  cfg.LocalUfrag,
		maxSize:  cfg.MaxDatagramSize,
		byUfrag:  make(map[string]*Peer),
		byAddr:   make(map[netip.AddrPort]*Peer),
		readDone: make(chan struct{}),
	}
	m.pool.New = func() any { return &datagram{b: make([]byte, m.maxSize)} }
	go m.readLoop()
	return m, nil
}

// LocalAddr is the bound socket address (for the SDP candidate).
func (m *Mux) LocalAddr() net.Addr { return m.conn.LocalAddr() }

// LocalAddrPort is the bound socket address as a netip.AddrPort.
func (m *Mux) LocalAddrPort() netip.AddrPort {
	return m.conn.LocalAddr().(*net.UDPAddr).AddrPort()
}

// Certificate is the DTLS certificate; its Fingerprint goes in the SDP.
func (m *Mux) Certificate() *Certificate { return m.cert }

// ErrClosed is returned by calls on a closed mux.
var ErrClosed = errors.New("transport: mux closed")

// AddPeer registers a peer by its local ICE ufrag (the ice-ufrag of our
// SDP answer, RFC 8839 §5.4).
func (m *Mux) AddPeer(localUfrag string, h Handler) (*Peer, error) {
	if localUfrag == "" {
		return nil, fmt.Errorf("transport: empty local ufrag (RFC 8839 §5.4)")
	}
	p := &Peer{mux: m, ufrag: localUfrag, handler: h}
	p.conn = newPacketConn(p)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	if _, dup := m.byUfrag[localUfrag]; dup {
		return nil, fmt.Errorf("transport: local ufrag %q already registered", localUfrag)
	}
	m.byUfrag[localUfrag] = p
	return p, nil
}

// bindAddr routes addr to p and returns the peer it was routed to before
// (nil if none). The caller logs a move after releasing its own lock.
func (m *Mux) bindAddr(addr netip.AddrPort, p *Peer) (prev *Peer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	prev = m.byAddr[addr]
	m.byAddr[addr] = p
	return prev
}

func (m *Mux) unregister(p *Peer, addrs []netip.AddrPort) {
	m.ended.add(p.ufrag, addrs, time.Now())
	m.mu.Lock()
	for _, u := range append([]string{p.ufrag}, p.aliases...) {
		if m.byUfrag[u] == p {
			delete(m.byUfrag, u)
		}
	}
	for _, a := range addrs {
		if m.byAddr[a] == p {
			delete(m.byAddr, a)
		}
	}
	m.mu.Unlock()
}

func (m *Mux) peerByAddr(a netip.AddrPort) *Peer {
	m.mu.RLock()
	p := m.byAddr[a]
	m.mu.RUnlock()
	return p
}

func (m *Mux) peerByUfrag(u []byte) *Peer {
	m.mu.RLock()
	p := m.byUfrag[string(u)]
	m.mu.RUnlock()
	return p
}

func (m *Mux) writeTo(b []byte, addr netip.AddrPort) (int, error) {
	n, err := m.conn.WriteToUDPAddrPort(b, addr)
	if err != nil {
		m.Counters.WriteErrors.Add(1)
		return n, fmt.Errorf("transport: write to %s: %w", addr, err)
	}
	m.Counters.Sent.Add(1)
	return n, nil
}

func (m *Mux) getDatagram() *datagram  { return m.pool.Get().(*datagram) }
func (m *Mux) putDatagram(d *datagram) { m.pool.Put(d) }

// ReportSRTPDrop lets the SRTP layer count a packet it rejected: reason is
// DropSRTPAuth or DropReplay (RFC 3711 §3.3.2, §3.4).
func (m *Mux) ReportSRTPDrop(reason DropReason, from netip.AddrPort, err error) {
	if n := m.Counters.drop(reason); n != 0 {
		logDrop(m.log, reason, n, "SRTP packet dropped", "from", from.String(), "err", err)
	}
}

// Close closes every peer, then the socket, and waits for the read loop.
// Peers go first so that each DTLS session's close_notify still reaches
// its browser (which then ends the session at once rather than after the
// 30 s consent timeout, RFC 7675 §5.1). Close must not be called from a
// Handler: it waits for the read loop that runs them.
func (m *Mux) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	peers := make([]*Peer, 0, len(m.byUfrag))
	for _, p := range m.byUfrag {
		peers = append(peers, p)
	}
	m.mu.Unlock()
	for _, p := range peers {
		_ = p.Close()
	}
	err := m.conn.Close()
	<-m.readDone
	return err
}
