package datachannel

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/pion/sctp"
)

// Channel is one data channel: an SCTP stream pair with the same id
// (RFC 8831 §6.4).
type Channel struct {
	a         *Association
	s         *sctp.Stream
	label     string
	protocol  string
	typ       ChannelType
	priority  uint16
	relParam  uint32
	acked     atomic.Bool
	readMu    sync.Mutex
	closeOnce sync.Once
}

// newChannel records a channel's parameters. For reliable types the
// Reliability Parameter is sent as 0 and ignored on receipt (RFC 8832
// §5.1), so it is kept as 0 whatever the peer or the caller put there.
func newChannel(a *Association, s *sctp.Stream, label, protocol string, t ChannelType, prio uint16, relParam uint32) *Channel {
	if rel, _ := t.Reliability(); rel == Reliable {
		relParam = 0
	}
	return &Channel{a: a, s: s, label: label, protocol: protocol, typ: t, priority: prio, relParam: relParam}
}

// StreamID is the SCTP stream identifier of both directions.
func (c *Channel) StreamID() uint16 { return c.s.StreamIdentifier() }

// Label is the channel's label from DATA_CHANNEL_OPEN.
func (c *Channel) Label() string { return c.label }

// Protocol is the channel's subprotocol from DATA_CHANNEL_OPEN.
func (c *Channel) Protocol() string { return c.protocol }

// Type is the channel type (ordering and reliability).
func (c *Channel) Type() ChannelType { return c.typ }

// Priority is the priority from DATA_CHANNEL_OPEN.
func (c *Channel) Priority() uint16 { return c.priority }

// ReliabilityParameter is the retransmission limit or lifetime in ms.
func (c *Channel) ReliabilityParameter() uint32 { return c.relParam }

// Acked reports whether the open handshake is complete: always true for
// accepted and negotiated channels, true once DATA_CHANNEL_ACK has been read
// for channels opened here.
func (c *Channel) Acked() bool { return c.acked.Load() }

// emptyPayload is the one byte sent for an empty message (RFC 8831 §6.6).
var emptyPayload = [1]byte{emptyMessagePayloadByte}

// WriteMessage sends p as one message, a string (PPID 51, p is UTF-8) or
// binary (PPID 53); an empty p is sent with PPID 56 or 57 (RFC 8831 §6.6).
func (c *Channel) WriteMessage(p []byte, isString bool) error {
	if len(p) > int(c.a.maxMS) {
		return fmt.Errorf("datachannel: message of %d bytes exceeds the peer's max-message-size %d (RFC 8841 §6.1)", len(p), c.a.maxMS)
	}
	ppid := PPIDFor(isString, len(p))
	if len(p) == 0 {
		p = emptyPayload[:]
	}
	if _, err := c.s.WriteSCTP(p, sctp.PayloadProtocolIdentifier(ppid)); err != nil {
		return fmt.Errorf("datachannel: write on stream %d: %w", c.StreamID(), err)
	}
	return nil
}

// Write sends p as one binary message (io.Writer).
func (c *Channel) Write(p []byte) (int, error) {
	if err := c.WriteMessage(p, false); err != nil {
		return 0, err
	}
	return len(p), nil
}

// WriteString sends s as one string message.
func (c *Channel) WriteString(s string) error { return c.WriteMessage([]byte(s), true) }

// ReadMessage reads the next user message into p and reports whether it is
// a string. Empty messages (PPID 56/57) return n == 0. DCEP messages on the
// stream are consumed here: DATA_CHANNEL_ACK completes a local open (and
// switches an unordered channel to unordered delivery); anything else is
// counted and dropped. Deprecated partial messages (PPID 52/54) are
// reassembled into p. io.EOF means the peer reset its stream; the local
// stream is then reset too (RFC 8831 §6.7). If p is too small the error
// wraps io.ErrShortBuffer, n is the size needed, and the message stays
// queued for a retry with a larger buffer.
func (c *Channel) ReadMessage(p []byte) (n int, isString bool, err error) {
	c.readMu.Lock()
	defer c.readMu.Unlock()
	off := 0
	for {
		m, ppid, err := c.s.ReadSCTP(p[off:])
		if err != nil {
			if errors.Is(err, io.EOF) {
				// The peer reset its stream: reset ours (RFC 8831 §6.7). The
				// id is free again once both directions are reset.
				_ = c.Close()
				c.a.releaseID(c.StreamID())
			}
			if errors.Is(err, io.ErrShortBuffer) {
				// The message stays queued; m is its size.
				return off + m, false, fmt.Errorf("datachannel: message of %d bytes on stream %d does not fit a %d-byte buffer: %w", off+m, c.StreamID(), len(p), err)
			}
			return 0, false, err
		}
		switch pp := PPID(ppid); {
		case pp == PPIDDCEP:
			c.handleDCEP(p[off : off+m])
		case pp.IsPartial():
			off += m
			if off == len(p) {
				return 0, false, fmt.Errorf("datachannel: partial message on stream %d exceeds buffer of %d bytes: %w", c.StreamID(), len(p), io.ErrShortBuffer)
			}
		case pp.IsEmpty():
			if off != 0 {
				return off, pp.IsString(), nil
			}
			return 0, pp.IsString(), nil
		case pp == PPIDString || pp == PPIDBinary:
			return off + m, pp.IsString(), nil
		default:
			c.a.Counters.UnknownPPID.Add(1)
			c.a.log.Warn("data channel message with unknown PPID dropped (RFC 8831 §8)", "stream", c.StreamID(), "ppid", pp.String())
		}
	}
}

func (c *Channel) handleDCEP(b []byte) {
	t, err := PeekType(b)
	if err == nil && t == MessageTypeAck && !c.acked.Load() {
		var ack Ack
		if err = ack.Unmarshal(b); err == nil {
			c.acked.Store(true)
			c.a.Counters.AcksReceived.Add(1)
			rel, _ := c.typ.Reliability()
			c.s.SetReliabilityParams(!c.typ.Ordered(), byte(rel), c.relParam)
			return
		}
	}
	c.a.Counters.DroppedDCEP.Add(1)
	c.a.log.Warn("unexpected DCEP message on an open channel dropped", "stream", c.StreamID(), "type", MessageType(firstByte(b)).String(), "err", err)
}

func firstByte(b []byte) byte {
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// Close resets the outgoing stream (RFC 8831 §6.7, RFC 6525); the peer
// answers by resetting its own, after which reads return io.EOF. The
// stream id is not reused for a new channel until that read has happened.
func (c *Channel) Close() error {
	var err error
	c.closeOnce.Do(func() { err = c.s.Close() })
	return err
}
