package rtp

import (
	"bytes"
	"testing"
)

func TestHeaderOneByteExtension(t *testing.T) {
	pkt := []byte{
		0x90, 0xe0, 0x12, 0x34, // V=2 X=1, M=1 PT=96, seq 0x1234
		0x00, 0x00, 0x10, 0x00, // ts
		0xde, 0xad, 0xbe, 0xef, // ssrc
		0xbe, 0xde, 0x00, 0x02, // one-byte profile, 2 words
		0x10, 0xaa, // ID 1 len 1
		0x00,             // padding
		0x31, 0xbb, 0xcc, // ID 3 len 2
		0x00, 0x00, // padding
		0x01, 0x02, // payload
	}
	var h Header
	n, err := h.Unmarshal(pkt)
	if err != nil {
		t.Fatal(err)
	}
	if n != 24 {
		t.Fatalf("n = %d, want 24", n)
	}
	if !h.Marker || h.PayloadType != 96 || h.SequenceNumber != 0x1234 || h.Timestamp != 0x1000 || h.SSRC != 0xdeadbeef {
		t.Fatalf("fields wrong: %+v", h)
	}
	type el struct {
		id       uint8
		val      []byte
		elo, vlo int
	}
	want := []el{{1, []byte{0xaa}, 16, 17}, {3, []byte{0xbb, 0xcc}, 19, 20}}
	var got []el
	it := h.Extensions()
	for e, ok := it.Next(); ok; e, ok = it.Next() {
		got = append(got, el{e.ID, e.Value, e.ElementOffset, e.ValueOffset})
	}
	if len(got) != len(want) {
		t.Fatalf("got %d elements, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].id != want[i].id || !bytes.Equal(got[i].val, want[i].val) || got[i].elo != want[i].elo || got[i].vlo != want[i].vlo {
			t.Errorf("element %d = %+v, want %+v", i, got[i], want[i])
		}
		if !bytes.Equal(pkt[got[i].vlo:got[i].vlo+len(got[i].val)], want[i].val) {
			t.Errorf("element %d offset does not point at the value", i)
		}
	}
	buf := make([]byte, h.MarshalSize())
	m, err := h.MarshalTo(buf)
	if err != nil || m != n || !bytes.Equal(buf, pkt[:n]) {
		t.Fatalf("marshal = %x, %v; want %x", buf[:m], err, pkt[:n])
	}
}

func TestHeaderTwoByteExtensionAndCSRC(t *testing.T) {
	pkt := []byte{
		0x92, 0x60, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x02,
		0x00, 0x00, 0x00, 0x03,
		0x00, 0x00, 0x00, 0x04, // csrc 1
		0x00, 0x00, 0x00, 0x05, // csrc 2
		0x10, 0x00, 0x00, 0x02,
		0x20, 0x00, // ID 32, length 0
		0x05, 0x03, 0x01, 0x02, 0x03, // ID 5 len 3
		0x00,
	}
	var h Header
	n, err := h.Unmarshal(pkt)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(pkt) {
		t.Fatalf("n = %d, want %d", n, len(pkt))
	}
	if cs := h.CSRCs(); len(cs) != 2 || cs[0] != 4 || cs[1] != 5 {
		t.Fatalf("csrcs = %v", cs)
	}
	if v := h.GetExtension(32); v == nil || len(v) != 0 {
		t.Fatalf("ID 32 = %v, want empty non-nil", v)
	}
	if v := h.GetExtension(5); !bytes.Equal(v, []byte{1, 2, 3}) {
		t.Fatalf("ID 5 = %x", v)
	}
	if v := h.GetExtension(6); v != nil {
		t.Fatalf("ID 6 = %x, want nil", v)
	}
}

func TestHeaderErrors(t *testing.T) {
	for name, pkt := range map[string][]byte{
		"short":       {0x80, 0x60, 0, 1},
		"version":     {0x40, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
		"csrc":        {0x81, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
		"ext header":  {0x90, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde},
		"ext length":  {0x90, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0, 2, 0, 0, 0, 0},
		"ext element": {0x90, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0, 1, 0, 0, 0x13, 0},
	} {
		var h Header
		if n, err := h.Unmarshal(pkt); err == nil {
			t.Errorf("%s: n = %d, want error", name, n)
		}
	}
}

func TestHeaderUnmarshalAllocs(t *testing.T) {
	pkt := []byte{0x90, 0xe0, 0x12, 0x34, 0, 0, 0x10, 0, 0xde, 0xad, 0xbe, 0xef, 0xbe, 0xde, 0, 1, 0x10, 0xaa, 0, 0}
	var h Header
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := h.Unmarshal(pkt); err != nil {
			t.Fatal(err)
		}
		it := h.Extensions()
		for _, ok := it.Next(); ok; _, ok = it.Next() {
		}
	})
	if allocs != 0 {
		t.Fatalf("allocs = %v, want 0", allocs)
	}
}
