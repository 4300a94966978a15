package sfu

import (
	"fmt"
	"log/slog"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/srtp"
)

// countingWriter stands in for the socket: it counts what it is given.
type countingWriter struct{ n, bytes atomic.Uint64 }

func (w *countingWriter) Write(b []byte) (int, error) {
	w.n.Add(1)
	w.bytes.Add(uint64(len(b)))
	return len(b), nil
}

// benchRoom is a room with one publisher and n ready subscribers, each with
// a sender on pool and an SRTP context (AES-CM-128-HMAC-SHA1-80, as
// Chromium negotiates), writing into w.
func benchRoom(b *testing.B, n int, pool *senderPool, w packetWriter) (*room, *peer, time.Time) {
	r := newRoom("r", slog.New(slog.DiscardHandler))
	now := time.Unix(1000, 0)
	po, _ := parseOffer([]byte(chromeOffer))
	pub, _, err := r.addPublisher("pub", po, now)
	if err != nil {
		b.Fatal(err)
	}
	pub.sender = pool.newSender(w)
	r.setReady(pub, now)
	for i := 0; i < n; i++ {
		so, _ := parseOffer([]byte(subscriberOffer()))
		sub, _, err := r.addSubscriber(fmt.Sprint("sub", i), so, now)
		if err != nil {
			b.Fatal(err)
		}
		sub.sender = pool.newSender(w)
		km := make([]byte, 60)
		km[0] = byte(i)
		local, _, err := srtp.FromKeyingMaterial(srtp.ProfileAES128CMHMACSHA1_80, km, false)
		if err != nil {
			b.Fatal(err)
		}
		sub.sender.keys.Store(local)
		r.setReady(sub, now)
	}
	r.pollTransmits(func(_ *peer, it sendItem) { it.buf.release() })
	return r, pub, now
}

// benchVideoPacket is a 1100-byte VP8 keyframe packet with the MID and
// video-orientation extensions, as Chromium sends them.
func benchVideoPacket() []byte {
	h := rtp.Header{Version: 2, PayloadType: 96, SSRC: 2001}
	var l rtp.ExtensionList
	l.Set(4, []byte("1"))
	l.Set(13, []byte{1})
	l.SetOn(&h, make([]byte, 64))
	hdr, _ := h.Marshal()
	return append(hdr, append([]byte{0x10, 0x00, 0x9d, 0x01, 0x2a}, make([]byte, 1100)...)...)
}

// BenchmarkForward is one publisher's video packet through the whole SFU
// path but the socket: the room (parse, cache, per-subscriber decision),
// the dispatch to the sender workers, and on the workers the copy,
// rewrite and SRTP protection for each of n subscribers. ns/op is per
// packet in, fanned out n times. Run it with -cpu 1,2: the workers are one
// per GOMAXPROCS, so the 2-CPU run shows what the second core adds.
func BenchmarkForward(b *testing.B) {
	for _, n := range []int{1, 10, 50, 200} {
		b.Run(fmt.Sprintf("subscribers=%d", n), func(b *testing.B) {
			pool := newSenderPool(runtime.GOMAXPROCS(0))
			defer pool.close()
			var w countingWriter
			r, pub, now := benchRoom(b, n, pool, &w)
			pkt := benchVideoPacket()
			var subs []*sender
			for _, p := range r.peers {
				if p != pub {
					subs = append(subs, p.sender)
				}
			}
			var queued uint64
			dispatch := func(to *peer, it sendItem) {
				queued++
				to.sender.enqueue(it)
			}
			done := func() uint64 {
				var d uint64
				for _, wk := range pool.workers {
					d += wk.done.Load()
				}
				return d
			}
			// Keep every subscriber's queue at most half full, so the
			// benchmark measures throughput, not drops.
			busy := func() bool {
				for _, s := range subs {
					if s.q.len() > sendQueueLen/2 {
						return true
					}
				}
				return false
			}
			b.SetBytes(int64(len(pkt)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				pkt[2], pkt[3] = byte(i>>8), byte(i)
				r.handleRTP(pub, pkt, now)
				r.pollTransmits(dispatch)
				for busy() {
					runtime.Gosched() // let the workers have the core
				}
			}
			for deadline := time.Now().Add(5 * time.Second); done() != queued; runtime.Gosched() {
				if time.Now().After(deadline) {
					b.Fatalf("%d of %d transmits done after 5 s", done(), queued)
				}
			}
			b.StopTimer()
			var drops uint64
			for _, p := range r.peers {
				drops += p.sender.dropQueueFull.Load() + p.sender.encryptFailures.Load() + p.sender.rewriteFailures.Load()
			}
			if drops != 0 || w.n.Load() != queued {
				b.Fatalf("%d dropped, %d of %d written", drops, w.n.Load(), queued)
			}
		})
	}
}

// BenchmarkRewrite measures the per-subscriber decision and rewrite alone.
func BenchmarkRewrite(b *testing.B) {
	src := codec{PT: 96, Name: "VP8", Clock: 90000}
	r := newRewriter(7, codec{PT: 98, Name: "VP8", Clock: 90000}, "video", []extmap{{3, rtp.URIVideoOrientation}})
	r.attach(src, []extmap{{4, rtp.URIMid}, {13, rtp.URIVideoOrientation}})
	orig := benchVideoPacket()
	pkt := make([]byte, len(orig))
	now := time.Unix(0, 0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		copy(pkt, orig)
		pkt[2], pkt[3] = byte(i>>8), byte(i)
		var ph rtp.Header
		ph.Unmarshal(pkt)
		rw, ok := r.decide(&ph, true, now)
		if !ok {
			b.Fatal("dropped")
		}
		if _, err := rw.apply(pkt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoomReports measures one round of RTCP reports (tick): a
// receiver report to the publisher and sender reports to 10 subscribers,
// each with SDES (RFC 3550 §6.4); it should not allocate.
func BenchmarkRoomReports(b *testing.B) {
	pool := newSenderPool(1)
	defer pool.close()
	r, pub, now := benchRoom(b, 10, pool, &countingWriter{})
	h := rtp.Header{Version: 2, PayloadType: 111, SSRC: 1001}
	for i := range 5 {
		h.SequenceNumber = uint16(i)
		pkt, _ := h.Marshal()
		r.handleRTP(pub, append(pkt, 1, 2, 3), now)
	}
	r.pollTransmits(func(to *peer, it sendItem) {
		r.handleSent(to, &sentRecord{ssrc: it.rw.ssrc, seq: it.rw.seq, payload: 3})
		it.buf.release()
	})
	sent := 0
	release := func(_ *peer, it sendItem) { sent += it.buf.n; it.buf.release() }
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		now = now.Add(2 * time.Second) // every peer is due
		r.tick(now)
		r.pollTransmits(release)
	}
	if sent == 0 {
		b.Fatal("no reports")
	}
}
