package rtp

import (
	"bytes"
	"testing"
)

func TestVP8Descriptor(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		n    int
		want VP8Descriptor
		key  bool
	}{
		{"minimal start keyframe", []byte{0x10, 0x50, 0x01, 0x02}, 1,
			VP8Descriptor{Start: true}, true},
		{"minimal start interframe", []byte{0x10, 0x51, 0x01}, 1,
			VP8Descriptor{Start: true}, false},
		// Chrome's usual: X, I with 15-bit picture ID, L, T.
		{"long picture id", []byte{0x90, 0xe0, 0x81, 0x23, 0x45, 0x60, 0x9d, 0x01, 0x2a}, 6,
			VP8Descriptor{Extended: true, Start: true, HasPictureID: true, HasTL0PICIDX: true, HasTID: true,
				PictureIDLong: true, PictureID: 0x0123, TL0PICIDX: 0x45, TID: 1, LayerSync: true,
				PictureIDOffset: 2, TL0PICIDXOffset: 4}, false},
		{"continuation", []byte{0x80, 0x80, 0x12, 0x00}, 3,
			VP8Descriptor{Extended: true, HasPictureID: true, PictureID: 0x12, PictureIDOffset: 2}, false},
		{"partition 1 not a keyframe start", []byte{0x11, 0x00}, 1,
			VP8Descriptor{Start: true, PartitionID: 1}, false},
		{"K only and reserved bits", []byte{0xe8, 0x1f, 0x05, 0x00}, 3,
			VP8Descriptor{Extended: true, NonReference: true, Reserved: 0x48, HasKEYIDX: true, ReservedX: 0x0f, KEYIDX: 5}, false},
	}
	for _, c := range cases {
		var d VP8Descriptor
		n, err := d.Unmarshal(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if n != c.n || d != c.want {
			t.Errorf("%s: n=%d %+v, want n=%d %+v", c.name, n, d, c.n, c.want)
		}
		buf := make([]byte, d.MarshalSize())
		m, err := d.MarshalTo(buf)
		if err != nil || !bytes.Equal(buf[:m], c.in[:n]) {
			t.Errorf("%s: marshal %x %v, want %x", c.name, buf[:m], err, c.in[:n])
		}
		key, err := VP8IsKeyframe(c.in)
		if err != nil || key != c.key {
			t.Errorf("%s: keyframe %v %v, want %v", c.name, key, err, c.key)
		}
	}
	for _, bad := range [][]byte{{}, {0x80}, {0x80, 0x80}, {0x80, 0x80, 0x80}, {0x80, 0x40}, {0x80, 0x20}, {0x80, 0x10}} {
		var d VP8Descriptor
		if _, err := d.Unmarshal(bad); err == nil {
			t.Errorf("%x: no error", bad)
		}
	}
}

func TestVP8RewriteInPlace(t *testing.T) {
	in := []byte{0x90, 0xe0, 0x81, 0x23, 0x45, 0x60, 0x9d, 0x01}
	var d VP8Descriptor
	if _, err := d.Unmarshal(in); err != nil {
		t.Fatal(err)
	}
	if err := d.RewriteInPlace(in, 0x8765, 9); err != nil {
		t.Fatal(err)
	}
	want := []byte{0x90, 0xe0, 0x87, 0x65, 0x09, 0x60, 0x9d, 0x01}
	if !bytes.Equal(in, want) {
		t.Fatalf("rewritten %x, want %x", in, want)
	}
	var e VP8Descriptor
	if _, err := e.Unmarshal(in); err != nil || e.PictureID != 0x0765 || e.TL0PICIDX != 9 || e != d {
		t.Fatalf("reparsed %+v %v, rewrite left %+v", e, err, d)
	}
	short := []byte{0x90, 0x80, 0x05, 0x9d}
	if _, err := d.Unmarshal(short); err != nil {
		t.Fatal(err)
	}
	d.RewriteInPlace(short, 0x1ff, 0)
	if short[2] != 0x7f || short[3] != 0x9d {
		t.Fatalf("7-bit picture ID rewrite %x", short)
	}
}
