package rtcp

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// A hand-built TWCC packet with all three chunk kinds
// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.3, §3.1.4):
// run-length (3 × small), one-bit vector (R, 12 × N, R), two-bit vector
// (large, small, then unused symbols), seven deltas and two octets of RTCP
// padding as libwebrtc sends them.
const twccAllChunks = `af cd 00 08 | 00000001 | 00000002 |
	0064 0013 | 000102 05 |
	2003 a001 e400 |
	04 01 00 ff 10 fff0 02 | 00 02`

func collect(p *TransportCC) []TWCCPacket {
	var out []TWCCPacket
	it := p.Packets()
	for {
		pk, ok := it.Next()
		if !ok {
			return out
		}
		out = append(out, pk)
	}
}

func TestTWCCDecodeAllChunkKinds(t *testing.T) {
	b := unhex(t, twccAllChunks)
	var p TransportCC
	roundTrip(t, &p, b)
	if p.BaseSeq != 100 || p.StatusCount != 19 || p.ReferenceTime != 0x102 || p.FeedbackCount != 5 {
		t.Fatalf("%+v", p)
	}
	if p.Reference() != 258*64*time.Millisecond {
		t.Fatalf("reference %v", p.Reference())
	}
	if len(p.Padding) != 2 || len(p.Tail) != 0 || len(p.Deltas) != 8 {
		t.Fatalf("padding %x tail %x deltas %x", p.Padding, p.Tail, p.Deltas)
	}
	got := collect(&p)
	want := []TWCCPacket{{100, 1, 4}, {101, 1, 1}, {102, 1, 0}, {103, 1, 255}}
	for s := uint16(104); s <= 115; s++ {
		want = append(want, TWCCPacket{s, TWCCNotReceived, 0})
	}
	want = append(want, TWCCPacket{116, 1, 16}, TWCCPacket{117, 2, -16}, TWCCPacket{118, 1, 2})
	if !slices.Equal(got, want) {
		t.Fatalf("packets\n got %v\nwant %v", got, want)
	}
}

func TestTWCCZeroPaddingWithoutPBit(t *testing.T) {
	// Same content, aligned with zero octets instead of RTCP padding: they
	// land in Tail and come back unchanged.
	b := unhex(t, strings.Replace(twccAllChunks, "af cd", "8f cd", 1))
	b[len(b)-1] = 0
	var p TransportCC
	roundTrip(t, &p, b)
	if len(p.Padding) != 0 || len(p.Tail) != 2 {
		t.Fatalf("padding %x tail %x", p.Padding, p.Tail)
	}
}

func TestTWCCErrors(t *testing.T) {
	for _, tc := range []struct{ name, hex, want string }{
		{"chunks missing", `8f cd 00 04 | 00000001 | 00000002 | 0064 0013 | 000102 05`, "chunks cover 0 of 19"},
		{"deltas missing", `8f cd 00 05 | 00000001 | 00000002 | 0064 0003 | 000102 05 | 2003 0000`, "delta bytes"},
		{"reserved status", `8f cd 00 05 | 00000001 | 00000002 | 0064 0001 | 000102 05 | f000 0000`, "reserved status"},
		{"reserved run", `8f cd 00 05 | 00000001 | 00000002 | 0064 0001 | 000102 05 | 6001 0000`, "reserved status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p TransportCC
			err := p.Unmarshal(unhex(t, tc.hex))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

type obs struct {
	seq uint16
	at  time.Duration
}

func build(t testing.TB, base uint16, o []obs) (TransportCC, []byte) {
	t.Helper()
	var bld TWCCBuilder
	bld.Reset(1, 2, base, 0)
	for _, x := range o {
		if err := bld.Add(x.seq, x.at); err != nil {
			t.Fatalf("Add(%d, %v): %v", x.seq, x.at, err)
		}
	}
	var p TransportCC
	if err := bld.Build(&p); err != nil {
		t.Fatal(err)
	}
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return p, b
}

func TestTWCCBuilderChunkChoice(t *testing.T) {
	ms := time.Millisecond
	var smallRun []obs
	for i := 0; i < 20; i++ {
		smallRun = append(smallRun, obs{uint16(i), 100*ms + time.Duration(i)*ms})
	}
	for _, tc := range []struct {
		name   string
		obs    []obs
		chunks []uint16
		pad    int
	}{
		// All the same: one run-length chunk (S=1, run 3).
		{"run", []obs{{0, 0}, {1, ms}, {2, 2 * ms}}, []uint16{0x2003}, 3},
		// 1 0 0 1 in at most 7 symbols: a two-bit vector.
		{"two-bit", []obs{{0, 0}, {3, ms}}, []uint16{0xd040}, 0},
		// 8 symbols without a large delta: a one-bit vector.
		{"one-bit", []obs{{0, 0}, {7, ms}}, []uint16{0x8000 | 1<<13 | 1<<6}, 0},
		// A large (negative) delta after 7 symbols: the first seven go out
		// as a two-bit vector, the eighth starts a new chunk.
		{"large forces two-bit", []obs{{0, 10 * ms}, {6, 11 * ms}, {7, 9 * ms}},
			[]uint16{0xc000 | 1<<12 | 1, 0x4001}, 0},
		// 20 small, then a loss: the run is emitted when the lost status
		// cannot join it; the rest (lost, small) is a two-bit vector.
		{"long run then loss", append(slices.Clone(smallRun), obs{21, 130 * ms}),
			[]uint16{0x2014, 0xc400}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, b := build(t, tc.obs[0].seq, tc.obs)
			if !slices.Equal(p.Chunks, tc.chunks) {
				t.Fatalf("chunks %04x, want %04x", p.Chunks, tc.chunks)
			}
			if len(p.Padding) != tc.pad || len(b)%4 != 0 {
				t.Fatalf("padding %x, want %d octets (len %d)", p.Padding, tc.pad, len(b))
			}
			var back TransportCC
			roundTrip(t, &back, b)
		})
	}
}

// arrivals reconstructs receive times from a packet: reference time plus
// the running sum of deltas.
func arrivals(p *TransportCC) map[uint16]time.Duration {
	m := map[uint16]time.Duration{}
	t := p.Reference()
	it := p.Packets()
	for pk, ok := it.Next(); ok; pk, ok = it.Next() {
		if pk.Status != TWCCNotReceived {
			t += time.Duration(pk.Delta) * TWCCDeltaTick
			m[pk.Seq] = t
		}
	}
	return m
}

func TestTWCCBuilderRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 300; iter++ {
		base := uint16(r.UintN(65536))
		at := time.Duration(r.Int64N(int64(time.Hour)))
		var o []obs
		seq := base
		for n := 1 + r.IntN(300); n > 0; n-- {
			o = append(o, obs{seq, at})
			seq += 1 + uint16(r.IntN(3)/2*r.IntN(20)) // mostly consecutive, some gaps
			switch r.IntN(10) {
			case 0:
				at -= time.Duration(r.IntN(5000)) * time.Microsecond // reordering in time
			case 1:
				at += time.Duration(r.IntN(200)) * time.Millisecond // large delta
			default:
				at += time.Duration(r.IntN(3000)) * time.Microsecond
			}
		}
		p, b := build(t, base, o)
		var back TransportCC
		roundTrip(t, &back, b)
		if int(back.StatusCount) != int(o[len(o)-1].seq-base)+1 {
			t.Fatalf("status count %d for %d..%d", back.StatusCount, base, o[len(o)-1].seq)
		}
		got := arrivals(&back)
		if len(got) != len(o) {
			t.Fatalf("%d received in feedback, %d observed", len(got), len(o))
		}
		// Times are relative to the 24-bit reference; compare differences
		// to the first packet, which must be within one tick of the truth.
		first := got[o[0].seq]
		for _, x := range o {
			d := (got[x.seq] - first) - (x.at - o[0].at)
			if d < -TWCCDeltaTick || d > TWCCDeltaTick {
				t.Fatalf("seq %d: reconstructed offset off by %v", x.seq, d)
			}
		}
		_ = p
	}
}

func TestTWCCBuilderRejects(t *testing.T) {
	var b TWCCBuilder
	b.Reset(1, 2, 10, 0)
	if err := b.Add(10, 0); err != nil {
		t.Fatal(err)
	}
	if err := b.Add(10, time.Millisecond); err == nil {
		t.Fatal("duplicate sequence accepted")
	}
	if err := b.Add(9, time.Millisecond); err == nil {
		t.Fatal("older sequence accepted")
	}
	if err := b.Add(11, 9*time.Second); err == nil {
		t.Fatal("delta beyond 16 bits accepted")
	}
	if b.Len() != 1 {
		t.Fatalf("rejected adds changed the builder: Len %d", b.Len())
	}
	var p TransportCC
	if err := b.Build(&p); err != nil || p.StatusCount != 1 {
		t.Fatalf("%+v %v", p, err)
	}
	// A negative clock reading still gives a 24-bit reference time.
	b.Reset(1, 2, 0, 0)
	if err := b.Add(0, -64*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := b.Build(&p); err != nil || p.ReferenceTime != 1<<24-1 {
		t.Fatalf("reference %#x for -64 ms: %v", p.ReferenceTime, err)
	}
	var empty TWCCBuilder
	if err := empty.Build(&p); err == nil {
		t.Fatal("empty builder built a packet")
	}
}

// The 24-bit reference time wraps; deltas across the wrap, and backwards
// ones, read as the draft's signed 64 ms multiples.
func TestTWCCReferenceDelta(t *testing.T) {
	for _, tc := range []struct {
		prev, cur uint32
		want      time.Duration
	}{
		{10, 12, 128 * time.Millisecond},
		{12, 10, -128 * time.Millisecond},
		{0xffffff, 1, 128 * time.Millisecond},
		{1, 0xffffff, -128 * time.Millisecond},
		{0, 0x7fffff, 0x7fffff * TWCCReferenceTick},
		{0, 0x800000, -0x800000 * TWCCReferenceTick},
	} {
		prev, cur := TransportCC{ReferenceTime: tc.prev}, TransportCC{ReferenceTime: tc.cur}
		if got := cur.ReferenceDelta(&prev); got != tc.want {
			t.Errorf("%#x -> %#x: %v, want %v", tc.prev, tc.cur, got, tc.want)
		}
	}
}

// A run-length chunk holds at most 8191 statuses (13 bits, draft §3.1.3):
// 16386 small deltas need two full runs and a third of 4.
func TestTWCCBuilderRunLengthMax(t *testing.T) {
	var in []obs
	for i := 0; i < 2*8191+4; i++ {
		in = append(in, obs{uint16(i), time.Duration(i) * time.Millisecond})
	}
	p, b := build(t, 0, in)
	if want := []uint16{0x3fff, 0x3fff, 0x2004}; !slices.Equal(p.Chunks, want) {
		t.Fatalf("chunks %04x, want %04x", p.Chunks, want)
	}
	var back TransportCC
	roundTrip(t, &back, b)
}

// BuildZeroPadded aligns with the draft's zero padding instead of RTCP
// padding: same feedback, P bit clear, and it may precede other packets.
func TestTWCCBuildZeroPadded(t *testing.T) {
	var bld TWCCBuilder
	bld.Reset(1, 2, 100, 7)
	for i, at := range []time.Duration{0, time.Millisecond, 90 * time.Millisecond} {
		if err := bld.Add(100+uint16(2*i), time.Second+at); err != nil {
			t.Fatal(err)
		}
	}
	var padded, zero TransportCC
	if err := bld.Build(&padded); err != nil {
		t.Fatal(err)
	}
	pb, err := padded.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := bld.BuildZeroPadded(&zero); err != nil {
		t.Fatal(err)
	}
	if len(padded.Padding) == 0 || len(zero.Padding) != 0 || len(zero.Tail) != len(padded.Padding) {
		t.Fatalf("padding %x / tail %x, padding %x", padded.Padding, zero.Tail, zero.Padding)
	}
	pli := PLI{SenderSSRC: 1, MediaSSRC: 2}
	b, err := AppendCompound(nil, &ReceiverReport{SSRC: 1}, &zero, &pli)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateCompound(b); err != nil {
		t.Fatal(err)
	}
	it := NewIterator(b)
	var p Packet
	it.Next(&p)
	it.Next(&p)
	if p.Padding || len(p.Raw) != len(pb) {
		t.Fatalf("zero-padded TWCC: P=%v, %d bytes, RTCP-padded %d", p.Padding, len(p.Raw), len(pb))
	}
	var back TransportCC
	roundTrip(t, &back, p.Raw)
	if !maps.Equal(arrivals(&back), arrivals(&padded)) {
		t.Fatalf("arrivals differ: %v vs %v", arrivals(&back), arrivals(&padded))
	}
	for _, z := range back.Tail {
		if z != 0 {
			t.Fatalf("tail %x not zero", back.Tail)
		}
	}
	t.Run("tshark", func(t *testing.T) { TsharkCheckTWCC(t, [][]byte{p.Raw, pb}) })
}
