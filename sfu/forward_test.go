package sfu

import (
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/rtp"
)

// rtpPacket builds a packet with a one-byte extension block holding ids.
func rtpPacket(t *testing.T, pt uint8, seq uint16, ts, ssrc uint32, payload []byte, ext map[uint8][]byte) []byte {
	t.Helper()
	h := rtp.Header{Version: 2, PayloadType: pt, SequenceNumber: seq, Timestamp: ts, SSRC: ssrc}
	var l rtp.ExtensionList
	for id, v := range ext {
		if err := l.Set(id, v); err != nil {
			t.Fatal(err)
		}
	}
	if l.Len() > 0 {
		if err := l.SetOn(&h, make([]byte, 64)); err != nil {
			t.Fatal(err)
		}
	}
	b, err := h.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return append(b, payload...)
}

func parse(t *testing.T, b []byte) (rtp.Header, []byte) {
	t.Helper()
	var h rtp.Header
	n, err := h.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return h, b[n:]
}

func TestRewriterMapsPTExtensionsSSRC(t *testing.T) {
	src := codec{PT: 111, Name: "opus", Clock: 48000, Channels: 2}
	dst := codec{PT: 109, Name: "opus", Clock: 48000, Channels: 2}
	r := newRewriter(0xabcdef, dst, "audio", []extmap{{10, rtp.URIAudioLevel}})
	r.attach(src, []extmap{{1, rtp.URIAudioLevel}, {4, rtp.URIMid}})
	now := time.Unix(0, 0)
	pkt := rtpPacket(t, 111, 100, 960, 0x1111, []byte{1, 2, 3}, map[uint8][]byte{1: {0x85}, 4: []byte("0")})
	h, pl := parse(t, pkt)
	if !r.rewriteInPlace(pkt, &h, pl, now) {
		t.Fatal("packet not forwarded")
	}
	out, _ := parse(t, pkt)
	if out.PayloadType != 109 || out.SSRC != 0xabcdef || out.SequenceNumber != 100 || out.Timestamp != 960 {
		t.Fatalf("rewritten header %+v", out)
	}
	if v := out.GetExtension(10); len(v) != 1 || v[0] != 0x85 {
		t.Fatalf("audio level under ID 10 = %x, want 85", v)
	}
	if v := out.GetExtension(4); v != nil {
		t.Fatalf("mid extension still present: %q", v)
	}
	// A PT the subscriber did not negotiate is dropped.
	pkt = rtpPacket(t, 96, 101, 960, 0x1111, []byte{1}, nil)
	h, pl = parse(t, pkt)
	if r.rewriteInPlace(pkt, &h, pl, now) {
		t.Fatal("packet with unnegotiated PT forwarded")
	}
}

func TestRewriterContinuousAcrossSourceSwitch(t *testing.T) {
	c := codec{PT: 96, Name: "H264", Clock: 90000, Fmtp: "packetization-mode=1"}
	r := newRewriter(42, codec{PT: 102, Name: "H264", Clock: 90000, Fmtp: "packetization-mode=1"}, "video", nil)
	r.attach(c, nil)
	t0 := time.Unix(100, 0)
	var lastSeq uint16
	var lastTS uint32
	send := func(seq uint16, ts, ssrc uint32, at time.Time) (rtp.Header, bool) {
		pkt := rtpPacket(t, 96, seq, ts, ssrc, []byte{0x65}, nil)
		h, pl := parse(t, pkt)
		ok := r.rewriteInPlace(pkt, &h, pl, at)
		out, _ := parse(t, pkt)
		return out, ok
	}
	for i := 0; i < 5; i++ {
		h, ok := send(65533+uint16(i), 1000+uint32(i)*3000, 7, t0.Add(time.Duration(i)*33*time.Millisecond))
		if !ok {
			t.Fatal("dropped")
		}
		lastSeq, lastTS = h.SequenceNumber, h.Timestamp
	}
	// New source, unrelated numbering, 100 ms later.
	h, ok := send(5000, 77777, 8, t0.Add(4*33*time.Millisecond+100*time.Millisecond))
	if !ok {
		t.Fatal("first packet of new source dropped")
	}
	if h.SequenceNumber != lastSeq+1 {
		t.Fatalf("seq after switch = %d, want %d", h.SequenceNumber, lastSeq+1)
	}
	if want := lastTS + 9000; h.Timestamp != want {
		t.Fatalf("ts after switch = %d, want %d (100 ms at 90 kHz later)", h.Timestamp, want)
	}
	h2, ok := send(5001, 77777+3000, 8, t0.Add(time.Second))
	if !ok || h2.SequenceNumber != lastSeq+2 || h2.Timestamp != h.Timestamp+3000 {
		t.Fatalf("second packet of new source: %+v ok=%v", h2, ok)
	}
	// A late packet of the old source and one older than the switch point are dropped.
	if _, ok := send(1, 1000, 7, t0.Add(time.Second)); ok {
		t.Fatal("late packet of old source forwarded")
	}
	if _, ok := send(4999, 1, 8, t0.Add(time.Second)); ok {
		t.Fatal("packet before the switch point forwarded")
	}
	if r.switches != 1 {
		t.Fatalf("switches = %d, want 1", r.switches)
	}
}

func TestRewriterWaitsForVP8Keyframe(t *testing.T) {
	c := codec{PT: 96, Name: "VP8", Clock: 90000}
	r := newRewriter(1, c, "video", nil)
	r.attach(c, nil)
	delta := []byte{0x10, 0x01, 0, 0} // S=1 PID=0, P=1: inter frame
	key := []byte{0x10, 0x00, 0, 0}   // P=0: key frame
	pkt := rtpPacket(t, 96, 10, 0, 5, delta, nil)
	h, pl := parse(t, pkt)
	if r.rewriteInPlace(pkt, &h, pl, time.Now()) || !r.needKeyframe {
		t.Fatal("delta frame forwarded before a keyframe")
	}
	pkt = rtpPacket(t, 96, 11, 0, 5, key, nil)
	h, pl = parse(t, pkt)
	if !r.rewriteInPlace(pkt, &h, pl, time.Now()) || r.needKeyframe {
		t.Fatal("keyframe not forwarded")
	}
	pkt = rtpPacket(t, 96, 12, 0, 5, delta, nil)
	h, pl = parse(t, pkt)
	if !r.rewriteInPlace(pkt, &h, pl, time.Now()) {
		t.Fatal("delta frame after keyframe dropped")
	}
}

// H264 starts on a keyframe too: a STAP-A with SPS, or an IDR slice; an
// FU-A of a non-IDR slice is held back (RFC 6184 §5.7.1, §5.8).
func TestRewriterWaitsForH264Keyframe(t *testing.T) {
	c := codec{PT: 102, Name: "H264", Clock: 90000, Fmtp: "packetization-mode=1;profile-level-id=42e01f"}
	r := newRewriter(1, c, "video", nil)
	r.attach(c, nil)
	sliceFU := []byte{0x7c, 0x81, 0xaa}                         // FU-A, start, NAL type 1 (non-IDR slice)
	stapSPS := []byte{0x78, 0, 2, 0x67, 0x42, 0, 2, 0x68, 0xce} // STAP-A: SPS, PPS
	pkt := rtpPacket(t, 102, 10, 0, 5, sliceFU, nil)
	h, pl := parse(t, pkt)
	if r.rewriteInPlace(pkt, &h, pl, time.Now()) || !r.needKeyframe {
		t.Fatal("non-IDR slice forwarded before a keyframe")
	}
	pkt = rtpPacket(t, 102, 11, 0, 5, stapSPS, nil)
	h, pl = parse(t, pkt)
	if !r.rewriteInPlace(pkt, &h, pl, time.Now()) || r.needKeyframe {
		t.Fatal("SPS/PPS not forwarded")
	}
	pkt = rtpPacket(t, 102, 12, 0, 5, sliceFU, nil)
	h, pl = parse(t, pkt)
	if !r.rewriteInPlace(pkt, &h, pl, time.Now()) {
		t.Fatal("slice after the keyframe dropped")
	}
}

// Sequence numbers keep flowing through many wrap-arounds: only packets
// older than the first of the source are refused, not those 2^15 ahead.
func TestRewriterLongStream(t *testing.T) {
	c := codec{PT: 111, Name: "opus", Clock: 48000}
	r := newRewriter(9, c, "audio", nil)
	r.attach(c, nil)
	now := time.Unix(0, 0)
	for i := 0; i < 200000; i++ {
		seq := uint16(1000 + i)
		pkt := rtpPacket(t, 111, seq, uint32(i)*960, 5, []byte{1}, nil)
		h, pl := parse(t, pkt)
		if !r.rewriteInPlace(pkt, &h, pl, now) {
			t.Fatalf("packet %d (seq %d) dropped", i, seq)
		}
	}
}

// rewriteInPlace does what the room and a sender worker do between them
// for one packet: decide, then apply the rewrite to pkt.
func (r *rewriter) rewriteInPlace(pkt []byte, h *rtp.Header, payload []byte, now time.Time) bool {
	rw, ok := r.decide(h, isKeyframe(strings.ToLower(r.dst.Name), payload), now)
	if !ok {
		return false
	}
	_, err := rw.apply(pkt)
	return err == nil
}
