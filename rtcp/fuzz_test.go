package rtcp

import (
	"bytes"
	"testing"
	"time"
)

// fuzzSeeds are hand-built packets of every kind (from the other tests).
var fuzzSeeds = []string{
	srOneBlock, srSDES, twccAllChunks,
	`80 c9 00 01 | 00000001`,
	`81 c9 00 07 | 00000001 | 00000002 | 80 000001 | 0000ffff | 00000010 | 00000000 | 00000000`,
	`82 ca 00 07 | 00000001 | 01 01 61 | 06 02 7878 | 00 | 00000002 | 0c 01 30 | 08 03 01 70 71 | 00 00 00 00`,
	`82 cb 00 03 | 00000001 | 00000002 | 03 627965`,
	`85 cc 00 03 | 00000007 | 51 4e 41 4d | 01020304`,
	`81 cd 00 03 | 00000001 | 00000002 | 1000 8001`,
	`81 ce 00 02 | 00000001 | 00000002`,
	`82 ce 00 03 | 00000001 | 00000002 | 00080083`,
	`84 ce 00 04 | 00000001 | 00000000 | 0a0b0c0d | 07 000000`,
	`8f ce 00 05 | 00000001 | 00000000 | 52454d42 | 01 0c 01 f4 | 0000abcd`,
	`80 cf 00 0a | 00000001 | 04 00 0002 | 0102030405060708 | 05 00 0003 | 00000002 | 11111111 | 00002000 | 2a 07 0001 | deadbeef`,
	`8b cd 00 06 | 00000001 | 0000abcd | 0064 0003 | 8400 0000 | e3ff 0000 | 12345678`,
	`80 c9 00 01 | 00000001 | af cd 00 05 | 00000001 | 00000002 | 0064 0000 | 000102 05 | 00000004`,
	`80 d0 00 00`,
	tmmbrOne,
	`84 cd 00 02 | 00000001 | 00000000`,
}

func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(unhex(f, s))
	}
}

// FuzzCompound walks arbitrary input with the Iterator, validates it both
// ways, and decodes every packet: nothing may panic, and every packet that
// decodes must marshal back to its exact bytes.
func FuzzCompound(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = ValidateCompound(b)
		_ = ValidateReducedSize(b)
		var d Decoder
		it := NewIterator(b)
		var p Packet
		for it.Next(&p) {
			m, err := d.Decode(&p)
			if err != nil {
				continue
			}
			out := make([]byte, m.MarshalSize())
			n, err := m.MarshalTo(out)
			if err != nil {
				t.Fatalf("%v decoded but does not marshal: %v\n%x", p.Kind(), err, p.Raw)
			}
			if !bytes.Equal(out[:n], p.Raw) {
				t.Fatalf("%v does not round-trip\n got %x\nwant %x", p.Kind(), out[:n], p.Raw)
			}
			if p.Kind() == KindTransportCC {
				checkTWCCIteration(t, &d.TransportCC)
			}
		}
	})
}

func checkTWCCIteration(t *testing.T, p *TransportCC) {
	n, deltaBytes := 0, 0
	it := p.Packets()
	for pk, ok := it.Next(); ok; pk, ok = it.Next() {
		if pk.Seq != p.BaseSeq+uint16(n) {
			t.Fatalf("packet %d has seq %d, base %d", n, pk.Seq, p.BaseSeq)
		}
		deltaBytes += int(pk.Status)
		n++
	}
	if n != int(p.StatusCount) || deltaBytes != len(p.Deltas) {
		t.Fatalf("iterated %d packets and %d delta bytes; status count %d, %d delta bytes", n, deltaBytes, p.StatusCount, len(p.Deltas))
	}
}

// fuzzType checks one type's Unmarshal on arbitrary input: no panic, and a
// successful Unmarshal marshals back to the input.
func fuzzType(f *testing.F, m codec) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := m.Unmarshal(b); err != nil {
			return
		}
		out := make([]byte, m.MarshalSize())
		n, err := m.MarshalTo(out)
		if err != nil || !bytes.Equal(out[:n], b) {
			t.Fatalf("round trip: %v\n got %x\nwant %x", err, out[:n], b)
		}
	})
}

func FuzzSenderReport(f *testing.F)       { fuzzType(f, &SenderReport{}) }
func FuzzReceiverReport(f *testing.F)     { fuzzType(f, &ReceiverReport{}) }
func FuzzSourceDescription(f *testing.F)  { fuzzType(f, &SourceDescription{}) }
func FuzzGoodbye(f *testing.F)            { fuzzType(f, &Goodbye{}) }
func FuzzApplicationDefined(f *testing.F) { fuzzType(f, &ApplicationDefined{}) }
func FuzzNACK(f *testing.F)               { fuzzType(f, &NACK{}) }
func FuzzPLI(f *testing.F)                { fuzzType(f, &PLI{}) }
func FuzzSLI(f *testing.F)                { fuzzType(f, &SLI{}) }
func FuzzFIR(f *testing.F)                { fuzzType(f, &FIR{}) }
func FuzzREMB(f *testing.F)               { fuzzType(f, &REMB{}) }
func FuzzCCFeedback(f *testing.F)         { fuzzType(f, &CCFeedback{}) }
func FuzzExtendedReport(f *testing.F)     { fuzzType(f, &ExtendedReport{}) }
func FuzzRawPacket(f *testing.F)          { fuzzType(f, &RawPacket{}) }
func FuzzTMMBR(f *testing.F)              { fuzzType(f, &TMMBR{}) }
func FuzzTMMBN(f *testing.F)              { fuzzType(f, &TMMBN{}) }

func FuzzTransportCC(f *testing.F) {
	addSeeds(f)
	var p TransportCC
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := p.Unmarshal(b); err != nil {
			return
		}
		checkTWCCIteration(t, &p)
		out, err := p.Marshal()
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("round trip: %v\n got %x\nwant %x", err, out, b)
		}
	})
}

// FuzzTWCCBuilder drives the builder with arbitrary observations (two bytes
// of sequence step and two of time step each): whatever it accepts must
// decode to the same received set, with times within a tick.
func FuzzTWCCBuilder(f *testing.F) {
	f.Add(uint16(100), []byte{0, 1, 0, 4, 0, 1, 0, 8, 0, 3, 0x80, 0})
	f.Add(uint16(65530), []byte{0, 1, 0xff, 0xff, 0, 20, 0, 1, 0, 1, 0x7f, 0xff})
	f.Fuzz(func(t *testing.T, base uint16, steps []byte) {
		var b TWCCBuilder
		b.Reset(1, 2, base, 9)
		seq, at := base, time.Duration(0)
		type o struct {
			seq uint16
			at  time.Duration
		}
		var added []o
		for i := 0; i+4 <= len(steps); i += 4 {
			if i > 0 {
				seq += uint16(steps[i])<<8 | uint16(steps[i+1])
				at += time.Duration(int16(uint16(steps[i+2])<<8|uint16(steps[i+3]))) * 10 * time.Microsecond
			}
			if b.Add(seq, at) == nil {
				added = append(added, o{seq, at})
			}
		}
		var p TransportCC
		if err := b.Build(&p); err != nil {
			if len(added) != 0 {
				t.Fatalf("Build after %d adds: %v", len(added), err)
			}
			return
		}
		raw, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		var back TransportCC
		if err := back.Unmarshal(raw); err != nil {
			t.Fatalf("built packet does not parse: %v\n%x", err, raw)
		}
		got := arrivals(&back)
		if len(got) != len(added) {
			t.Fatalf("%d received in feedback, %d added", len(got), len(added))
		}
		for _, x := range added {
			d := (got[x.seq] - got[added[0].seq]) - (x.at - added[0].at)
			if d < -TWCCDeltaTick || d > TWCCDeltaTick {
				t.Fatalf("seq %d off by %v", x.seq, d)
			}
		}
	})
}
