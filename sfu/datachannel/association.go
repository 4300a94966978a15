package datachannel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/sctp"
)

// Config configures an [Association].
type Config struct {
	// Role is the local DTLS role; it fixes the parity of the stream ids this
	// side opens (RFC 8832 §6).
	Role Role
	// Passive makes the association wait for the peer's INIT (sctp.Server)
	// instead of sending one (sctp.Client). Browsers always send INIT, and
	// pion/sctp handles the resulting INIT collision, so the default is
	// active.
	Passive bool
	// MaxMessageSize is the largest message the peer accepts, normally
	// MaxMessageSizeFromSDP of its a=max-message-size. 0 means
	// DefaultMaxMessageSize.
	MaxMessageSize uint32
	// OpenTimeout bounds how long a stream the peer created may take to
	// deliver its DATA_CHANNEL_OPEN. 0 means 10 s.
	OpenTimeout time.Duration
	// AcceptBacklog is how many accepted channels may wait for Accept.
	// 0 means 16.
	AcceptBacklog int
	// MaxPendingOpens bounds the streams the peer created that are still
	// waiting for their DATA_CHANNEL_OPEN or for a free AcceptBacklog slot;
	// each holds a goroutine and a buffer. A stream beyond it is reset
	// (the open is refused) so that a peer creating streams without end
	// cannot grow the server without bound. 0 means 64.
	MaxPendingOpens int
	// Logger receives refusals and protocol errors. nil means slog.Default().
	Logger *slog.Logger
}

// Counters count the protocol events an association refused or ignored.
type Counters struct {
	RefusedOpens   atomic.Uint64 // DATA_CHANNEL_OPEN refused (bad parity, type, parse error)
	NonDCEPFirst   atomic.Uint64 // new stream whose first message was not DCEP
	DroppedDCEP    atomic.Uint64 // unexpected or malformed DCEP on an open channel
	UnknownPPID    atomic.Uint64 // user message with a PPID RFC 8831 §8 does not list
	AcceptedOpens  atomic.Uint64
	OpenedLocally  atomic.Uint64
	AcksReceived   atomic.Uint64
	AcceptOverflow atomic.Uint64 // accepted channel dropped because the association closed first
	PendingFull    atomic.Uint64 // peer-created stream reset: MaxPendingOpens streams were already pending
}

// maxOpenLen is the longest DATA_CHANNEL_OPEN: both 16-bit lengths at their
// maximum (RFC 8832 §5.1).
const maxOpenLen = openHeaderLen + 2*0xffff

// ErrClosed is returned by calls on a closed association.
var ErrClosed = errors.New("datachannel: association closed")

// Association is an SCTP association carrying data channels (RFC 8831 §6).
type Association struct {
	cfg   Config
	log   *slog.Logger
	sctp  *sctp.Association
	maxMS uint32

	mu  sync.Mutex // guards ids
	ids *StreamIDs

	accepted chan *Channel
	pending  chan struct{} // one token per peer-created stream being handled
	closed   chan struct{}
	closeErr error
	once     sync.Once
	wg       sync.WaitGroup

	// Counters are updated atomically and may be read at any time.
	Counters Counters
}

// NewAssociation starts SCTP over conn (the DTLS connection, RFC 8261) and
// returns once the association is established (active) or created
// (passive). ctx bounds the SCTP handshake.
func NewAssociation(ctx context.Context, conn net.Conn, cfg Config) (*Association, error) {
	if cfg.MaxMessageSize == 0 {
		cfg.MaxMessageSize = DefaultMaxMessageSize
	}
	if cfg.OpenTimeout == 0 {
		cfg.OpenTimeout = 10 * time.Second
	}
	if cfg.AcceptBacklog == 0 {
		cfg.AcceptBacklog = 16
	}
	if cfg.MaxPendingOpens == 0 {
		cfg.MaxPendingOpens = 64
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	log = log.With("component", "datachannel", "role", cfg.Role.String())
	sc := sctp.Config{
		NetConn:              conn,
		Name:                 cfg.Role.String(),
		MaxReceiveBufferSize: 1 << 20,
		MaxMessageSize:       cfg.MaxMessageSize,
	}
	var (
		sa  *sctp.Association
		err error
	)
	if cfg.Passive {
		sa, err = sctp.ServerWithOptions(sc)
	} else {
		sa, err = sctp.ClientContext(ctx, sc)
	}
	if err != nil {
		return nil, fmt.Errorf("datachannel: SCTP association: %w", err)
	}
	a := &Association{
		cfg:      cfg,
		log:      log,
		sctp:     sa,
		maxMS:    cfg.MaxMessageSize,
		ids:      NewStreamIDs(cfg.Role),
		accepted: make(chan *Channel, cfg.AcceptBacklog),
		pending:  make(chan struct{}, cfg.MaxPendingOpens),
		closed:   make(chan struct{}),
	}
	a.wg.Add(1)
	go a.acceptLoop()
	return a, nil
}

// acceptLoop takes each stream the peer creates and waits, in a goroutine of
// its own, for its DATA_CHANNEL_OPEN; at most MaxPendingOpens at a time.
func (a *Association) acceptLoop() {
	defer a.wg.Done()
	for {
		s, err := a.sctp.AcceptStream()
		if err != nil {
			return
		}
		select {
		case a.pending <- struct{}{}:
		default:
			a.Counters.PendingFull.Add(1)
			a.Counters.RefusedOpens.Add(1)
			a.log.Warn("data channel open refused, stream reset", "stream", s.StreamIdentifier(), "reason", "too many pending opens", "max", cap(a.pending))
			_ = s.Close()
			continue
		}
		a.wg.Add(1)
		go a.acceptOpen(s)
	}
}

// acceptOpen handles the first message of a peer-created stream: it must be
// DATA_CHANNEL_OPEN (RFC 8832 §6), answered with DATA_CHANNEL_ACK.
func (a *Association) acceptOpen(s *sctp.Stream) {
	defer a.wg.Done()
	defer func() { <-a.pending }()
	id := s.StreamIdentifier()
	refuse := func(reason string, args ...any) {
		a.Counters.RefusedOpens.Add(1)
		a.log.Warn("data channel open refused, stream reset", append([]any{"stream", id, "reason", reason}, args...)...)
		_ = s.Close()
	}
	_ = s.SetReadDeadline(time.Now().Add(a.cfg.OpenTimeout))
	buf := make([]byte, openHeaderLen+256)
	n, ppid, err := s.ReadSCTP(buf)
	if errors.Is(err, io.ErrShortBuffer) && n <= maxOpenLen {
		// A long label or protocol: pion kept the message and told us its size.
		buf = make([]byte, n)
		n, ppid, err = s.ReadSCTP(buf)
	}
	if err != nil {
		refuse("no DATA_CHANNEL_OPEN", "err", err)
		return
	}
	_ = s.SetReadDeadline(time.Time{})
	if PPID(ppid) != PPIDDCEP {
		a.Counters.NonDCEPFirst.Add(1)
		refuse("first message is not DCEP", "ppid", PPID(ppid).String())
		return
	}
	var o Open
	if err := o.Unmarshal(buf[:n]); err != nil {
		refuse("malformed DATA_CHANNEL_OPEN", "err", err)
		return
	}
	rel, ok := o.ChannelType.Reliability()
	if !ok {
		refuse("unknown channel type (RFC 8832 §5.1)", "channel_type", o.ChannelType.String())
		return
	}
	if err := CheckRemoteOpen(a.cfg.Role, id); err != nil {
		refuse("stream id parity", "err", err)
		return
	}
	a.mu.Lock()
	fresh := a.ids.Reserve(id)
	a.mu.Unlock()
	if !fresh {
		refuse("stream id already in use")
		return
	}
	ch := newChannel(a, s, string(o.Label), string(o.Protocol), o.ChannelType, o.Priority, o.ReliabilityParameter)
	// RFC 8832 §6: DCEP messages are sent ordered and reliable.
	s.SetReliabilityParams(false, sctp.ReliabilityTypeReliable, 0)
	var ack [1]byte
	if _, err := (&Ack{}).MarshalTo(ack[:]); err == nil {
		_, err = s.WriteSCTP(ack[:], sctp.PayloadProtocolIdentifier(PPIDDCEP))
		if err != nil {
			refuse("sending DATA_CHANNEL_ACK failed", "err", err)
			return
		}
	}
	s.SetReliabilityParams(!o.ChannelType.Ordered(), byte(rel), o.ReliabilityParameter)
	ch.acked.Store(true)
	a.Counters.AcceptedOpens.Add(1)
	a.log.Debug("data channel accepted", "stream", id, "label", ch.label, "type", o.ChannelType.String())
	select {
	case a.accepted <- ch:
	case <-a.closed:
		a.Counters.AcceptOverflow.Add(1)
		_ = s.Close()
	}
}

// Accept returns the next channel the peer opened, after its
// DATA_CHANNEL_ACK has been sent.
func (a *Association) Accept(ctx context.Context) (*Channel, error) {
	select {
	case ch := <-a.accepted:
		return ch, nil
	case <-a.closed:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// ChannelOptions describe a channel opened locally.
type ChannelOptions struct {
	Type     ChannelType // RFC 8832 §5.1; ChannelReliable if zero
	Priority uint16      // 0 means PriorityNormal
	// ReliabilityParameter is the maximum retransmission count or lifetime
	// in ms for the partial-reliable types; ignored (sent as 0) otherwise.
	ReliabilityParameter uint32
	Protocol             string
}

// Open opens a data channel from this side: it picks a stream id of the
// local parity, sends DATA_CHANNEL_OPEN (RFC 8832 §6) and returns without
// waiting for the ACK. Until the ACK is read, messages are sent ordered.
func (a *Association) Open(label string, opt ChannelOptions) (*Channel, error) {
	rel, ok := opt.Type.Reliability()
	if !ok {
		return nil, fmt.Errorf("datachannel: channel type 0x%02x is not defined (RFC 8832 §5.1)", uint8(opt.Type))
	}
	if opt.Priority == 0 {
		opt.Priority = PriorityNormal
	}
	if rel == Reliable {
		opt.ReliabilityParameter = 0 // RFC 8832 §5.1: MUST be 0 for reliable channels
	}
	o := Open{
		ChannelType:          opt.Type,
		Priority:             opt.Priority,
		ReliabilityParameter: opt.ReliabilityParameter,
		Label:                []byte(label),
		Protocol:             []byte(opt.Protocol),
	}
	msg, err := o.Marshal()
	if err != nil {
		return nil, err
	}
	select {
	case <-a.closed:
		return nil, ErrClosed
	default:
	}
	a.mu.Lock()
	id, err := a.ids.Next()
	a.mu.Unlock()
	if err != nil {
		return nil, err
	}
	s, err := a.sctp.OpenStream(id, sctp.PayloadProtocolIdentifier(PPIDDCEP))
	if err != nil {
		a.releaseID(id)
		return nil, fmt.Errorf("datachannel: open stream %d: %w", id, err)
	}
	s.SetReliabilityParams(false, sctp.ReliabilityTypeReliable, 0)
	if _, err := s.WriteSCTP(msg, sctp.PayloadProtocolIdentifier(PPIDDCEP)); err != nil {
		a.releaseID(id)
		return nil, fmt.Errorf("datachannel: send DATA_CHANNEL_OPEN on stream %d: %w", id, err)
	}
	// RFC 8832 §6: before the ACK, user messages go ordered.
	s.SetReliabilityParams(false, byte(rel), opt.ReliabilityParameter)
	a.Counters.OpenedLocally.Add(1)
	return newChannel(a, s, label, opt.Protocol, opt.Type, opt.Priority, opt.ReliabilityParameter), nil
}

// OpenNegotiated opens a channel agreed out of band (negotiated: true,
// RFC 8832 §1 / W3C): no DCEP is exchanged, both sides use the same id.
func (a *Association) OpenNegotiated(id uint16, label string, opt ChannelOptions) (*Channel, error) {
	rel, ok := opt.Type.Reliability()
	if !ok {
		return nil, fmt.Errorf("datachannel: channel type 0x%02x is not defined (RFC 8832 §5.1)", uint8(opt.Type))
	}
	if id > MaxStreamID {
		return nil, fmt.Errorf("datachannel: stream id %d above %d (RFC 8831 §6.2)", id, MaxStreamID)
	}
	a.mu.Lock()
	fresh := a.ids.Reserve(id)
	a.mu.Unlock()
	if !fresh {
		return nil, fmt.Errorf("datachannel: stream id %d already in use", id)
	}
	s, err := a.sctp.OpenStream(id, sctp.PayloadProtocolIdentifier(PPIDBinary))
	if err != nil {
		a.releaseID(id)
		return nil, fmt.Errorf("datachannel: open stream %d: %w", id, err)
	}
	s.SetReliabilityParams(!opt.Type.Ordered(), byte(rel), opt.ReliabilityParameter)
	ch := newChannel(a, s, label, opt.Protocol, opt.Type, opt.Priority, opt.ReliabilityParameter)
	ch.acked.Store(true)
	return ch, nil
}

func (a *Association) releaseID(id uint16) {
	a.mu.Lock()
	a.ids.Release(id)
	a.mu.Unlock()
}

// MaxMessageSize is the largest message a channel may send.
func (a *Association) MaxMessageSize() uint32 { return a.maxMS }

// Close aborts nothing gracefully: it closes the SCTP association (and the
// underlying conn) and waits for the goroutines it started.
func (a *Association) Close() error {
	a.once.Do(func() {
		close(a.closed)
		a.closeErr = a.sctp.Close()
		a.wg.Wait()
	})
	return a.closeErr
}
