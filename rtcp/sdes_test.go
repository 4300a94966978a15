package rtcp

import (
	"bytes"
	"strings"
	"testing"
)

func TestSDESCNAMEBuilder(t *testing.T) {
	// RFC 3550 §6.5: SSRC, CNAME item (type 1, length 16), then a null
	// octet and zeros to the 32-bit boundary: 4+2+16 = 22 → 24 bytes.
	want := unhex(t, `81 ca 00 06 | 11223344 | 01 10 `+
		`6162636465666768696a6b6c6d6e6f70 | 00 00`)
	p := NewCNAME(0x11223344, []byte("abcdefghijklmnop"))
	checkMarshal(t, &p, want)
	var back SourceDescription
	roundTrip(t, &back, want)
	c, ok := back.CNAME(0x11223344)
	if !ok || string(c) != "abcdefghijklmnop" {
		t.Fatalf("CNAME %q %v", c, ok)
	}
}

func TestSDESItemEndingOnWordNeedsFullNullWord(t *testing.T) {
	// 4 (SSRC) + 2 + 2 = 8: the list ends on a boundary, so a whole word of
	// null octets follows (RFC 3550 §6.5).
	want := unhex(t, `81 ca 00 03 | 00000005 | 01 02 6869 | 00000000`)
	p := NewCNAME(5, []byte("hi"))
	checkMarshal(t, &p, want)
	var back SourceDescription
	roundTrip(t, &back, want)
}

func TestSDESMultipleChunksAndItems(t *testing.T) {
	b := unhex(t, `82 ca 00 07 |
		00000001 | 01 01 61 | 06 02 7878 | 00 |
		00000002 | 0c 01 30 | 08 03 01 70 71 | 00 00 00 00`)
	var p SourceDescription
	roundTrip(t, &p, b)
	if len(p.Chunks) != 2 || len(p.Chunks[0].Items) != 2 || len(p.Chunks[1].Items) != 2 {
		t.Fatalf("%+v", p)
	}
	if it := p.Chunks[1].Items[0]; it.Type != SDESMid || string(it.Text) != "0" {
		t.Fatalf("MID item %+v", it)
	}
	if it := p.Chunks[1].Items[1]; it.Type != SDESPrivate || string(it.Text) != "\x01pq" {
		t.Fatalf("PRIV item %+v", it)
	}
	// Reuse: a one-chunk packet must not show the old second chunk.
	roundTrip(t, &p, unhex(t, `81 ca 00 03 | 00000005 | 01 02 6869 | 00000000`))
	if len(p.Chunks) != 1 || len(p.Chunks[0].Items) != 1 {
		t.Fatalf("stale chunks after reuse: %+v", p)
	}
}

func TestSDESErrors(t *testing.T) {
	for _, tc := range []struct{ name, hex, want string }{
		{"non-zero terminator padding", `81 ca 00 03 | 00000005 | 01 02 6869 | 00000100`, "padding octet"},
		{"no terminator", `81 ca 00 02 | 00000005 | 01 02 6869`, "not terminated"},
		{"item past end", `81 ca 00 02 | 00000005 | 01 09 6869`, "truncated"},
		{"SC beyond data", `82 ca 00 03 | 00000005 | 01 02 6869 | 00000000`, "chunk 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p SourceDescription
			err := p.Unmarshal(unhex(t, tc.hex))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	long := NewCNAME(1, make([]byte, 256))
	if _, err := long.Marshal(); err == nil {
		t.Fatal("256-octet item marshalled")
	}
}

func TestGoodbye(t *testing.T) {
	// RFC 3550 §6.6: two SSRCs and the reason "bye" (1+3 = 4 octets, no pad).
	b := unhex(t, `82 cb 00 03 | 00000001 | 00000002 | 03 627965`)
	var p Goodbye
	roundTrip(t, &p, b)
	if len(p.SSRCs) != 2 || p.SSRCs[1] != 2 || string(p.Reason) != "bye" {
		t.Fatalf("%+v", p)
	}
	// Builder pads the reason with zeros.
	q := Goodbye{SSRCs: []uint32{9}, Reason: []byte("gone")}
	checkMarshal(t, &q, unhex(t, `81 cb 00 03 | 00000009 | 04 676f6e65 | 000000`))
	// No reason at all.
	roundTrip(t, &p, unhex(t, `81 cb 00 01 | 00000009`))
	if p.Reason != nil {
		t.Fatalf("reason %q on a BYE without one", p.Reason)
	}
	if err := p.Unmarshal(unhex(t, `81 cb 00 02 | 00000009 | 09 000000`)); err == nil {
		t.Fatal("reason length beyond packet accepted")
	}
}

func TestApplicationDefined(t *testing.T) {
	b := unhex(t, `85 cc 00 03 | 00000007 | 51 4e 41 4d | 01020304`)
	var p ApplicationDefined
	roundTrip(t, &p, b)
	if p.Subtype != 5 || string(p.Name[:]) != "QNAM" || len(p.Data) != 4 {
		t.Fatalf("%+v", p)
	}
}

// Reset + AddCNAME encode what NewCNAME does, one chunk per SSRC, and
// reuse their memory: the per-report SDES of an SFU costs no allocation.
func TestSDESAddCNAMEReusesMemory(t *testing.T) {
	cname := []byte("QKYcJ30s6mPiYUV8")
	var sd SourceDescription
	sd.AddCNAME(7, cname)
	one := NewCNAME(7, cname)
	want, err := one.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := sd.Marshal()
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("AddCNAME gives %x (%v), NewCNAME %x", got, err, want)
	}
	sd.AddCNAME(8, []byte("x"))
	var back SourceDescription
	b, err := sd.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, &back, b)
	if c, ok := back.CNAME(8); !ok || string(c) != "x" || len(back.Chunks) != 2 {
		t.Fatalf("second chunk: %+v", back.Chunks)
	}
	buf := make([]byte, 64)
	if n := testing.AllocsPerRun(100, func() {
		sd.Reset()
		sd.AddCNAME(9, cname)
		sd.AddCNAME(10, cname)
		if _, err := sd.MarshalTo(buf); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Fatalf("%v allocations per SDES build", n)
	}
	if len(sd.Chunks) != 2 || sd.Chunks[1].Source != 10 || len(sd.Chunks[1].Items) != 1 {
		t.Fatalf("after Reset: %+v", sd.Chunks)
	}
}
