package datachannel

import "fmt"

// ChannelType is the Channel Type field of DATA_CHANNEL_OPEN (RFC 8832 §5.1).
// The high bit (0x80) selects unordered delivery; the low bits select the
// reliability: reliable, partial reliability limited by retransmissions, or
// limited by lifetime in milliseconds.
type ChannelType uint8

// RFC 8832 §5.1 channel types.
const (
	ChannelReliable                  ChannelType = 0x00
	ChannelReliableUnordered         ChannelType = 0x80
	ChannelPartialReliableRexmit     ChannelType = 0x01
	ChannelPartialReliableRexmitUnor ChannelType = 0x81
	ChannelPartialReliableTimed      ChannelType = 0x02
	ChannelPartialReliableTimedUnor  ChannelType = 0x82
)

const unorderedBit = 0x80

// Reliability is how much a channel retransmits (RFC 8831 §6.1, RFC 3758).
type Reliability uint8

const (
	// Reliable retransmits until delivered.
	Reliable Reliability = 0
	// LimitedRetransmits retransmits at most ReliabilityParameter times.
	LimitedRetransmits Reliability = 1
	// LimitedLifetime retransmits for at most ReliabilityParameter milliseconds.
	LimitedLifetime Reliability = 2
)

// NewChannelType composes a channel type from ordering and reliability.
func NewChannelType(ordered bool, r Reliability) ChannelType {
	t := ChannelType(r)
	if !ordered {
		t |= unorderedBit
	}
	return t
}

// Ordered reports whether messages are delivered in order (high bit clear).
func (t ChannelType) Ordered() bool { return t&unorderedBit == 0 }

// Reliability returns the reliability kind; ok is false for a value RFC 8832
// §5.1 does not define (the caller refuses the channel).
func (t ChannelType) Reliability() (r Reliability, ok bool) {
	switch t &^ unorderedBit {
	case 0x00:
		return Reliable, true
	case 0x01:
		return LimitedRetransmits, true
	case 0x02:
		return LimitedLifetime, true
	}
	return 0, false
}

// Valid reports whether t is one of the six types of RFC 8832 §5.1.
func (t ChannelType) Valid() bool {
	_, ok := t.Reliability()
	return ok
}

func (t ChannelType) String() string {
	var s string
	switch t &^ unorderedBit {
	case 0x00:
		s = "reliable"
	case 0x01:
		s = "partial-reliable-rexmit"
	case 0x02:
		s = "partial-reliable-timed"
	default:
		return fmt.Sprintf("channel-type(0x%02x)", uint8(t))
	}
	if !t.Ordered() {
		s += "-unordered"
	}
	return s
}

// RFC 8832 §5.1 priorities (the field is a 16-bit number; these are the
// values RFC 8831 §6.4 names, higher is more important).
const (
	PriorityBelowNormal uint16 = 128
	PriorityNormal      uint16 = 256
	PriorityHigh        uint16 = 512
	PriorityExtraHigh   uint16 = 1024
)
