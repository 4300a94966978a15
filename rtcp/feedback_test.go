package rtcp

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNACKRFC4585(t *testing.T) {
	// RFC 4585 §6.2.1: PID 0x1000, BLP bits 0 and 15 → 0x1001 and 0x1010 lost.
	b := unhex(t, `81 cd 00 03 | 00000001 | 00000002 | 1000 8001`)
	var p NACK
	roundTrip(t, &p, b)
	var lost []uint16
	for _, pr := range p.Pairs {
		pr.ForEach(func(s uint16) { lost = append(lost, s) })
	}
	if !slices.Equal(lost, []uint16{0x1000, 0x1001, 0x1010}) {
		t.Fatalf("lost %x", lost)
	}
	if err := p.Unmarshal(unhex(t, `81 cd 00 02 | 00000001 | 00000002`)); err == nil {
		t.Fatal("NACK without FCI accepted")
	}
}

func TestAppendNACKPairs(t *testing.T) {
	seqs := []uint16{65534, 65535, 0, 15, 16, 17, 40, 40}
	pairs := AppendNACKPairs(nil, seqs)
	// 65534 covers 65535 (bit 0) and 0 (bit 1); 15 is 17 past it, so a new
	// pair starts, covering 16 and 17; 40 starts a third; the repeat is dropped.
	want := []NACKPair{{65534, 0b11}, {15, 0b11}, {40, 0}}
	if !slices.Equal(pairs, want) {
		t.Fatalf("pairs %v, want %v", pairs, want)
	}
	var back []uint16
	for _, p := range pairs {
		p.ForEach(func(s uint16) { back = append(back, s) })
	}
	if !slices.Equal(back, []uint16{65534, 65535, 0, 15, 16, 17, 40}) {
		t.Fatalf("expanded %v", back)
	}
	n := NACK{SenderSSRC: 1, MediaSSRC: 2, Pairs: pairs}
	b, err := n.Marshal()
	if err != nil || len(b) != 12+12 {
		t.Fatalf("%x %v", b, err)
	}
}

func TestPLI(t *testing.T) {
	b := unhex(t, `81 ce 00 02 | 00000001 | 00000002`)
	var p PLI
	roundTrip(t, &p, b)
	if p.SenderSSRC != 1 || p.MediaSSRC != 2 {
		t.Fatalf("%+v", p)
	}
	if err := p.Unmarshal(unhex(t, `81 ce 00 03 | 00000001 | 00000002 | 00000000`)); err == nil {
		t.Fatal("PLI with FCI accepted")
	}
	if err := p.Unmarshal(unhex(t, `82 ce 00 02 | 00000001 | 00000002`)); err == nil || !strings.Contains(err.Error(), "FMT 2") {
		t.Fatalf("SLI parsed as PLI: %v", err)
	}
}

func TestSLI(t *testing.T) {
	// First=1, Number=2, PictureID=3: 1<<19 | 2<<6 | 3.
	b := unhex(t, `82 ce 00 03 | 00000001 | 00000002 | 00080083`)
	var p SLI
	roundTrip(t, &p, b)
	if len(p.Entries) != 1 || p.Entries[0] != (SLIEntry{1, 2, 3}) {
		t.Fatalf("%+v", p.Entries)
	}
}

func TestFIRRFC5104(t *testing.T) {
	// RFC 5104 §4.3.1: media SSRC 0, FCI SSRC 0x0a0b0c0d, seq nr 7.
	want := unhex(t, `84 ce 00 04 | 00000001 | 00000000 | 0a0b0c0d | 07 000000`)
	p := FIR{SenderSSRC: 1, Entries: []FIREntry{{SSRC: 0x0a0b0c0d, SeqNr: 7}}}
	checkMarshal(t, &p, want)
	var back FIR
	roundTrip(t, &back, want)
	if back.Entries[0].SeqNr != 7 || back.Entries[0].SSRC != 0x0a0b0c0d {
		t.Fatalf("%+v", back)
	}
	// Reserved bits are kept.
	roundTrip(t, &back, unhex(t, `84 ce 00 04 | 00000001 | 00000000 | 0a0b0c0d | 07 abcdef`))
	if back.Entries[0].Reserved != 0xabcdef {
		t.Fatalf("reserved %x", back.Entries[0].Reserved)
	}
}

func TestREMB(t *testing.T) {
	// draft-alvestrand-rmcat-remb-03 §2.2: 1 SSRC, exp 3, mantissa 0x1f4 → 4000 bps.
	b := unhex(t, `8f ce 00 05 | 00000001 | 00000000 | 52454d42 | 01 0c 01 f4 | 0000abcd`)
	var p REMB
	roundTrip(t, &p, b)
	if p.Bitrate() != 0x1f4<<3 || !slices.Equal(p.SSRCs, []uint32{0xabcd}) {
		t.Fatalf("%+v bitrate %d", p, p.Bitrate())
	}
	for _, bps := range []uint64{0, 1, 0x3ffff, 0x40000, 1_500_000, 2_000_000_000, 1 << 50, 1<<63 + 1, ^uint64(0)} {
		var q REMB
		q.SetBitrate(bps)
		if q.Mantissa > 0x3ffff {
			t.Fatalf("mantissa %x", q.Mantissa)
		}
		got := q.Bitrate()
		// Truncation loses at most 2^exp - 1.
		if got > bps || bps-got >= 1<<q.Exp {
			t.Fatalf("SetBitrate(%d) → %d (exp %d)", bps, got, q.Exp)
		}
		if q.Exp > 0 && q.Mantissa < 0x20000 {
			t.Fatalf("SetBitrate(%d) did not use the smallest exponent: %d/%x", bps, q.Exp, q.Mantissa)
		}
	}
	// exp 63 with a full mantissa is 2^81-ish: Bitrate saturates.
	var big REMB
	roundTrip(t, &big, unhex(t, `8f ce 00 04 | 00000001 | 00000000 | 52454d42 | 00 ff ff ff`))
	if big.Exp != 63 || big.Mantissa != 0x3ffff || big.Bitrate() != ^uint64(0) {
		t.Fatalf("exp %d mantissa %x bitrate %d", big.Exp, big.Mantissa, big.Bitrate())
	}
	var q REMB
	q.SetBitrate(1_500_000)
	q.SSRCs = []uint32{1, 2}
	out, err := q.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var r REMB
	roundTrip(t, &r, out)
	if r.Bitrate() != q.Bitrate() || len(r.SSRCs) != 2 {
		t.Fatalf("%+v", r)
	}
	for name, h := range map[string]string{
		"bad identifier":   `8f ce 00 05 | 00000001 | 00000000 | 52454d43 | 01 0c 01 f4 | 0000abcd`,
		"num ssrc too big": `8f ce 00 05 | 00000001 | 00000000 | 52454d42 | 02 0c 01 f4 | 0000abcd`,
	} {
		if err := r.Unmarshal(unhex(t, h)); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestExtendedReportRRTRAndDLRR(t *testing.T) {
	// RFC 3611 §4.4 RRTR (BT=4, block length 2) and §4.5 DLRR (BT=5,
	// block length 3 per sub-block), plus an unknown block kept raw.
	b := unhex(t, `80 cf 00 0a | 00000001 |
		04 00 0002 | 0102030405060708 |
		05 00 0003 | 00000002 | 11111111 | 00002000 |
		2a 07 0001 | deadbeef`)
	var p ExtendedReport
	roundTrip(t, &p, b)
	if len(p.Blocks) != 3 {
		t.Fatalf("%d blocks", len(p.Blocks))
	}
	ntp, err := p.Blocks[0].RRTR()
	if err != nil || ntp != 0x0102030405060708 {
		t.Fatalf("RRTR %x %v", ntp, err)
	}
	n, err := p.Blocks[1].DLRRLen()
	if err != nil || n != 1 || p.Blocks[1].DLRR(0) != (DLRRItem{2, 0x11111111, 0x2000}) {
		t.Fatalf("DLRR %d %v %+v", n, err, p.Blocks[1].DLRR(0))
	}
	if _, err := p.Blocks[2].RRTR(); err == nil {
		t.Fatal("unknown block read as RRTR")
	}
	if p.Blocks[2].Type != 42 || p.Blocks[2].TypeSpecific != 7 {
		t.Fatalf("raw block %+v", p.Blocks[2])
	}
	// Builders produce the same bytes.
	var scratch [20]byte
	q := ExtendedReport{SenderSSRC: 1, Blocks: []XRBlock{
		NewRRTRBlock(0x0102030405060708, scratch[:8]),
		NewDLRRBlock([]DLRRItem{{2, 0x11111111, 0x2000}}, scratch[8:]),
		{Type: 42, TypeSpecific: 7, Body: unhex(t, "deadbeef")},
	}}
	checkMarshal(t, &q, b)
	if err := p.Unmarshal(unhex(t, `80 cf 00 03 | 00000001 | 04 00 0002 | 01020304`)); err == nil {
		t.Fatal("block length beyond packet accepted")
	}
}

func TestCCFeedbackRFC8888(t *testing.T) {
	// RFC 8888 §3.1: one stream, begin_seq 100, 3 reports (odd → 2 bytes of
	// zero padding), then the report timestamp.
	b := unhex(t, `8b cd 00 06 | 00000001 |
		0000abcd | 0064 0003 |
		8400 0000 | e3ff 0000 |
		12345678`)
	var p CCFeedback
	roundTrip(t, &p, b)
	if len(p.Blocks) != 1 || p.ReportTimestamp != 0x12345678 {
		t.Fatalf("%+v", p)
	}
	blk := &p.Blocks[0]
	if blk.SSRC != 0xabcd || blk.BeginSeq != 100 || blk.NumReports() != 3 {
		t.Fatalf("%+v", blk)
	}
	want := []CCMetric{{true, 0, 0x400}, {false, 0, 0}, {true, 3, 0x3ff}}
	for i, w := range want {
		if got := blk.Metric(i); got != w {
			t.Fatalf("metric %d = %+v, want %+v", i, got, w)
		}
	}
	q := CCFeedback{SenderSSRC: 1, ReportTimestamp: 0x12345678,
		Blocks: []CCFeedbackBlock{NewCCFeedbackBlock(0xabcd, 100, want, nil)}}
	checkMarshal(t, &q, b)
	if err := p.Unmarshal(unhex(t, `8b cd 00 04 | 00000001 | 0000abcd | 0064 0009 | 12345678`)); err == nil {
		t.Fatal("num_reports beyond packet accepted")
	}
	// "The value of num_reports MAY be 0, indicating that there are no
	// packet metric blocks included for that SSRC": a bare 8-byte block,
	// followed here by a second block with one (padded) metric.
	b = unhex(t, `8b cd 00 07 | 00000001 | 0000abcd | 0064 0000 | 0000abce | 0010 0001 | 8400 0000 | 12345678`)
	roundTrip(t, &p, b)
	if len(p.Blocks) != 2 || p.Blocks[0].NumReports() != 0 || len(p.Blocks[0].Metrics) != 0 ||
		p.Blocks[1].SSRC != 0xabce || p.Blocks[1].NumReports() != 1 || !p.Blocks[1].Metric(0).Received {
		t.Fatalf("%+v", p.Blocks)
	}
	q.Blocks = []CCFeedbackBlock{NewCCFeedbackBlock(0xabcd, 100, nil, nil), NewCCFeedbackBlock(0xabce, 16, []CCMetric{{Received: true, ATO: 0x400}}, nil)}
	checkMarshal(t, &q, b)
}

// The XR block builders take a too-small (or nil) buffer without
// panicking, as NewCCFeedbackBlock does: they allocate instead.
func TestXRBlockBuildersShortBuffer(t *testing.T) {
	r := NewRRTRBlock(0x0102030405060708, nil)
	if ntp, err := r.RRTR(); err != nil || ntp != 0x0102030405060708 {
		t.Fatalf("RRTR %x %v", ntp, err)
	}
	items := []DLRRItem{{1, 2, 3}, {4, 5, 6}}
	d := NewDLRRBlock(items, make([]byte, 12))
	if n, err := d.DLRRLen(); err != nil || n != 2 || d.DLRR(1) != items[1] {
		t.Fatalf("DLRR %d %v", n, err)
	}
	buf := make([]byte, 0, 64)
	if d := NewDLRRBlock(items, buf); &d.Body[0] != &buf[:1][0] {
		t.Fatal("DLRR builder did not reuse a large enough buffer")
	}
}

// RFC 8888 §3.1: at most 16384 metric blocks per report block (a quarter
// of the sequence space) when sending.
func TestCCFeedbackMaxReports(t *testing.T) {
	for _, n := range []int{16384, 16385} {
		p := CCFeedback{Blocks: []CCFeedbackBlock{NewCCFeedbackBlock(1, 0, make([]CCMetric, n), nil)}}
		b, err := p.Marshal()
		if n <= 16384 {
			if err != nil {
				t.Fatalf("%d reports: %v", n, err)
			}
			var back CCFeedback
			roundTrip(t, &back, b)
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "at most 16384") {
			t.Fatalf("%d reports: err = %v", n, err)
		}
		// A received block that large is refused too, as it could not be
		// marshalled back.
		ok := CCFeedback{Blocks: []CCFeedbackBlock{NewCCFeedbackBlock(1, 0, make([]CCMetric, 16384), nil)}}
		b, err = ok.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		b = append(b[:len(b)-4], 0, 0, 0, 0, 0, 0, 0, 0) // one more metric, its padding, the timestamp
		b[2], b[3] = byte((len(b)/4-1)>>8), byte(len(b)/4-1)
		b[14], b[15] = 0x40, 0x01
		var back CCFeedback
		if err := back.Unmarshal(b); err == nil || !strings.Contains(err.Error(), "at most 16384") {
			t.Fatalf("parsing %d reports: err = %v", n, err)
		}
	}
}

// RFC 8888 §3.1 ATO encoding: 1/1024 s units, 0x1FFE above 8189/1024 s,
// 0x1FFF for an arrival after the report timestamp.
func TestCCArrivalOffset(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want uint16
	}{
		// 1/1024 s is 976562.5 ns: a Duration lands just below or above.
		{0, 0}, {time.Second / 2, 512}, {time.Second / 1024, 0}, {time.Second/1024 + 1, 1},
		{8188 * time.Second / 1024, 0x1ffc}, {8189 * time.Second / 1024, 0x1ffc},
		{8189*time.Second/1024 + 1, 0x1ffe}, {time.Hour, 0x1ffe}, {1<<63 - 1, 0x1ffe},
		{-1, 0x1fff},
	} {
		if got := CCArrivalOffset(tc.d); got != tc.want {
			t.Errorf("CCArrivalOffset(%v) = %#x, want %#x", tc.d, got, tc.want)
		}
	}
}
