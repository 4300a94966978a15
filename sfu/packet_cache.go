package sfu

import (
	"sync"
	"sync/atomic"
)

// maxPacket is the largest RTP or RTCP packet the SFU handles (an Ethernet
// MTU; browsers stay well below it).
const maxPacket = 1500

// pktBuf is one plaintext packet shared by everyone who sends it: a track's
// cache holds a reference, and so does each subscriber's sender queue entry
// until its worker has rewritten and protected a copy. It is written once,
// before it is shared, and only read after; the last release returns it to
// the pool. Sharing one buffer is what keeps a 200-subscriber fan-out from
// copying the packet 200 times before the workers each make the one copy
// they encrypt in.
type pktBuf struct {
	refs atomic.Int32
	n    int
	b    [maxPacket]byte
}

var pktPool = sync.Pool{New: func() any { return new(pktBuf) }}

// newPktBuf copies p into a pooled buffer holding one reference, or returns
// nil when p is larger than maxPacket.
func newPktBuf(p []byte) *pktBuf {
	if len(p) > maxPacket {
		return nil
	}
	b := pktPool.Get().(*pktBuf)
	b.n = copy(b.b[:], p)
	b.refs.Store(1)
	return b
}

func (b *pktBuf) bytes() []byte { return b.b[:b.n] }
func (b *pktBuf) retain()       { b.refs.Add(1) }

// release drops one reference; the last returns the buffer to the pool.
func (b *pktBuf) release() {
	if b.refs.Add(-1) == 0 {
		pktPool.Put(b)
	}
}

// trackCache keeps the last packets a publisher sent on one track, shared
// by all its subscribers (Galène's per-track cache): a subscriber's NACK is
// answered from it (RFC 4585 §6.2.1), and a subscriber that switches to the
// track could be primed from it. It is bounded both in packets (its slot
// count, a power of two) and in bytes; it is indexed by sequence number, and
// a slot keeps its full 16-bit number so a NACK for a number a wrap away
// finds nothing rather than the wrong packet.
type trackCache struct {
	slots    []cacheSlot
	mask     uint16
	maxBytes int
	bytes    int
	oldest   uint16 // the oldest sequence number that may still be held
	started  bool
}

type cacheSlot struct {
	seq uint16
	buf *pktBuf
}

// Cache sizes: video keeps about a second of 2.5 Mbit/s (512 packets,
// 768 KiB at most); audio, which browsers rarely NACK, a second of Opus.
const (
	videoCachePackets = 512
	videoCacheBytes   = 768 << 10
	audioCachePackets = 64
	audioCacheBytes   = 64 << 10
)

func newTrackCache(packets, maxBytes int) *trackCache {
	return &trackCache{slots: make([]cacheSlot, packets), mask: uint16(packets - 1), maxBytes: maxBytes}
}

// put stores b under seq, taking a reference; it evicts what the slot held
// and, over the byte budget, the oldest packets.
func (c *trackCache) put(seq uint16, b *pktBuf) {
	if !c.started {
		c.started, c.oldest = true, seq
	} else if d := int16(seq - c.oldest); d < 0 {
		return // older than anything kept: a late packet nobody can NACK usefully
	} else if int(d) >= len(c.slots) {
		c.oldest = seq - c.mask // the window moved on
	}
	s := &c.slots[seq&c.mask]
	c.drop(s)
	b.retain()
	s.seq, s.buf = seq, b
	c.bytes += b.n
	for c.bytes > c.maxBytes && c.oldest != seq {
		if o := &c.slots[c.oldest&c.mask]; o.buf != nil && o.seq == c.oldest {
			c.drop(o)
		}
		c.oldest++
	}
}

func (c *trackCache) drop(s *cacheSlot) {
	if s.buf != nil {
		c.bytes -= s.buf.n
		s.buf.release()
		s.buf = nil
	}
}

// get returns the packet with sequence number seq, or nil.
func (c *trackCache) get(seq uint16) *pktBuf {
	s := &c.slots[seq&c.mask]
	if s.buf == nil || s.seq != seq {
		return nil
	}
	return s.buf
}

// clear releases every packet (the track ended).
func (c *trackCache) clear() {
	for i := range c.slots {
		c.drop(&c.slots[i])
	}
	c.started = false
}
