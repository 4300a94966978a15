package rtcp

import (
	"fmt"
	"time"
)

// TWCCBuilder builds transport-wide CC feedback from (sequence number,
// arrival time) observations the way libwebrtc's TransportFeedback does, so
// that an SFU's feedback reads like a browser's:
//
//   - the reference time is the first arrival modulo 2^24·64 ms, truncated
//     to 64 ms; deltas are rounded to the nearest 250 µs tick relative to the
//     previous packet's reconstructed time;
//   - chunks are chosen greedily: a run-length chunk while every status is
//     the same, otherwise a 14-symbol one-bit vector when no large delta is
//     involved, otherwise a 7-symbol two-bit vector;
//   - the packet is padded to 32 bits with RTCP padding (P bit, count octet),
//     so it must be the last packet of its compound (RFC 3550 §6.4.1:
//     "padding MUST only be added to the last individual packet");
//     AppendCompound refuses anything after it. BuildZeroPadded aligns
//     with zero octets instead, for a packet that is not last.
//
// Arrival times are durations on any monotonic clock of the caller (the
// package has no clock). The builder owns the memory the built packet
// references; reuse it with Reset after each Build.
type TWCCBuilder struct {
	baseSeq     uint16
	refTicks    uint32 // 64 ms units, 24 bits
	lastTime    time.Duration
	count       int // packets reported (statuses)
	sizeBytes   int // as libwebrtc counts it: fixed 20 + chunks + deltas
	chunks      []uint16
	deltas      []byte
	last        lastChunk
	started     bool
	padding     [3]byte
	senderSSRC  uint32
	mediaSSRC   uint32
	feedbackCnt uint8
}

const (
	twccHeaderBytes    = 20
	twccMaxRunLength   = 0x1fff
	twccMaxOneBit      = 14
	twccMaxTwoBit      = 7
	twccMaxSizeBytes   = maxPacketLength
	twccMaxStatusCount = 0xffff
	twccWrapPeriod     = TWCCReferenceTick * (1 << 24)
)

// Reset starts a new feedback packet. Packets added must have sequence
// numbers at or after baseSeq; the first added packet's arrival time sets the
// reference time.
func (b *TWCCBuilder) Reset(senderSSRC, mediaSSRC uint32, baseSeq uint16, feedbackCount uint8) {
	*b = TWCCBuilder{chunks: b.chunks[:0], deltas: b.deltas[:0],
		senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, baseSeq: baseSeq, feedbackCnt: feedbackCount,
		sizeBytes: twccHeaderBytes}
}

// Len is the number of packet statuses reported so far.
func (b *TWCCBuilder) Len() int { return b.count }

// Add reports packet seq received at arrival. Sequence numbers must
// increase (gaps are reported as not received). It returns an error and
// leaves the builder unchanged when the packet cannot be added: seq not
// after the last one, a delta beyond 16 bits, or the packet full; the caller
// then builds this packet and starts a new one.
func (b *TWCCBuilder) Add(seq uint16, arrival time.Duration) error {
	if !b.started {
		r := arrival % twccWrapPeriod
		if r < 0 {
			r += twccWrapPeriod
		}
		b.refTicks = uint32(r / TWCCReferenceTick)
		b.lastTime = time.Duration(b.refTicks) * TWCCReferenceTick
	}
	delta := (arrival - b.lastTime) % twccWrapPeriod
	if delta > twccWrapPeriod/2 {
		delta -= twccWrapPeriod
	}
	if delta < -twccWrapPeriod/2 {
		delta += twccWrapPeriod
	}
	// Round to the nearest tick, halves away from zero.
	if delta < 0 {
		delta -= TWCCDeltaTick / 2
	} else {
		delta += TWCCDeltaTick / 2
	}
	ticks := int64(delta / TWCCDeltaTick)
	if ticks != int64(int16(ticks)) {
		return fmt.Errorf("rtcp: TWCC builder: delta of %d ticks does not fit 16 bits (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.5)", ticks)
	}
	next := b.baseSeq + uint16(b.count)
	gap := int(seq - next)
	if d := seq - (next - 1); d == 0 || d >= 0x8000 {
		return fmt.Errorf("rtcp: TWCC builder: sequence %d not after %d", seq, next-1)
	}
	status := TWCCReceivedLarge
	if ticks >= 0 && ticks <= 0xff {
		status = TWCCReceivedSmall
	}
	// Check capacity before changing anything.
	saved := *b
	savedChunks := len(b.chunks)
	for k := 0; k < gap; k++ {
		if !b.addStatus(TWCCNotReceived) {
			b.restore(saved, savedChunks)
			return errTWCCFull
		}
	}
	if !b.addStatus(status) {
		b.restore(saved, savedChunks)
		return errTWCCFull
	}
	if status == TWCCReceivedSmall {
		b.deltas = append(b.deltas, byte(ticks))
	} else {
		b.deltas = append(b.deltas, byte(uint16(ticks)>>8), byte(ticks))
	}
	b.lastTime += time.Duration(ticks) * TWCCDeltaTick
	b.started = true
	return nil
}

var errTWCCFull = fmt.Errorf("rtcp: TWCC builder: packet full (status count or 16-bit length, draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1)")

func (b *TWCCBuilder) restore(saved TWCCBuilder, nChunks int) {
	chunks, deltas := b.chunks[:nChunks], b.deltas
	*b = saved
	b.chunks, b.deltas = chunks, deltas[:len(saved.deltas)]
}

// addStatus mirrors libwebrtc's AddDeltaSize.
func (b *TWCCBuilder) addStatus(s TWCCStatus) bool {
	if b.count == twccMaxStatusCount {
		return false
	}
	add := 0
	if b.last.size == 0 {
		add = 2
	}
	if b.sizeBytes+int(s)+add > twccMaxSizeBytes {
		return false
	}
	if b.last.canAdd(s) {
		b.sizeBytes += add
		b.last.add(s)
		b.sizeBytes += int(s)
		b.count++
		return true
	}
	if b.sizeBytes+int(s)+2 > twccMaxSizeBytes {
		return false
	}
	b.chunks = append(b.chunks, b.last.emit())
	b.sizeBytes += 2 + int(s)
	b.last.add(s)
	b.count++
	return true
}

// Build fills p with the packet built so far. p references the builder's
// memory until the next Reset, Add, Build or BuildZeroPadded.
func (b *TWCCBuilder) Build(p *TransportCC) error {
	if b.count == 0 {
		return fmt.Errorf("rtcp: TWCC builder: no packets added")
	}
	chunks := b.chunks
	if b.last.size > 0 {
		chunks = append(chunks, b.last.encodeLast())
	}
	*p = TransportCC{
		SenderSSRC: b.senderSSRC, MediaSSRC: b.mediaSSRC,
		BaseSeq: b.baseSeq, StatusCount: uint16(b.count),
		ReferenceTime: b.refTicks, FeedbackCount: b.feedbackCnt,
		Chunks: chunks[:len(chunks):len(chunks)], Deltas: b.deltas, Tail: p.Tail[:0],
	}
	if r := b.sizeBytes % 4; r != 0 {
		n := 4 - r
		b.padding = [3]byte{}
		b.padding[n-1] = byte(n)
		p.Padding = b.padding[:n]
	}
	return nil
}

// BuildZeroPadded is Build with the padding the draft's figure shows
// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1, "zero
// padding" after the last receive delta): 1 to 3 zero octets in Tail and
// the P bit clear, so the packet may sit anywhere in a compound (RFC 3550
// §6.4.1 allows the P bit on the last packet only). Build's RTCP padding
// is what libwebrtc sends; both decode the same.
func (b *TWCCBuilder) BuildZeroPadded(p *TransportCC) error {
	if err := b.Build(p); err != nil {
		return err
	}
	if n := len(p.Padding); n > 0 {
		b.padding = [3]byte{}
		p.Tail, p.Padding = b.padding[:n], nil
	}
	return nil
}

// lastChunk collects the statuses not yet committed to a chunk (libwebrtc's
// TransportFeedback::LastChunk).
type lastChunk struct {
	sizes    [twccMaxOneBit]TWCCStatus
	size     int
	allSame  bool
	hasLarge bool
}

func (c *lastChunk) canAdd(s TWCCStatus) bool {
	if c.size < twccMaxTwoBit {
		return true
	}
	if c.size < twccMaxOneBit && !c.hasLarge && s != TWCCReceivedLarge {
		return true
	}
	return c.size < twccMaxRunLength && c.allSame && c.sizes[0] == s
}

func (c *lastChunk) add(s TWCCStatus) {
	if c.size == 0 {
		c.allSame = true
	}
	if c.size < twccMaxOneBit {
		c.sizes[c.size] = s
	}
	c.size++
	c.allSame = c.allSame && s == c.sizes[0]
	c.hasLarge = c.hasLarge || s == TWCCReceivedLarge
}

// emit returns a full chunk and keeps what did not fit.
func (c *lastChunk) emit() uint16 {
	if c.allSame {
		v := c.runLength()
		*c = lastChunk{}
		return v
	}
	if c.size == twccMaxOneBit {
		v := c.oneBit()
		*c = lastChunk{}
		return v
	}
	v := c.twoBit(twccMaxTwoBit)
	rest := c.size - twccMaxTwoBit
	var nc lastChunk
	for i := 0; i < rest; i++ {
		nc.add(c.sizes[twccMaxTwoBit+i])
	}
	*c = nc
	return v
}

func (c *lastChunk) encodeLast() uint16 {
	switch {
	case c.allSame:
		return c.runLength()
	case c.size <= twccMaxTwoBit:
		return c.twoBit(c.size)
	default:
		return c.oneBit()
	}
}

func (c *lastChunk) runLength() uint16 { return uint16(c.sizes[0])<<13 | uint16(c.size) }

func (c *lastChunk) oneBit() uint16 {
	v := uint16(0x8000)
	for i := 0; i < c.size; i++ {
		v |= uint16(c.sizes[i]) << (twccMaxOneBit - 1 - i)
	}
	return v
}

func (c *lastChunk) twoBit(n int) uint16 {
	v := uint16(0xc000)
	for i := 0; i < n; i++ {
		v |= uint16(c.sizes[i]) << (2 * (twccMaxTwoBit - 1 - i))
	}
	return v
}
