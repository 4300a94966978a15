package sfu

import (
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/rtp"
)

// BenchmarkEngineForward measures one publisher's video packet forwarded,
// rewritten, cached and queued for n subscribers (the SFU's hot path
// between SRTP decryption and encryption).
func BenchmarkEngineForward(b *testing.B) {
	for _, n := range []int{1, 10, 50} {
		b.Run(fmt.Sprintf("subscribers=%d", n), func(b *testing.B) {
			e := newEngine(slog.New(slog.DiscardHandler))
			now := time.Unix(1000, 0)
			po, _ := parseOffer([]byte(chromeOffer))
			pub, _, err := e.addPublisher("pub", "r", po, now)
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < n; i++ {
				so, _ := parseOffer([]byte(subscriberOffer()))
				sub, _, err := e.addSubscriber(fmt.Sprint("sub", i), "r", so, now)
				if err != nil {
					b.Fatal(err)
				}
				e.setReady(sub, now)
			}
			e.drain(func(*peer, bool, []byte) {})
			h := rtp.Header{Version: 2, PayloadType: 96, SSRC: 2001}
			var l rtp.ExtensionList
			l.Set(4, []byte("1"))
			l.Set(13, []byte{1})
			l.SetOn(&h, make([]byte, 64))
			hdr, _ := h.Marshal()
			pkt := append(hdr, append([]byte{0x10, 0x00, 0x9d, 0x01, 0x2a}, make([]byte, 1100)...)...)
			sent := 0
			b.SetBytes(int64(len(pkt)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				pkt[2], pkt[3] = byte(i>>8), byte(i)
				e.handleRTP(pub, pkt, now)
				e.drain(func(_ *peer, _ bool, p []byte) { sent += len(p) })
			}
			if sent == 0 {
				b.Fatal("nothing forwarded")
			}
		})
	}
}

// BenchmarkRewrite measures the per-subscriber rewrite alone.
func BenchmarkRewrite(b *testing.B) {
	src := codec{PT: 96, Name: "VP8", Clock: 90000}
	r := newRewriter(7, codec{PT: 98, Name: "VP8", Clock: 90000}, "video", []extmap{{3, rtp.URIVideoOrientation}})
	r.attach(src, []extmap{{4, rtp.URIMid}, {13, rtp.URIVideoOrientation}})
	h := rtp.Header{Version: 2, PayloadType: 96, SSRC: 2001}
	var l rtp.ExtensionList
	l.Set(4, []byte("1"))
	l.Set(13, []byte{1})
	l.SetOn(&h, make([]byte, 64))
	hdr, _ := h.Marshal()
	orig := append(hdr, append([]byte{0x10, 0x00, 0x9d, 0x01, 0x2a}, make([]byte, 1100)...)...)
	pkt := make([]byte, len(orig))
	now := time.Unix(0, 0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		copy(pkt, orig)
		pkt[2], pkt[3] = byte(i>>8), byte(i)
		var ph rtp.Header
		n, _ := ph.Unmarshal(pkt)
		if !r.rewrite(pkt, &ph, pkt[n:], now) {
			b.Fatal("dropped")
		}
	}
}

// BenchmarkEngineReports measures one round of RTCP reports (tick): a
// receiver report to the publisher and sender reports to 10 subscribers,
// each with SDES (RFC 3550 §6.4); it should not allocate.
func BenchmarkEngineReports(b *testing.B) {
	e := newEngine(slog.New(slog.DiscardHandler))
	now := time.Unix(1000, 0)
	po, _ := parseOffer([]byte(chromeOffer))
	pub, _, err := e.addPublisher("pub", "r", po, now)
	if err != nil {
		b.Fatal(err)
	}
	e.setReady(pub, now)
	for i := 0; i < 10; i++ {
		so, _ := parseOffer([]byte(subscriberOffer()))
		sub, _, err := e.addSubscriber(fmt.Sprint("sub", i), "r", so, now)
		if err != nil {
			b.Fatal(err)
		}
		e.setReady(sub, now)
	}
	h := rtp.Header{Version: 2, PayloadType: 111, SSRC: 1001}
	for i := range 5 {
		h.SequenceNumber = uint16(i)
		pkt, _ := h.Marshal()
		e.handleRTP(pub, append(pkt, 1, 2, 3), now)
	}
	e.drain(func(*peer, bool, []byte) {})
	sent := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		now = now.Add(2 * time.Second) // every peer is due
		e.tick(now)
		e.drain(func(_ *peer, _ bool, p []byte) { sent += len(p) })
	}
	if sent == 0 {
		b.Fatal("no reports")
	}
}
