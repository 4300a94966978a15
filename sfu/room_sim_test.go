package sfu

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/rtcp"
	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/srtp"
)

// These tests drive a room on a virtual clock with simulated participants
// whose sending side is a real SRTP context, as a sender worker's is: what
// they assert is what a browser would receive on the wire.

// simSub is a subscriber's wire: its SRTP sending context (the worker's)
// and a receiving one (the browser's), and what arrived.
type simSub struct {
	out, in *srtp.Context
	wire    [][]byte // protected packets, in order
	plain   [][]byte // the same, unprotected by the browser's context
}

func newSimSub(t *testing.T, seed byte) *simSub {
	t.Helper()
	km := bytes.Repeat([]byte{seed}, 60)
	out, _, err := srtp.FromKeyingMaterial(srtp.ProfileAEADAES128GCM, km[:56], false)
	if err != nil {
		t.Fatal(err)
	}
	_, in, err := srtp.FromKeyingMaterial(srtp.ProfileAEADAES128GCM, km[:56], true)
	if err != nil {
		t.Fatal(err)
	}
	return &simSub{out: out, in: in}
}

// deliver plays the sender workers for every transmit the room queued:
// subscribers in subs get the packet rewritten and protected (and the
// browser side unprotects it; replays are refused there as a browser
// would), and the room hears it was sent. It returns the protected
// packets per participant id.
func deliver(t *testing.T, r *room, subs map[string]*simSub) map[string][][]byte {
	t.Helper()
	got := map[string][][]byte{}
	r.pollTransmits(func(to *peer, it sendItem) {
		defer it.buf.release()
		s := subs[to.id]
		if s == nil || it.rtcp {
			got[to.id] = append(got[to.id], append([]byte(nil), it.buf.bytes()...))
			return
		}
		pkt := make([]byte, it.buf.n, it.buf.n+maxSRTPOverhead)
		copy(pkt, it.buf.bytes())
		n, err := it.rw.apply(pkt)
		if err != nil {
			t.Fatalf("rewrite for %s: %v", to.id, err)
		}
		if it.rw.rtx != nil {
			if pkt, err = it.rw.rtx.apply(pkt, len(pkt), n, it.rw); err != nil {
				t.Fatal(err)
			}
		}
		prot, err := s.out.EncryptRTP(pkt[:0], pkt)
		if err != nil {
			t.Fatal(err)
		}
		wire := append([]byte(nil), prot...)
		s.wire = append(s.wire, wire)
		got[to.id] = append(got[to.id], wire)
		if plain, err := s.in.DecryptRTP(append([]byte(nil), wire...)); err == nil {
			s.plain = append(s.plain, plain)
		}
		r.handleSent(to, &sentRecord{ssrc: it.rw.ssrc, seq: it.rw.seq, payload: uint16(len(pkt) - n)})
	})
	return got
}

var vp8Key = []byte{0x10, 0x00, 0x9d, 0x01, 0x2a, 0, 0, 0}

// twoSubscriberRoom: one publisher (the Chromium offer: audio SSRC 1001,
// video 2001) and two ready subscribers.
func twoSubscriberRoom(t *testing.T) (*room, *peer, []*peer, map[string]*simSub, time.Time) {
	t.Helper()
	r := newRoom("sim", slog.New(slog.DiscardHandler))
	now := time.Unix(5000, 0)
	po, _ := parseOffer([]byte(chromeOffer))
	pub, _, err := r.addPublisher("pub", po, now)
	if err != nil {
		t.Fatal(err)
	}
	r.setReady(pub, now)
	subs := map[string]*simSub{}
	var peers []*peer
	for i := range 2 {
		so, _ := parseOffer([]byte(subscriberOffer()))
		id := fmt.Sprint("sub", i)
		p, _, err := r.addSubscriber(id, so, now)
		if err != nil {
			t.Fatal(err)
		}
		r.setReady(p, now)
		subs[id] = newSimSub(t, byte(i+1))
		peers = append(peers, p)
	}
	deliver(t, r, subs) // the keyframe requests
	return r, pub, peers, subs, now
}

func nackFor(t *testing.T, d *downTrack, seqs ...uint16) []byte {
	t.Helper()
	n := rtcp.NACK{SenderSSRC: 9, MediaSSRC: d.ssrc, Pairs: rtcp.AppendNACKPairs(nil, seqs)}
	b, err := n.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A subscriber loses packets; its NACK is answered from the track's one
// shared cache, and each retransmission is byte for byte the SRTP packet
// first sent under that index (RFC 3711 §9.1: never new content under a
// used index; with AES-GCM that would reuse a nonce). The browser's replay
// window refuses it as a replay exactly because it is the same packet;
// the other subscriber, who lost nothing, gets nothing.
func TestRoomNACKResendsIdenticalSRTP(t *testing.T) {
	r, pub, subs, sim, now := twoSubscriberRoom(t)
	for i := range uint16(20) {
		r.handleRTP(pub, rtpPacket(t, 96, 7000+i, 90*uint32(i), 2001, vp8Key, map[uint8][]byte{4: []byte("1"), 13: {byte(i)}}), now)
	}
	deliver(t, r, sim)
	first := append([][]byte(nil), sim["sub0"].wire...)
	if len(first) != 20 || len(sim["sub1"].wire) != 20 {
		t.Fatalf("forwarded %d and %d packets, want 20 each", len(first), len(sim["sub1"].wire))
	}
	d := subs[0].downs[1]
	r.handleRTCP(subs[0], nackFor(t, d, 7003, 7011, 7019), now.Add(50*time.Millisecond))
	got := deliver(t, r, sim)
	if len(got["sub0"]) != 3 || len(got["sub1"]) != 0 {
		t.Fatalf("resent %d to the NACKing subscriber and %d to the other", len(got["sub0"]), len(got["sub1"]))
	}
	for i, idx := range []int{3, 11, 19} {
		if !bytes.Equal(got["sub0"][i], first[idx]) {
			t.Fatalf("retransmission of packet %d differs from the original SRTP packet", idx)
		}
	}
	if d.resent != 3 || d.nacked != 3 || pub.tracks[1].cache.get(7003) == nil {
		t.Fatalf("resent %d of %d", d.resent, d.nacked)
	}
	// Both subscribers' NACKs are served by the publisher's one cache.
	r.handleRTCP(subs[1], nackFor(t, subs[1].downs[1], 7005), now.Add(60*time.Millisecond))
	if got := deliver(t, r, sim); len(got["sub1"]) != 1 || !bytes.Equal(got["sub1"][0], sim["sub1"].wire[5]) {
		t.Fatal("second subscriber's NACK not answered with its original packet")
	}
}

// After the stream switched source, a NACK for a packet of the old source
// is not answered: rewritten with today's mapping it would differ from
// what went out under that index.
func TestRoomNACKAfterSourceSwitchNotResent(t *testing.T) {
	r, pub, subs, sim, now := twoSubscriberRoom(t)
	for i := range uint16(5) {
		r.handleRTP(pub, rtpPacket(t, 111, 100+i, 960*uint32(i), 1001, []byte{1, 2}, nil), now)
	}
	deliver(t, r, sim)
	r.leave(pub, now)
	o, _ := parseOffer([]byte(chromeOffer))
	pub2, _, err := r.addPublisher("pub2", o, now)
	if err != nil {
		t.Fatal(err)
	}
	r.setReady(pub2, now)
	r.handleRTP(pub2, rtpPacket(t, 111, 100, 0, 1001, []byte{9, 9}, nil), now.Add(time.Second))
	deliver(t, r, sim)
	d := subs[0].downs[0]
	r.handleRTCP(subs[0], nackFor(t, d, 101), now.Add(time.Second))
	if got := deliver(t, r, sim); len(got["sub0"]) != 0 || d.notCached != 1 {
		t.Fatalf("resent %d packets of a source no longer attached (not cached %d)", len(got["sub0"]), d.notCached)
	}
}

// The track's cache is bounded in bytes as well as in packets.
func TestTrackCacheBounds(t *testing.T) {
	c := newTrackCache(8, 3000)
	pkt := make([]byte, 1000)
	for seq := uint16(65530); seq != 10; seq++ {
		b := newPktBuf(pkt)
		c.put(seq, b)
		b.release()
		if c.bytes > 3000 {
			t.Fatalf("cache holds %d bytes, bound 3000", c.bytes)
		}
	}
	if c.get(9) == nil || c.get(8) == nil || c.get(7) == nil {
		t.Fatal("newest packets not kept")
	}
	if c.get(6) != nil || c.get(1) != nil {
		t.Fatal("packets over the byte bound kept")
	}
	c.clear()
	if c.bytes != 0 || c.get(9) != nil {
		t.Fatal("clear kept packets")
	}
}

// The subscriber's sender report carries the publisher's NTP↔RTP mapping
// through the stream's timestamp offset (RFC 3550 §6.4.1): the RTP time
// is the publisher's SR RTP time, advanced by the time since that SR
// arrived, plus the offset the rewrite applies to every packet. Audio and
// video of one publisher so keep their relation, and the browser its lip
// sync, across a source switch.
func TestRoomSenderReportFollowsPublisherMapping(t *testing.T) {
	r, pub, subs, sim, now := twoSubscriberRoom(t)
	r.handleRTP(pub, rtpPacket(t, 111, 10, 480000, 1001, []byte{1}, nil), now)
	deliver(t, r, sim)
	// Republish with another SSRC: the offset is no longer zero.
	r.leave(pub, now)
	o, _ := parseOffer([]byte(strings.ReplaceAll(chromeOffer, "1001", "3003")))
	pub2, _, _ := r.addPublisher("pub2", o, now)
	r.setReady(pub2, now)
	at := now.Add(time.Second)
	r.handleRTP(pub2, rtpPacket(t, 111, 50, 7000, 3003, []byte{1}, nil), at)
	deliver(t, r, sim)
	d := subs[0].downs[0]
	if d.rw.tsOffset == 0 {
		t.Fatal("no timestamp offset after the switch")
	}
	sr := rtcp.SenderReport{SSRC: 3003, NTPTime: rtcp.NTPTime(time.Unix(99, 0)), RTPTime: 123456}
	b, _ := sr.Marshal()
	r.handleRTCP(pub2, b, at)
	rep := at.Add(2 * time.Second)
	r.tick(rep)
	var got *rtcp.SenderReport
	for _, pkt := range deliver(t, r, sim)["sub0"] {
		it := rtcp.NewIterator(pkt)
		var rp rtcp.Packet
		for it.Next(&rp) {
			var s rtcp.SenderReport
			if rp.Kind() == rtcp.KindSenderReport && s.Unmarshal(rp.Raw) == nil && s.SSRC == d.ssrc {
				got = &s
			}
		}
	}
	if got == nil {
		t.Fatal("no sender report for the audio stream")
	}
	if want := 123456 + 2*48000 + d.rw.tsOffset; got.RTPTime != want {
		t.Fatalf("SR RTP time %d, want %d (publisher's SR + 2 s + offset %d)", got.RTPTime, want, d.rw.tsOffset)
	}
	if got.NTPTime != rtcp.NTPTime(rep) || got.PacketCount != 2 {
		t.Fatalf("SR NTP %x packets %d", got.NTPTime, got.PacketCount)
	}
}

// blockingWriter holds every write until released.
type blockingWriter struct {
	release chan struct{}
	n       int
	mu      sync.Mutex
}

func (w *blockingWriter) Write(b []byte) (int, error) {
	<-w.release
	w.mu.Lock()
	w.n++
	w.mu.Unlock()
	return len(b), nil
}

// A participant whose packets cannot leave (its worker is stuck writing)
// loses its own packets once its queue is full, counted; a participant
// on another worker is not delayed or dropped.
func TestSenderQueueFullDropsOnlyThatParticipant(t *testing.T) {
	pool := newSenderPool(2)
	defer pool.close()
	stuck := &blockingWriter{release: make(chan struct{})}
	var free countingWriter
	a := pool.newSender(stuck)
	b := pool.newSender(&free)
	if a.worker == b.worker {
		t.Fatal("two senders pinned to one worker of two")
	}
	for _, s := range []*sender{a, b} {
		k, _, err := srtp.FromKeyingMaterial(srtp.ProfileAES128CMHMACSHA1_80, make([]byte, 60), false)
		if err != nil {
			t.Fatal(err)
		}
		s.keys.Store(k)
	}
	const n = sendQueueLen + 100
	h := rtp.Header{Version: 2, PayloadType: 96, SSRC: 1}
	raw, _ := h.Marshal()
	pkt := append(raw, 1, 2, 3)
	for i := range n {
		for _, s := range []*sender{a, b} {
			buf := newPktBuf(pkt)
			s.enqueue(sendItem{buf: buf, rw: rewrite{ext: new(rtp.ExtensionIDMap), ssrc: 7, seq: uint16(i), pt: 96}})
		}
		if i%64 == 0 {
			time.Sleep(time.Millisecond) // let b's worker keep up, as a socket would
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for free.n.Load() != n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if free.n.Load() != n || b.dropQueueFull.Load() != 0 {
		t.Fatalf("free participant: %d of %d sent, %d dropped", free.n.Load(), n, b.dropQueueFull.Load())
	}
	if d := a.dropQueueFull.Load(); d < 100-1 || d > n {
		t.Fatalf("stuck participant dropped %d, want at least %d", d, 100-1)
	}
	close(stuck.release)
	for a.q.len() != 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if a.rtpSent.Load()+a.dropQueueFull.Load() != n {
		t.Fatalf("stuck participant: %d sent + %d dropped != %d", a.rtpSent.Load(), a.dropQueueFull.Load(), n)
	}
}

// The two rings keep order and bound, and never block their producer.
func TestSendQueueAndSentLog(t *testing.T) {
	var q sendQueue
	for i := range sendQueueLen {
		if !q.push(sendItem{rw: rewrite{seq: uint16(i)}}) {
			t.Fatalf("push %d refused", i)
		}
	}
	if q.push(sendItem{}) {
		t.Fatal("push into a full queue accepted")
	}
	for i := range sendQueueLen {
		it, ok := q.pop()
		if !ok || it.rw.seq != uint16(i) {
			t.Fatalf("pop %d: %v %d", i, ok, it.rw.seq)
		}
	}
	if _, ok := q.pop(); ok {
		t.Fatal("pop from an empty queue")
	}
	var l sentLog
	for i := range sentLogLen + 5 {
		l.add(sentRecord{seq: uint16(i)})
	}
	var seqs []uint16
	l.drain(func(r *sentRecord) { seqs = append(seqs, r.seq) })
	if len(seqs) != sentLogLen || seqs[0] != 0 || l.lost.Load() != 5 {
		t.Fatalf("drained %d records, lost %d", len(seqs), l.lost.Load())
	}
}

// Where the subscriber negotiated RTX, a NACK is answered with an RTX
// packet (RFC 4588 §4): its own SSRC, payload type and sequence numbers,
// the lost packet's sequence number (OSN) first, then its payload as first
// sent. The media stream's SRTP indexes are never used twice.
func TestRoomNACKAnsweredWithRTX(t *testing.T) {
	r, pub, subs, sim, now := twoSubscriberRoom(t)
	d := subs[0].downs[1]
	d.rtxPT, d.rtxSSRC = 99, 0xabc
	subs[0].downBySSRC[d.rtxSSRC] = d
	for i := range uint16(5) {
		r.handleRTP(pub, rtpPacket(t, 96, 300+i, 90*uint32(i), 2001, vp8Key, map[uint8][]byte{4: []byte("1")}), now)
	}
	deliver(t, r, sim)
	orig := sim["sub0"].plain[2]
	r.handleRTCP(subs[0], nackFor(t, d, 302, 303), now.Add(20*time.Millisecond))
	got := deliver(t, r, sim)["sub0"]
	if len(got) != 2 {
		t.Fatalf("%d retransmissions, want 2", len(got))
	}
	plain := sim["sub0"].plain
	rtx := plain[len(plain)-2]
	var h, oh rtp.Header
	n, err := h.Unmarshal(rtx)
	if err != nil {
		t.Fatal(err)
	}
	on, _ := oh.Unmarshal(orig)
	if h.SSRC != 0xabc || h.PayloadType != 99 || h.SequenceNumber != 0 || h.Timestamp != oh.Timestamp {
		t.Fatalf("RTX header %+v", h)
	}
	if osn := uint16(rtx[n])<<8 | uint16(rtx[n+1]); osn != oh.SequenceNumber || !bytes.Equal(rtx[n+2:], orig[on:]) {
		t.Fatalf("RTX payload: OSN %d (want %d), payload equal %v", osn, oh.SequenceNumber, bytes.Equal(rtx[n+2:], orig[on:]))
	}
	var h2 rtp.Header
	h2.Unmarshal(plain[len(plain)-1])
	if h2.SequenceNumber != 1 || h2.SSRC != 0xabc {
		t.Fatalf("second RTX packet %+v", h2)
	}
}

// A gap in a publisher's video sequence numbers is asked for once, with a
// Generic NACK to the publisher (RFC 4585 §6.2.1) listing exactly the
// missing packets; reordering and the repaired packets ask nothing more.
func TestRoomNACKsPublisherForUpstreamLoss(t *testing.T) {
	r, pub, _, sim, now := twoSubscriberRoom(t)
	send := func(seq uint16) []byte {
		r.handleRTP(pub, rtpPacket(t, 96, seq, 0, 2001, vp8Key, nil), now)
		var fb []byte
		r.pollTransmits(func(to *peer, it sendItem) {
			if to == pub && it.rtcp {
				fb = append([]byte(nil), it.buf.bytes()...)
			}
			it.buf.release()
		})
		return fb
	}
	_ = sim
	for _, seq := range []uint16{10, 11} {
		if fb := send(seq); fb != nil {
			t.Fatalf("feedback without loss at %d", seq)
		}
	}
	fb := send(15)
	if fb == nil {
		t.Fatal("no NACK for 12-14")
	}
	it := rtcp.NewIterator(fb)
	var rp rtcp.Packet
	var lost []uint16
	for it.Next(&rp) {
		if rp.Kind() == rtcp.KindNACK {
			var n rtcp.NACK
			if err := n.Unmarshal(rp.Raw); err != nil {
				t.Fatal(err)
			}
			if n.MediaSSRC != 2001 {
				t.Fatalf("NACK for SSRC %d", n.MediaSSRC)
			}
			for _, p := range n.Pairs {
				p.ForEach(func(s uint16) { lost = append(lost, s) })
			}
		}
	}
	if fmt.Sprint(lost) != "[12 13 14]" {
		t.Fatalf("NACK lists %v, want [12 13 14]", lost)
	}
	for _, seq := range []uint16{13, 12, 14, 16} {
		if fb := send(seq); fb != nil {
			t.Fatalf("feedback again at %d", seq)
		}
	}
	if pub.tracks[1].nacksSent != 1 {
		t.Fatalf("%d NACKs sent", pub.tracks[1].nacksSent)
	}
}
