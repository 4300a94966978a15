package rtcp

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// A browser-like full compound: SR (no blocks) + SDES CNAME.
const srSDES = `80 c8 00 06 | 00000001 | 0000000200000003 | 00000004 | 00000005 | 00000006 |
	81 ca 00 03 | 00000001 | 01 02 6869 | 00000000`

func kinds(t *testing.T, b []byte) ([]Kind, error) {
	t.Helper()
	var ks []Kind
	it := NewIterator(b)
	var p Packet
	for it.Next(&p) {
		ks = append(ks, p.Kind())
	}
	return ks, it.Err()
}

func TestIteratorKinds(t *testing.T) {
	b := unhex(t, srSDES+`| 81 cd 00 03 | 00000001 | 00000002 | 1000 8001`+
		`| 81 ce 00 02 | 00000001 | 00000002`+
		`| 8f ce 00 05 | 00000001 | 00000000 | 52454d42 | 01 0c 01 f4 | 0000abcd`+
		`| 8f ce 00 03 | 00000001 | 00000000 | 41424344`+ // app-layer FB that is not REMB
		`| 85 cd 00 02 | 00000001 | 00000002`+ // RTPFB FMT 5 (RTCP-SR-REQ, RFC 6051): raw
		`| 80 d0 00 00`+ // PT 208: raw
		`| 8f cd 00 04 | 00000001 | 00000002 | 0064 0000 | 000102 05`+
		`| 8b cd 00 02 | 00000001 | 12345678`+
		`| 80 cf 00 01 | 00000001`)
	got, err := kinds(t, b)
	if err != nil {
		t.Fatal(err)
	}
	want := []Kind{KindSenderReport, KindSourceDescription, KindNACK, KindPLI, KindREMB, KindRaw, KindRaw, KindRaw,
		KindTransportCC, KindCCFeedback, KindExtendedReport}
	if len(got) != len(want) {
		t.Fatalf("kinds %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("packet %d: %v, want %v", i, got[i], want[i])
		}
	}
	// Every packet decodes and the compound re-encodes to the same bytes.
	var d Decoder
	var out []byte
	it := NewIterator(b)
	var p Packet
	for it.Next(&p) {
		m, err := d.Decode(&p)
		if err != nil {
			t.Fatalf("%v: %v", p.Kind(), err)
		}
		if out, err = AppendCompound(out, m); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(out, b) {
		t.Fatalf("compound round trip differs\n got %x\nwant %x", out, b)
	}
}

func TestIteratorErrors(t *testing.T) {
	for _, tc := range []struct{ name, hex, want string }{
		{"truncated header", `80 c9 00`, "needs 4 bytes"},
		{"length past end", `80 c9 00 01 | 00000001 | 80 c9 00 05 | 00000001`, "offset 8"},
		{"bad version second", `80 c9 00 01 | 00000001 | 40 c9 00 01 | 00000001`, "version 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kinds(t, unhex(t, tc.hex))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestValidateCompound(t *testing.T) {
	twcc := `8f cd 00 04 | 00000001 | 00000002 | 0064 0000 | 000102 05`
	for _, tc := range []struct {
		name           string
		hex            string
		strict, reduce string // "" means valid, else a substring of the error
	}{
		{"SR+SDES", srSDES, "", ""},
		{"RR alone", `80 c9 00 01 | 00000001`, "", ""},
		{"TWCC alone", twcc, "want SR or RR", ""},
		{"RR then padded TWCC", `80 c9 00 01 | 00000001 | af cd 00 05 | 00000001 | 00000002 | 0064 0000 | 000102 05 | 00000004`, "", ""},
		{"padded TWCC first", `af cd 00 05 | 00000001 | 00000002 | 0064 0000 | 000102 05 | 00000004 | 80 c9 00 01 | 00000001`, "want SR or RR", "not the last"},
		{"padding on RR first", `a0 c9 00 02 | 00000001 | 00000004 | 80 c9 00 01 | 00000001`, "not the last", "not the last"},
		{"bad padding count", `a0 c9 00 02 | 00000001 | 00000009`, "first packet", "padding count 9"},
		{"padded RR alone", `a0 c9 00 02 | 00000001 | 00000004`, "first packet", ""},
		{"lengths short of total", `80 c9 00 01 | 00000001 | 00`, "needs 4 bytes", "needs 4 bytes"},
		{"empty", ``, "empty", "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := unhex(t, tc.hex)
			check := func(mode string, err error, want string) {
				if want == "" && err != nil {
					t.Fatalf("%s: unexpected error %v", mode, err)
				}
				if want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
					t.Fatalf("%s: err = %v, want %q", mode, err, want)
				}
			}
			check("compound", ValidateCompound(b), tc.strict)
			check("reduced-size", ValidateReducedSize(b), tc.reduce)
		})
	}
}

// RFC 3550 §6.4.1: padding only on the last packet of a compound. A padded
// packet (TWCCBuilder output) may end a compound but not precede another.
func TestAppendCompoundPaddingOnlyLast(t *testing.T) {
	var bld TWCCBuilder
	bld.Reset(1, 2, 100, 0)
	if err := bld.Add(100, time.Second); err != nil {
		t.Fatal(err)
	}
	var tw TransportCC
	if err := bld.Build(&tw); err != nil {
		t.Fatal(err)
	}
	if len(tw.Padding) == 0 {
		t.Fatal("test needs a padded TWCC packet")
	}
	rr := ReceiverReport{SSRC: 1}
	pli := PLI{SenderSSRC: 1, MediaSSRC: 2}
	prefix := []byte{0xee}
	b, err := AppendCompound(prefix, &rr, &tw)
	if err != nil {
		t.Fatalf("RR+TWCC: %v", err)
	}
	if err := ValidateCompound(b[1:]); err != nil {
		t.Fatalf("RR+TWCC does not validate: %v", err)
	}
	b, err = AppendCompound(prefix, &rr, &tw, &pli)
	if err == nil || !strings.Contains(err.Error(), "not the last") {
		t.Fatalf("RR+TWCC+PLI: err = %v, want padding rejected", err)
	}
	if !bytes.Equal(b, prefix) {
		t.Fatalf("failed append returned %x, want dst unchanged %x", b, prefix)
	}
}

// What an SFU sends per outgoing stream every interval, SR + SDES built
// with AppendCompound into a reused buffer, allocates nothing.
func TestAppendCompoundAllocatesNothing(t *testing.T) {
	buf := make([]byte, 0, 1500)
	cname := []byte("sfu-cname")
	var sr SenderReport
	var sdes SourceDescription
	n := testing.AllocsPerRun(100, func() {
		b := buf[:0]
		for ssrc := uint32(1); ssrc <= 3; ssrc++ {
			sr = SenderReport{SSRC: ssrc, NTPTime: NTPTime(time.Unix(1700000000, 0)), PacketCount: 10}
			sdes.Reset()
			sdes.AddCNAME(ssrc, cname)
			var err error
			if b, err = AppendCompound(b, &sr, &sdes); err != nil {
				t.Fatal(err)
			}
		}
		if err := ValidateCompound(b); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Fatalf("%v allocations per report", n)
	}
}
