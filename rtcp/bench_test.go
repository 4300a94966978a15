package rtcp

import (
	"testing"
	"time"
)

// Corpus-like compounds: what Chromium sends every second or so (SR +
// SDES CNAME) and an RR followed by transport-cc feedback.
func benchCompounds(b testing.TB) (srSDESPkt, rrTWCC []byte) {
	srSDESPkt = unhex(b, `80 c8 00 06 | 5ffb4e27 | eb0a42d0 9a1cac08 | 6b4d3c2a | 0000012c | 0001d4c0 |
		81 ca 00 06 | 5ffb4e27 | 01 10 51 4b 59 63 4a 33 30 73 36 6d 50 69 59 55 56 38 | 00 00`)
	var bld TWCCBuilder
	bld.Reset(1, 0x5ffb4e27, 1000, 3)
	at := 5 * time.Second
	for i := 0; i < 40; i++ {
		if i%13 != 5 {
			_ = bld.Add(1000+uint16(i), at)
		}
		at += time.Duration(900+i*37%600) * time.Microsecond
	}
	var tw TransportCC
	if err := bld.Build(&tw); err != nil {
		b.Fatal(err)
	}
	rr := ReceiverReport{SSRC: 1, Reports: []ReceptionReport{{SSRC: 0x5ffb4e27, ExtendedHighestSeq: 1040, Jitter: 12}}}
	var err error
	rrTWCC, err = AppendCompound(nil, &rr, &tw)
	if err != nil {
		b.Fatal(err)
	}
	return srSDESPkt, rrTWCC
}

func benchParse(b *testing.B, pkt []byte) {
	var d Decoder
	var p Packet
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	for b.Loop() {
		it := NewIterator(pkt)
		for it.Next(&p) {
			if _, err := d.Decode(&p); err != nil {
				b.Fatal(err)
			}
			if p.Kind() == KindTransportCC {
				tit := d.TransportCC.Packets()
				for _, ok := tit.Next(); ok; _, ok = tit.Next() {
				}
			}
		}
		if it.Err() != nil {
			b.Fatal(it.Err())
		}
	}
}

// BenchmarkParseCompound decodes every packet of a compound (and, for
// TWCC, iterates every reported packet).
func BenchmarkParseCompound(b *testing.B) {
	sr, rr := benchCompounds(b)
	b.Run("SR+SDES", func(b *testing.B) { benchParse(b, sr) })
	b.Run("RR+TWCC", func(b *testing.B) { benchParse(b, rr) })
}

// BenchmarkIterate walks headers only (what a router does to demux).
func BenchmarkIterate(b *testing.B) {
	_, rr := benchCompounds(b)
	var p Packet
	b.ReportAllocs()
	for b.Loop() {
		it := NewIterator(rr)
		for it.Next(&p) {
			_ = p.Kind()
		}
	}
}

func BenchmarkMarshal(b *testing.B) {
	sr, rr := benchCompounds(b)
	for _, c := range []struct {
		name string
		pkt  []byte
	}{{"SR+SDES", sr}, {"RR+TWCC", rr}} {
		var ms []Marshaler
		it := NewIterator(c.pkt)
		var p Packet
		for it.Next(&p) {
			var fresh Decoder
			m, err := fresh.Decode(&p)
			if err != nil {
				b.Fatal(err)
			}
			ms = append(ms, m)
		}
		buf := make([]byte, 0, 1500)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out := buf[:0]
				for _, m := range ms {
					n, err := m.MarshalTo(out[len(out):cap(out)])
					if err != nil {
						b.Fatal(err)
					}
					out = out[:len(out)+n]
				}
			}
		})
	}
}

// BenchmarkTWCCBuild builds feedback for 100 packets with a few losses.
func BenchmarkTWCCBuild(b *testing.B) {
	var bld TWCCBuilder
	var p TransportCC
	buf := make([]byte, 1500)
	b.ReportAllocs()
	for b.Loop() {
		bld.Reset(1, 2, 500, 0)
		at := time.Second
		for i := 0; i < 100; i++ {
			if i%17 != 3 {
				if err := bld.Add(500+uint16(i), at); err != nil {
					b.Fatal(err)
				}
			}
			at += time.Duration(700+i*53%900) * time.Microsecond
		}
		if err := bld.Build(&p); err != nil {
			b.Fatal(err)
		}
		if _, err := p.MarshalTo(buf); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSteadyStateAllocatesNothing: once a Decoder's slices have grown,
// parsing the compounds again allocates nothing (AllocsPerRun counts
// allocations, it does not time anything).
func TestSteadyStateAllocatesNothing(t *testing.T) {
	sr, rr := benchCompounds(t)
	var d Decoder
	var p Packet
	run := func() {
		for _, pkt := range [][]byte{sr, rr} {
			it := NewIterator(pkt)
			for it.Next(&p) {
				if _, err := d.Decode(&p); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if n := testing.AllocsPerRun(100, run); n != 0 {
		t.Fatalf("%v allocations per parse", n)
	}
	var bld TWCCBuilder
	var tw TransportCC
	build := func() {
		bld.Reset(1, 2, 0, 0)
		for i := 0; i < 50; i++ {
			_ = bld.Add(uint16(i*2), time.Duration(i)*time.Millisecond)
		}
		_ = bld.Build(&tw)
	}
	if n := testing.AllocsPerRun(100, build); n != 0 {
		t.Fatalf("%v allocations per TWCC build", n)
	}
}

// BenchmarkBuildSenderReports builds what an SFU sends a subscriber each
// interval: SR + SDES CNAME for each of three outgoing streams, into one
// reused buffer.
func BenchmarkBuildSenderReports(b *testing.B) {
	buf := make([]byte, 0, 1500)
	cname := []byte("QKYcJ30s6mPiYUV8")
	now := time.Unix(1700000000, 123456789)
	var sr SenderReport
	var sdes SourceDescription
	b.ReportAllocs()
	for b.Loop() {
		out := buf[:0]
		for ssrc := uint32(1); ssrc <= 3; ssrc++ {
			sr = SenderReport{SSRC: ssrc, NTPTime: NTPTime(now), RTPTime: 90000, PacketCount: 300, OctetCount: 300000}
			sdes.Reset()
			sdes.AddCNAME(ssrc, cname)
			var err error
			if out, err = AppendCompound(out, &sr, &sdes); err != nil {
				b.Fatal(err)
			}
		}
	}
}
