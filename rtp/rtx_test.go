package rtp

import (
	"bytes"
	"errors"
	"testing"
)

func TestRTXWrapUnwrap(t *testing.T) {
	orig := []byte{0x90, 0xe0, 0x12, 0x34, 0, 0, 0x10, 0, 0, 0, 0, 1, 0xbe, 0xde, 0, 1, 0x10, 0xaa, 0, 0, 1, 2, 3}
	p := mustUnmarshal(t, orig)
	buf := make([]byte, RTXSize(p))
	n, err := WrapRTX(buf, p, 0x22, 97, 7)
	if err != nil {
		t.Fatal(err)
	}
	r := mustUnmarshal(t, buf[:n])
	if r.SSRC != 0x22 || r.PayloadType != 97 || r.SequenceNumber != 7 || !r.Marker || r.Timestamp != 0x1000 {
		t.Fatalf("rtx header %+v", r.Header)
	}
	if !bytes.Equal(r.Payload, []byte{0x12, 0x34, 1, 2, 3}) {
		t.Fatalf("rtx payload %x", r.Payload)
	}
	if err := r.UnwrapRTX(1, 96); err != nil {
		t.Fatal(err)
	}
	back := make([]byte, r.MarshalSize())
	m, err := r.MarshalTo(back)
	if err != nil || !bytes.Equal(back[:m], orig) {
		t.Fatalf("unwrapped %x %v, want %x", back[:m], err, orig)
	}
	// Padding-only RTX probe.
	probe := mustUnmarshal(t, []byte{0xa0, 97, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0x22, 0, 0, 0, 4})
	if err := probe.UnwrapRTX(1, 96); !errors.Is(err, ErrRTXNoOSN) {
		t.Fatalf("padding-only unwrap err = %v", err)
	}
}

func TestPacketPadding(t *testing.T) {
	in := []byte{0xa0, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xaa, 0xbb, 0, 0, 3}
	p := mustUnmarshal(t, in)
	if !bytes.Equal(p.Payload, []byte{0xaa, 0xbb}) || len(p.Padding) != 3 {
		t.Fatalf("payload %x padding %x", p.Payload, p.Padding)
	}
	out, err := p.Marshal()
	if err != nil || !bytes.Equal(out, in) {
		t.Fatalf("marshal %x %v", out, err)
	}
	for _, bad := range [][]byte{
		{0xa0, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3},          // P with no payload
		{0xa0, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xaa, 0}, // count 0
		{0xa0, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xaa, 3}, // count beyond payload
	} {
		var q Packet
		if err := q.Unmarshal(bad); err == nil {
			t.Errorf("%x: no error", bad)
		}
	}
	scratch := make([]byte, 8)
	if err := p.SetPadding(4, scratch); err != nil {
		t.Fatal(err)
	}
	out, _ = p.Marshal()
	q := mustUnmarshal(t, out)
	if !bytes.Equal(q.Payload, []byte{0xaa, 0xbb}) || len(q.Padding) != 4 {
		t.Fatalf("after SetPadding payload %x padding %x", q.Payload, q.Padding)
	}
}

func TestUnwrappers(t *testing.T) {
	var s SequenceUnwrapper
	for i, c := range []struct {
		in   uint16
		want int64
	}{{65534, 65534}, {65535, 65535}, {0, 65536}, {65533, 65533}, {2, 65538}, {1, 65537}} {
		if got := s.Unwrap(c.in); got != c.want {
			t.Errorf("seq step %d: Unwrap(%d) = %d, want %d", i, c.in, got, c.want)
		}
	}
	var ts TimestampUnwrapper
	for i, c := range []struct {
		in   uint32
		want int64
	}{{0xffffff00, 0xffffff00}, {0x100, 0x100000100}, {0xfffffff0, 0xfffffff0}, {0x200, 0x100000200}} {
		if got := ts.Unwrap(c.in); got != c.want {
			t.Errorf("ts step %d: Unwrap(%#x) = %#x, want %#x", i, c.in, got, c.want)
		}
	}
}
