package rtp

import (
	"bytes"
	"testing"
)

func TestVP9Descriptor(t *testing.T) {
	// Non-flexible keyframe with SS: I M PID=0x0102, L: TID 0 SID 0,
	// TL0PICIDX 7, SS: N_S=1 (2 layers) Y G, 320x180 640x360, N_G=1:
	// TID 0 U 0 R 1, P_DIFF 4.
	in := []byte{0xaa, 0x81, 0x02, 0x00, 0x07,
		0x38, 0x01, 0x40, 0x00, 0xb4, 0x02, 0x80, 0x01, 0x68, 0x01, 0x04, 0x04,
		0xde, 0xad}
	var d VP9Descriptor
	n, err := d.Unmarshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(in)-2 {
		t.Fatalf("n = %d, want %d", n, len(in)-2)
	}
	if !d.HasPictureID || !d.PictureIDLong || d.PictureID != 0x0102 || !d.HasLayerIndices || d.Flexible ||
		!d.StartOfFrame || d.EndOfFrame || !d.HasSS || d.TL0PICIDX != 7 || d.SID != 0 || !d.IsKeyframe() {
		t.Fatalf("descriptor %+v", d)
	}
	ss, err := d.ScalabilityStructure()
	if err != nil {
		t.Fatal(err)
	}
	if ss.SpatialLayers != 2 || ss.Width[0] != 320 || ss.Height[0] != 180 || ss.Width[1] != 640 || ss.Height[1] != 360 || ss.PictureGroupLen != 1 {
		t.Fatalf("ss %+v", ss)
	}
	buf := make([]byte, d.MarshalSize())
	m, err := d.MarshalTo(buf)
	if err != nil || !bytes.Equal(buf[:m], in[:n]) {
		t.Fatalf("marshal %x %v, want %x", buf[:m], err, in[:n])
	}

	// Flexible inter frame, SID 1, two P_DIFFs.
	in = []byte{0xf4, 0x05, 0x43, 0x03, 0x04, 0x99}
	n, err = d.Unmarshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 || d.PDiffCount != 2 || d.TID != 2 || d.SID != 1 || !d.InterLayerDep || d.IsKeyframe() || !d.EndOfFrame {
		t.Fatalf("flexible: n=%d %+v", n, d)
	}
	m, err = d.MarshalTo(buf[:cap(buf)])
	if err != nil || !bytes.Equal(buf[:m], in[:n]) {
		t.Fatalf("marshal %x %v, want %x", buf[:m], err, in[:n])
	}

	for _, bad := range [][]byte{{}, {0x80}, {0x80, 0x80}, {0x20, 0x00}, {0x50, 0x01, 0x01, 0x01}, {0x02}, {0x02, 0x10, 0, 0}, {0x02, 0x08}} {
		if _, err := d.Unmarshal(bad); err == nil {
			t.Errorf("%x: no error", bad)
		}
	}
}

func TestVP9RewriteInPlace(t *testing.T) {
	in := []byte{0xa8, 0x81, 0x02, 0x00, 0x07, 0xde}
	var d VP9Descriptor
	if _, err := d.Unmarshal(in); err != nil {
		t.Fatal(err)
	}
	if err := d.RewriteInPlace(in, 0x0456, 0x33); err != nil {
		t.Fatal(err)
	}
	if want := []byte{0xa8, 0x84, 0x56, 0x00, 0x33, 0xde}; !bytes.Equal(in, want) {
		t.Fatalf("rewritten %x, want %x", in, want)
	}
	var e VP9Descriptor
	if _, err := e.Unmarshal(in); err != nil || e.PictureID != 0x0456 || e.TL0PICIDX != 0x33 || e.PictureID != d.PictureID || e.TL0PICIDX != d.TL0PICIDX {
		t.Fatalf("reparsed %+v %v, want %+v", e, err, d)
	}
}
