package bench

import (
	"fmt"
	"testing"

	prtcp "github.com/pion/rtcp"

	"github.com/plainrtc/plainrtc/rtcp"
)

// RTCP: every decrypted compound RTCP packet of the corpus (SR, RR, SDES,
// transport-wide CC feedback, REMB, NACK, PLI as the browsers and the
// answerer sent them), taken round-robin: one op is one compound.
//
// pion's rtcp.Unmarshal returns a new []rtcp.Packet of newly allocated
// typed packets; it decodes every TWCC status chunk and receive delta into
// slices. Ours walks the compound with an Iterator and decodes each packet
// into a reused rtcp.Decoder; TransportCC.Unmarshal validates the chunks
// but leaves the deltas as bytes, so to do the same work our side also
// walks every TWCC packet status (Packets()) in the timed loop.

func rtcpTypeName(k rtcp.Kind) string {
	switch k {
	case rtcp.KindSenderReport:
		return "*rtcp.SenderReport"
	case rtcp.KindReceiverReport:
		return "*rtcp.ReceiverReport"
	case rtcp.KindSourceDescription:
		return "*rtcp.SourceDescription"
	case rtcp.KindGoodbye:
		return "*rtcp.Goodbye"
	case rtcp.KindTransportCC:
		return "*rtcp.TransportLayerCC"
	case rtcp.KindREMB:
		return "*rtcp.ReceiverEstimatedMaximumBitrate"
	case rtcp.KindNACK:
		return "*rtcp.TransportLayerNack"
	case rtcp.KindPLI:
		return "*rtcp.PictureLossIndication"
	case rtcp.KindFIR:
		return "*rtcp.FullIntraRequest"
	case rtcp.KindExtendedReport:
		return "*rtcp.ExtendedReport"
	}
	return "raw " + k.String()
}

// pionTWCC expands pion's chunks and deltas into (status, delta in µs).
func pionTWCC(p *prtcp.TransportLayerCC) (statuses []uint16, deltas []int64) {
	for _, c := range p.PacketChunks {
		switch c := c.(type) {
		case *prtcp.RunLengthChunk:
			for range c.RunLength {
				statuses = append(statuses, c.PacketStatusSymbol)
			}
		case *prtcp.StatusVectorChunk:
			statuses = append(statuses, c.SymbolList...)
		}
	}
	statuses = statuses[:p.PacketStatusCount]
	for _, d := range p.RecvDeltas {
		deltas = append(deltas, d.Delta)
	}
	return statuses, deltas
}

// Both decoders split every compound into the same packets of the same
// types, with the same report fields; every TWCC feedback gives the same
// per-packet statuses and receive deltas.
func TestRTCPAgreesWithPion(t *testing.T) {
	c := loadCorpus(t)
	var d rtcp.Decoder
	kinds := map[string]int{}
	for _, in := range c.rtcp {
		where := fmt.Sprintf("%s frame %d", in.session, in.frame)
		pp, err := prtcp.Unmarshal(in.clear)
		if err != nil {
			t.Fatalf("%s: pion: %v", where, err)
		}
		it := rtcp.NewIterator(in.clear)
		var p rtcp.Packet
		i := 0
		for ; it.Next(&p); i++ {
			if _, err := d.Decode(&p); err != nil {
				t.Fatalf("%s packet %d: %v", where, i, err)
			}
			if i >= len(pp) {
				t.Errorf("%s: more packets than pion's %d", where, len(pp))
				break
			}
			name := rtcpTypeName(p.Kind())
			kinds[name]++
			if got := fmt.Sprintf("%T", pp[i]); got != name {
				t.Errorf("%s packet %d: %s, pion %s", where, i, name, got)
				continue
			}
			switch q := pp[i].(type) {
			case *prtcp.SenderReport:
				o := &d.SenderReport
				if o.SSRC != q.SSRC || o.NTPTime != q.NTPTime || o.RTPTime != q.RTPTime ||
					o.PacketCount != q.PacketCount || o.OctetCount != q.OctetCount || len(o.Reports) != len(q.Reports) {
					t.Errorf("%s: SR %+v, pion %+v", where, o, q)
				}
			case *prtcp.ReceiverReport:
				o := &d.ReceiverReport
				if o.SSRC != q.SSRC || len(o.Reports) != len(q.Reports) {
					t.Errorf("%s: RR %+v, pion %+v", where, o, q)
				}
				for k := range o.Reports {
					if o.Reports[k].SSRC != q.Reports[k].SSRC || o.Reports[k].ExtendedHighestSeq != q.Reports[k].LastSequenceNumber || o.Reports[k].LastSR != q.Reports[k].LastSenderReport ||
						o.Reports[k].Jitter != q.Reports[k].Jitter {
						t.Errorf("%s: RR block %d %+v, pion %+v", where, k, o.Reports[k], q.Reports[k])
					}
				}
			case *prtcp.SourceDescription:
				if len(d.SourceDescription.Chunks) != len(q.Chunks) {
					t.Errorf("%s: SDES %d chunks, pion %d", where, len(d.SourceDescription.Chunks), len(q.Chunks))
				}
			case *prtcp.TransportLayerCC:
				o := &d.TransportCC
				if o.MediaSSRC != q.MediaSSRC || o.BaseSeq != q.BaseSequenceNumber || o.StatusCount != q.PacketStatusCount ||
					o.ReferenceTime != q.ReferenceTime || o.FeedbackCount != q.FbPktCount {
					t.Errorf("%s: TWCC header differs", where)
				}
				statuses, deltas := pionTWCC(q)
				tw := o.Packets()
				k, r := 0, 0
				for e, ok := tw.Next(); ok; e, ok = tw.Next() {
					if k >= len(statuses) || uint16(e.Status) != statuses[k] || e.Seq != o.BaseSeq+uint16(k) {
						t.Fatalf("%s: TWCC packet %d status %d seq %d, pion %v", where, k, e.Status, e.Seq, statuses[k:min(k+1, len(statuses))])
					}
					if e.Status != rtcp.TWCCNotReceived {
						if r >= len(deltas) || int64(e.Delta)*250 != deltas[r] {
							t.Fatalf("%s: TWCC delta %d: %d ticks, pion %v µs", where, r, e.Delta, deltas[r:min(r+1, len(deltas))])
						}
						r++
					}
					k++
				}
				if k != len(statuses) || r != len(deltas) {
					t.Errorf("%s: TWCC %d statuses/%d deltas, pion %d/%d", where, k, r, len(statuses), len(deltas))
				}
			case *prtcp.ReceiverEstimatedMaximumBitrate:
				if q.Bitrate != float32(uint64(d.REMB.Mantissa)<<d.REMB.Exp) {
					t.Errorf("%s: REMB %d*2^%d, pion %v", where, d.REMB.Mantissa, d.REMB.Exp, q.Bitrate)
				}
			case *prtcp.TransportLayerNack:
				if len(d.NACK.Pairs) != len(q.Nacks) {
					t.Errorf("%s: NACK %d pairs, pion %d", where, len(d.NACK.Pairs), len(q.Nacks))
				}
			}
		}
		if err := it.Err(); err != nil {
			t.Errorf("%s: %v", where, err)
		}
		if i != len(pp) {
			t.Errorf("%s: %d packets, pion %d", where, i, len(pp))
		}
	}
	t.Logf("%d compounds: %v", len(c.rtcp), kinds)
}

// parseCompound is our side of the benchmark: every packet decoded, every
// TWCC status and delta read.
func parseCompound(it *rtcp.Iterator, d *rtcp.Decoder, b []byte) (n int, err error) {
	it.Reset(b)
	var p rtcp.Packet
	for it.Next(&p) {
		if _, err := d.Decode(&p); err != nil {
			return n, err
		}
		if p.Kind() == rtcp.KindTransportCC {
			tw := d.TransportCC.Packets()
			for e, ok := tw.Next(); ok; e, ok = tw.Next() {
				n += int(e.Delta)
			}
		}
	}
	return n, it.Err()
}

func BenchmarkRTCPCompoundParse(b *testing.B) {
	in := loadCorpus(b).rtcp
	size := meanLen(len(in), func(i int) int { return len(in[i].clear) })
	b.Run("plainrtc", func(b *testing.B) {
		var it rtcp.Iterator
		var d rtcp.Decoder
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			if _, err := parseCompound(&it, &d, in[i%len(in)].clear); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pion", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			if _, err := prtcp.Unmarshal(in[i%len(in)].clear); err != nil {
				b.Fatal(err)
			}
		}
	})
}
