package rtcp

import (
	"encoding/binary"
	"fmt"
	"time"
)

// TWCCStatus is a packet status symbol of transport-wide congestion control
// feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.1).
type TWCCStatus uint8

// Packet status symbols; the value is also the size in bytes of the packet's
// receive delta.
const (
	TWCCNotReceived   TWCCStatus = 0 // no delta
	TWCCReceivedSmall TWCCStatus = 1 // one-byte unsigned delta
	TWCCReceivedLarge TWCCStatus = 2 // two-byte signed delta (large or negative)
	twccReserved      TWCCStatus = 3
)

// TWCC timing units (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
const (
	TWCCDeltaTick     = 250 * time.Microsecond // receive delta unit
	TWCCReferenceTick = 64 * time.Millisecond  // reference time unit
)

// TransportCC is a transport-wide congestion control feedback packet
// (RTPFB FMT=15, draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1):
//
//	|V=2|P|  FMT=15 |    PT=205     |           length              |
//	|                     SSRC of packet sender                     |
//	|                      SSRC of media source                     |
//	|      base sequence number     |      packet status count      |
//	|                 reference time                | fb pkt. count |
//	|          packet chunk         |         packet chunk          |
//	.                                                               .
//	|         packet chunk          |  recv delta   |  recv delta   |
//	.                                                               .
//	|           recv delta          |  recv delta   | zero padding  |
//
// Chunks is reused across Unmarshal calls; Deltas, Tail and Padding
// reference the input. Packets iterates over (seq, status, delta).
type TransportCC struct {
	SenderSSRC    uint32
	MediaSSRC     uint32
	BaseSeq       uint16
	StatusCount   uint16
	ReferenceTime uint32 // 24 bits, units of 64 ms (signed per the draft; libwebrtc writes it modulo 2^24)
	FeedbackCount uint8
	// Chunks are the packet chunks as 16-bit words: run-length chunks
	// (T=0: S(2) run(13)) and status vector chunks (T=1, S=0: 14 one-bit
	// symbols; S=1: 7 two-bit symbols) (§3.1.3, §3.1.4).
	Chunks []uint16
	// Deltas are the receive deltas, one byte per TWCCReceivedSmall
	// symbol and two per TWCCReceivedLarge, in packet order (§3.1.5).
	Deltas []byte
	// Tail is what follows the deltas before any RTCP padding: the zero
	// padding to the 32-bit boundary when P is not used.
	Tail    []byte
	Padding []byte
}

// chunkSymbols returns how many status symbols a chunk holds.
func chunkSymbols(c uint16) int {
	switch {
	case c&0x8000 == 0:
		return int(c & 0x1fff)
	case c&0x4000 == 0:
		return 14
	default:
		return 7
	}
}

// chunkSymbol returns symbol i (< chunkSymbols(c)) of chunk c.
func chunkSymbol(c uint16, i int) TWCCStatus {
	switch {
	case c&0x8000 == 0:
		return TWCCStatus(c >> 13 & 3)
	case c&0x4000 == 0:
		return TWCCStatus(c >> (13 - i) & 1)
	default:
		return TWCCStatus(c >> (12 - 2*i) & 3)
	}
}

// Unmarshal parses a single transport-cc feedback packet b. It reads chunks
// until they cover StatusCount packets, then one delta per received packet
// of the first StatusCount.
func (p *TransportCC) Unmarshal(b []byte) error {
	const rule = "draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1"
	s, m, fci, pad, err := parseFeedback(b, TypeTransportFeedback, FormatTWCC, "TWCC")
	if err != nil {
		return err
	}
	if len(fci) < 8 {
		return errTruncated("TWCC fixed fields", 8, len(fci), rule)
	}
	p.SenderSSRC, p.MediaSSRC, p.Padding = s, m, pad
	p.BaseSeq = binary.BigEndian.Uint16(fci)
	p.StatusCount = binary.BigEndian.Uint16(fci[2:])
	p.ReferenceTime = uint32(fci[4])<<16 | uint32(fci[5])<<8 | uint32(fci[6])
	p.FeedbackCount = fci[7]
	p.Chunks = p.Chunks[:0]
	i := 8
	deltaBytes := 0
	for covered := 0; covered < int(p.StatusCount); {
		if i+2 > len(fci) {
			return fmt.Errorf("rtcp: TWCC: chunks cover %d of %d packets before the end (%s)", covered, p.StatusCount, rule)
		}
		c := binary.BigEndian.Uint16(fci[i:])
		i += 2
		p.Chunks = append(p.Chunks, c)
		n := min(chunkSymbols(c), int(p.StatusCount)-covered)
		if c&0x8000 == 0 {
			st := chunkSymbol(c, 0)
			if st == twccReserved && n > 0 {
				return fmt.Errorf("rtcp: TWCC: chunk %d: run of reserved status 3 (%s.3)", len(p.Chunks)-1, rule)
			}
			deltaBytes += n * int(st)
		} else {
			for k := 0; k < n; k++ {
				st := chunkSymbol(c, k)
				if st == twccReserved {
					return fmt.Errorf("rtcp: TWCC: chunk %d: reserved status 3 (%s.4)", len(p.Chunks)-1, rule)
				}
				deltaBytes += int(st)
			}
		}
		covered += n
	}
	if i+deltaBytes > len(fci) {
		return fmt.Errorf("rtcp: TWCC: statuses need %d delta bytes, %d left (%s.5)", deltaBytes, len(fci)-i, rule)
	}
	p.Deltas = fci[i : i+deltaBytes]
	p.Tail = fci[i+deltaBytes:]
	return nil
}

// MarshalSize is the packet's size in bytes.
func (p *TransportCC) MarshalSize() int {
	return feedbackHeaderLength + 8 + 2*len(p.Chunks) + len(p.Deltas) + len(p.Tail) + len(p.Padding)
}

// MarshalTo writes the packet into b and returns the bytes written. The
// fields are written as they are; Chunks and Deltas must agree (Unmarshal
// of the result would otherwise fail) and Tail plus Padding must bring the
// size to a multiple of 4.
func (p *TransportCC) MarshalTo(b []byte) (int, error) {
	if p.ReferenceTime > 0xffffff {
		return 0, fmt.Errorf("rtcp: TWCC: reference time %#x overflows 24 bits (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1)", p.ReferenceTime)
	}
	n := p.MarshalSize()
	i, err := putFeedback(b, p.Padding, FormatTWCC, TypeTransportFeedback, n, p.SenderSSRC, p.MediaSSRC, "TWCC")
	if err != nil {
		return 0, err
	}
	binary.BigEndian.PutUint16(b[i:], p.BaseSeq)
	binary.BigEndian.PutUint16(b[i+2:], p.StatusCount)
	binary.BigEndian.PutUint32(b[i+4:], p.ReferenceTime<<8|uint32(p.FeedbackCount))
	i += 8
	for _, c := range p.Chunks {
		binary.BigEndian.PutUint16(b[i:], c)
		i += 2
	}
	i += copy(b[i:], p.Deltas)
	i += copy(b[i:], p.Tail)
	copy(b[i:], p.Padding)
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *TransportCC) Marshal() ([]byte, error) { return marshal(p) }

// Reference is the reference time as a duration (24-bit field × 64 ms,
// read unsigned as libwebrtc does).
func (p *TransportCC) Reference() time.Duration {
	return time.Duration(p.ReferenceTime) * TWCCReferenceTick
}

// ReferenceDelta is the time from prev's reference time to p's: the 24-bit
// difference taken modulo 2^24 and read as signed, so that the field's wrap
// (every 2^24 × 64 ms, about 12.4 days) and the draft's signed reading
// both come out right (draft-holmer-rmcat-transport-wide-cc-extensions-01
// §3.1: the reference time is in multiples of 64 ms). Feedback packets
// arrive at most minutes apart, far inside ±2^23 ticks.
func (p *TransportCC) ReferenceDelta(prev *TransportCC) time.Duration {
	d := int32((p.ReferenceTime-prev.ReferenceTime)<<8) >> 8
	return time.Duration(d) * TWCCReferenceTick
}

// TWCCPacket is one reported packet.
type TWCCPacket struct {
	Seq    uint16
	Status TWCCStatus
	// Delta is the receive delta in 250 µs ticks relative to the previous
	// received packet (or the reference time for the first); 0 when not
	// received.
	Delta int32
}

// Packets returns an iterator over the StatusCount reported packets.
func (p *TransportCC) Packets() TWCCIterator { return TWCCIterator{p: p} }

// TWCCIterator walks the packets of a TransportCC without allocating.
type TWCCIterator struct {
	p     *TransportCC
	n     int // packets returned
	chunk int
	inPos int // symbol index within chunk
	dOff  int // offset in Deltas
}

// Next returns the next packet and whether there was one.
func (it *TWCCIterator) Next() (TWCCPacket, bool) {
	p := it.p
	if it.n >= int(p.StatusCount) {
		return TWCCPacket{}, false
	}
	for it.chunk < len(p.Chunks) && it.inPos >= chunkSymbols(p.Chunks[it.chunk]) {
		it.chunk++
		it.inPos = 0
	}
	if it.chunk >= len(p.Chunks) {
		return TWCCPacket{}, false
	}
	st := chunkSymbol(p.Chunks[it.chunk], it.inPos)
	it.inPos++
	pk := TWCCPacket{Seq: p.BaseSeq + uint16(it.n), Status: st}
	it.n++
	switch st {
	case TWCCReceivedSmall:
		if it.dOff+1 > len(p.Deltas) {
			return TWCCPacket{}, false
		}
		pk.Delta = int32(p.Deltas[it.dOff])
		it.dOff++
	case TWCCReceivedLarge:
		if it.dOff+2 > len(p.Deltas) {
			return TWCCPacket{}, false
		}
		pk.Delta = int32(int16(binary.BigEndian.Uint16(p.Deltas[it.dOff:])))
		it.dOff += 2
	case twccReserved:
		return TWCCPacket{}, false
	}
	return pk, true
}
