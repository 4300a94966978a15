package rtcp

import (
	"strings"
	"testing"
)

// An SR with one report block, field by field from RFC 3550 §6.4.1.
const srOneBlock = `81 c8 00 0c
	902f9e2e
	da8bd1fc dddddddd
	00 01 e2 40
	00 00 00 64
	00 00 3e 80
	bc5e9a40
	05 ff ff fe
	00 00 46 e1
	00 00 01 d8
	a1 b2 c3 d4
	00 01 80 00`

func TestSenderReportRFC3550Figure(t *testing.T) {
	b := unhex(t, srOneBlock)
	var sr SenderReport
	roundTrip(t, &sr, b)
	if sr.SSRC != 0x902f9e2e || sr.NTPTime != 0xda8bd1fcdddddddd || sr.RTPTime != 123456 ||
		sr.PacketCount != 100 || sr.OctetCount != 16000 {
		t.Fatalf("sender info %+v", sr)
	}
	if len(sr.Reports) != 1 {
		t.Fatalf("%d reports, want 1", len(sr.Reports))
	}
	r := sr.Reports[0]
	want := ReceptionReport{SSRC: 0xbc5e9a40, FractionLost: 5, TotalLost: -2, ExtendedHighestSeq: 0x46e1,
		Jitter: 472, LastSR: 0xa1b2c3d4, DelaySinceLastSR: 0x18000}
	if r != want {
		t.Fatalf("report %+v, want %+v", r, want)
	}
	if sr.ProfileExtensions == nil || len(sr.ProfileExtensions) != 0 || sr.Padding != nil {
		t.Fatalf("extensions %x padding %x", sr.ProfileExtensions, sr.Padding)
	}
}

func TestSenderReportProfileExtensionAndPadding(t *testing.T) {
	// SR, RC=0, one word of profile extension and 4 octets of padding.
	b := unhex(t, `a0 c8 00 08 | 00000001 | 0000000200000003 | 00000004 | 00000005 | 00000006 | cafebabe | 00 00 00 04`)
	var sr SenderReport
	roundTrip(t, &sr, b)
	if string(sr.ProfileExtensions) != "\xca\xfe\xba\xbe" || len(sr.Padding) != 4 {
		t.Fatalf("extensions %x padding %x", sr.ProfileExtensions, sr.Padding)
	}
}

func TestReceiverReportRFC3550Figure(t *testing.T) {
	b := unhex(t, `81 c9 00 07 | 00000001 | 00000002 | 80 000001 | 0000ffff | 00000010 | 00000000 | 00000000`)
	var rr ReceiverReport
	roundTrip(t, &rr, b)
	if rr.SSRC != 1 || len(rr.Reports) != 1 || rr.Reports[0].FractionLost != 0x80 || rr.Reports[0].TotalLost != 1 {
		t.Fatalf("%+v", rr)
	}
	// An empty RR (RC=0) is what a compound starts with when nothing was received.
	roundTrip(t, &rr, unhex(t, `80 c9 00 01 | 00000001`))
	if len(rr.Reports) != 0 {
		t.Fatalf("reports left from the previous Unmarshal: %d", len(rr.Reports))
	}
}

func TestReportErrors(t *testing.T) {
	for _, tc := range []struct{ name, hex, want string }{
		{"version 1", `41 c9 00 01 00000001`, "version 1"},
		{"length too long", `80 c9 00 02 00000001`, "length field"},
		{"RC beyond length", `82 c9 00 07 | 00000001 | 00000002 | 80 000001 | 0000ffff | 00000010 | 00000000 | 00000000`, "report blocks"},
		{"padding count zero", `a0 c9 00 01 00000000`, "padding count 0"},
		{"padding past header", `a0 c9 00 01 00000009`, "padding count 9"},
		{"wrong type", `80 c8 00 01 00000001`, "packet type 200"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rr ReceiverReport
			err := rr.Unmarshal(unhex(t, tc.hex))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestReportBuilderLimits(t *testing.T) {
	rr := ReceiverReport{SSRC: 7, Reports: make([]ReceptionReport, 32)}
	if _, err := rr.Marshal(); err == nil {
		t.Fatal("32 report blocks marshalled")
	}
	rr.Reports = rr.Reports[:31]
	b, err := rr.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if b[0]&0x1f != 31 || len(b) != 8+31*24 {
		t.Fatalf("RC %d len %d", b[0]&0x1f, len(b))
	}
	rr.Padding = []byte{0, 0, 3}
	if _, err := rr.Marshal(); err == nil {
		t.Fatal("padding whose count octet disagrees marshalled")
	}
	rr.Padding = []byte{0, 0, 0, 4}
	if b, err = rr.Marshal(); err != nil || b[0]&0x20 == 0 {
		t.Fatalf("padded RR: %x %v", b, err)
	}
}

func TestReceptionReportNegativeLoss(t *testing.T) {
	for _, lost := range []int32{0, 1, -1, 0x7fffff, -0x800000} {
		rr := ReceiverReport{Reports: []ReceptionReport{{TotalLost: lost}}}
		b, err := rr.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		var back ReceiverReport
		if err := back.Unmarshal(b); err != nil {
			t.Fatal(err)
		}
		if back.Reports[0].TotalLost != lost {
			t.Fatalf("lost %d came back as %d", lost, back.Reports[0].TotalLost)
		}
	}
}

// RFC 3550 Appendix A.3: a cumulative loss outside 24 bits is clamped, not
// wrapped (0x1000000 would otherwise go out as 0, -0x800001 as +0x7fffff).
func TestReceptionReportLossClamped(t *testing.T) {
	for _, tc := range []struct{ lost, want int32 }{
		{0x1000000, 0x7fffff}, {0x800000, 0x7fffff}, {-0x800001, -0x800000}, {-0x7fffffff, -0x800000},
	} {
		rr := ReceiverReport{Reports: []ReceptionReport{{TotalLost: tc.lost}}}
		b, err := rr.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		var back ReceiverReport
		if err := back.Unmarshal(b); err != nil {
			t.Fatal(err)
		}
		if back.Reports[0].TotalLost != tc.want {
			t.Errorf("lost %d went out as %d, want %d", tc.lost, back.Reports[0].TotalLost, tc.want)
		}
	}
}

// RFC 3550 §6.1: more than 31 report blocks go into additional RRs.
func TestAppendReceiverReports(t *testing.T) {
	for _, n := range []int{0, 1, 31, 32, 62, 63} {
		reports := make([]ReceptionReport, n)
		for i := range reports {
			reports[i] = ReceptionReport{SSRC: uint32(100 + i), ExtendedHighestSeq: uint32(i)}
		}
		buf := make([]byte, 0, 4096)
		b, err := AppendReceiverReports(buf, 9, reports)
		if err != nil {
			t.Fatal(err)
		}
		if err := ValidateCompound(b); err != nil {
			t.Fatalf("%d blocks: %v", n, err)
		}
		var got []uint32
		packets := 0
		it := NewIterator(b)
		var p Packet
		var rr ReceiverReport
		for it.Next(&p) {
			packets++
			if err := rr.Unmarshal(p.Raw); err != nil || rr.SSRC != 9 {
				t.Fatalf("%d blocks, packet %d: %v %+v", n, packets, err, rr)
			}
			for _, r := range rr.Reports {
				got = append(got, r.SSRC)
			}
		}
		if want := max(1, (n+30)/31); packets != want || len(got) != n {
			t.Fatalf("%d blocks: %d RRs with %d blocks, want %d RRs", n, packets, len(got), want)
		}
		for i, s := range got {
			if s != uint32(100+i) {
				t.Fatalf("%d blocks: block %d is SSRC %d", n, i, s)
			}
		}
		if a := testing.AllocsPerRun(20, func() { _, _ = AppendReceiverReports(buf, 9, reports) }); a != 0 {
			t.Fatalf("%d blocks: %v allocations", n, a)
		}
	}
}
