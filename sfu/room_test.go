package sfu

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/rtcp"
)

// subscriberOffer turns the Chromium publish offer into a receive offer
// with other payload type numbers and extension IDs, as a second browser
// would send.
func subscriberOffer() string {
	s := strings.ReplaceAll(chromeOffer, "a=sendonly", "a=recvonly")
	s = strings.ReplaceAll(s, "a=ssrc:1001 cname:c1\r\n", "")
	s = strings.ReplaceAll(s, "a=ssrc:1001 msid:s1 a1\r\n", "")
	s = strings.ReplaceAll(s, "a=ssrc-group:FID 2001 2002\r\na=ssrc:2001 cname:c1\r\na=ssrc:2002 cname:c1\r\n", "")
	s = strings.ReplaceAll(s, " 96 97 102 103", " 98 99 102 103")
	s = strings.ReplaceAll(s, ":96 ", ":98 ")
	s = strings.ReplaceAll(s, ":97 ", ":99 ")
	s = strings.ReplaceAll(s, "apt=96", "apt=98")
	s = strings.ReplaceAll(s, "a=extmap:13 urn:3gpp:video-orientation", "a=extmap:3 urn:3gpp:video-orientation")
	return s
}

type outPkt struct {
	to   string
	rtcp bool
	b    []byte
}

// drainAll plays the sender workers: it takes the room's transmits, applies
// each rewrite to a copy as a worker would, and reports every RTP packet
// sent back to the room (its "packet sent" input).
func drainAll(r *room) []outPkt {
	var out []outPkt
	r.pollTransmits(func(to *peer, it sendItem) {
		b := append([]byte(nil), it.buf.bytes()...)
		it.buf.release()
		if !it.rtcp {
			n, err := it.rw.apply(b)
			if err != nil {
				return // a worker counts it in rewriteFailures
			}
			r.handleSent(to, &sentRecord{ssrc: it.rw.ssrc, seq: it.rw.seq, payload: uint16(len(b) - n)})
		}
		out = append(out, outPkt{to.id, it.rtcp, b})
	})
	return out
}

func setupRoom(t *testing.T) (*room, *peer, *peer, time.Time) {
	t.Helper()
	e := newRoom("r", slog.New(slog.DiscardHandler))
	now := time.Unix(1000, 0)
	po, err := parseOffer([]byte(chromeOffer))
	if err != nil {
		t.Fatal(err)
	}
	pub, media, err := e.addPublisher("pub", po, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(media) != 3 || media[0].Direction != "recvonly" || media[1].Codecs[0].PT != 96 || media[2].SCTPPort != 5000 {
		t.Fatalf("publisher answer %+v", media)
	}
	so, err := parseOffer([]byte(subscriberOffer()))
	if err != nil {
		t.Fatal(err)
	}
	sub, media, err := e.addSubscriber("sub", so, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(sub.downs) != 2 || sub.downs[1].codec.PT != 98 || sub.downs[1].track == nil || media[1].SSRC != sub.downs[1].ssrc {
		t.Fatalf("subscriber answer %+v", media)
	}
	e.setReady(pub, now)
	e.setReady(sub, now)
	return e, pub, sub, now
}

func TestRoomForwardsRewritten(t *testing.T) {
	e, pub, sub, now := setupRoom(t)
	drainAll(e) // the PLI the subscriber's join triggered
	key := []byte{0x10, 0x00, 0x9d, 0x01, 0x2a}
	pkt := rtpPacket(t, 96, 500, 9000, 2001, key, map[uint8][]byte{4: []byte("1"), 13: {1}})
	e.handleRTP(pub, pkt, now)
	out := drainAll(e)
	if len(out) != 1 || out[0].to != "sub" || out[0].rtcp {
		t.Fatalf("outbox %+v", out)
	}
	h, _ := parse(t, out[0].b)
	if h.PayloadType != 98 || h.SSRC != sub.downs[1].ssrc || h.SequenceNumber != 500 {
		t.Fatalf("forwarded header %+v", h)
	}
	if v := h.GetExtension(3); len(v) != 1 || v[0] != 1 {
		t.Fatalf("video orientation not remapped to ID 3: %x", v)
	}
	// RTX from the FID group is not forwarded but counted.
	e.handleRTP(pub, rtpPacket(t, 97, 1, 1, 2002, []byte{0, 1}, nil), now)
	if out := drainAll(e); len(out) != 0 || pub.stats.rtpRTX != 1 {
		t.Fatalf("rtx forwarded: %d packets, counter %d", len(out), pub.stats.rtpRTX)
	}
	// Garbage after decryption is counted, never forwarded.
	e.handleRTP(pub, []byte{0x80, 1}, now)
	if out := drainAll(e); len(out) != 0 || pub.stats.rtpBad != 1 {
		t.Fatal("bad packet not counted")
	}
}

func TestRoomKeyframeRequestsThrottled(t *testing.T) {
	e, pub, sub, now := setupRoom(t)
	out := drainAll(e)
	if len(out) != 1 || out[0].to != "pub" || !out[0].rtcp {
		t.Fatalf("a new subscriber should trigger one PLI to the publisher, got %+v", out)
	}
	var pli rtcp.PLI
	it := rtcp.NewIterator(out[0].b)
	var rp rtcp.Packet
	found := false
	for it.Next(&rp) {
		if rp.Kind() == rtcp.KindPLI {
			if err := pli.Unmarshal(rp.Raw); err != nil {
				t.Fatal(err)
			}
			found = pli.MediaSSRC == 2001 && pli.SenderSSRC == pub.ssrc
		}
	}
	if !found {
		t.Fatalf("no PLI for SSRC 2001 in %x", out[0].b)
	}
	// The subscriber asks twice within 500 ms: one PLI is sent, the rest throttled.
	req := rtcp.PLI{SenderSSRC: 1, MediaSSRC: sub.downs[1].ssrc}
	b, _ := req.Marshal()
	e.handleRTCP(sub, b, now.Add(100*time.Millisecond))
	e.handleRTCP(sub, b, now.Add(200*time.Millisecond))
	if out := drainAll(e); len(out) != 0 {
		t.Fatalf("PLI within 500 ms of the last forwarded: %+v", out)
	}
	e.handleRTCP(sub, b, now.Add(600*time.Millisecond))
	if out := drainAll(e); len(out) != 1 || out[0].to != "pub" {
		t.Fatalf("PLI after 600 ms not forwarded: %+v", out)
	}
	tr := pub.tracks[1]
	if tr.plis != 2 || tr.throttled != 2 || sub.stats.pliIn != 3 {
		t.Fatalf("plis %d throttled %d pliIn %d", tr.plis, tr.throttled, sub.stats.pliIn)
	}
	// FIR reaches the publisher as a PLI too.
	fir := rtcp.FIR{SenderSSRC: 1, Entries: []rtcp.FIREntry{{SSRC: sub.downs[1].ssrc, SeqNr: 1}}}
	b, _ = fir.Marshal()
	e.handleRTCP(sub, b, now.Add(2*time.Second))
	if out := drainAll(e); len(out) != 1 || out[0].to != "pub" {
		t.Fatalf("FIR not turned into a PLI: %+v", out)
	}
}

func TestRoomAnswersNACKFromCache(t *testing.T) {
	e, pub, sub, now := setupRoom(t)
	drainAll(e)
	key := []byte{0x10, 0x00, 0x9d, 0x01, 0x2a}
	for i := uint16(0); i < 5; i++ {
		e.handleRTP(pub, rtpPacket(t, 96, 100+i, 0, 2001, key, nil), now)
	}
	sent := drainAll(e)
	nack := rtcp.NACK{SenderSSRC: 1, MediaSSRC: sub.downs[1].ssrc, Pairs: rtcp.AppendNACKPairs(nil, []uint16{101, 103, 4000})}
	b, _ := nack.Marshal()
	e.handleRTCP(sub, b, now)
	out := drainAll(e)
	if len(out) != 2 || string(out[0].b) != string(sent[1].b) || string(out[1].b) != string(sent[3].b) {
		t.Fatalf("NACK answer: %d packets", len(out))
	}
	d := sub.downs[1]
	if d.nacked != 3 || d.resent != 2 {
		t.Fatalf("nacked %d resent %d", d.nacked, d.resent)
	}
}

func TestRoomReports(t *testing.T) {
	e, pub, sub, now := setupRoom(t)
	drainAll(e)
	for i := uint16(0); i < 3; i++ {
		e.handleRTP(pub, rtpPacket(t, 111, 10+i, 960*uint32(i), 1001, []byte{1, 2, 3}, nil), now)
	}
	sr := rtcp.SenderReport{SSRC: 1001, NTPTime: 0x1234567890abcdef}
	b, _ := sr.Marshal()
	e.handleRTCP(pub, b, now)
	drainAll(e)
	e.tick(now.Add(2 * time.Second))
	out := drainAll(e)
	var gotRR, gotSR bool
	for _, o := range out {
		it := rtcp.NewIterator(o.b)
		var rp rtcp.Packet
		for it.Next(&rp) {
			switch {
			case o.to == "pub" && rp.Kind() == rtcp.KindReceiverReport:
				var rr rtcp.ReceiverReport
				if err := rr.Unmarshal(rp.Raw); err != nil {
					t.Fatal(err)
				}
				for _, r := range rr.Reports {
					if r.SSRC == 1001 && r.ExtendedHighestSeq == 12 && r.LastSR == 0x567890ab && r.DelaySinceLastSR == 2*65536 {
						gotRR = true
					}
				}
			case o.to == "sub" && rp.Kind() == rtcp.KindSenderReport:
				var s rtcp.SenderReport
				if err := s.Unmarshal(rp.Raw); err != nil {
					t.Fatal(err)
				}
				if s.SSRC == sub.downs[0].ssrc && s.PacketCount == 3 && s.OctetCount == 9 {
					gotSR = true
				}
			}
		}
		if err := rtcp.ValidateCompound(o.b); err != nil {
			t.Errorf("report to %s is not a valid compound: %v", o.to, err)
		}
	}
	if !gotRR || !gotSR {
		t.Fatalf("RR to publisher %v, SR to subscriber %v; out %+v", gotRR, gotSR, out)
	}
}

func TestRoomSourceSwitchOnRepublish(t *testing.T) {
	e, pub, sub, now := setupRoom(t)
	drainAll(e)
	for i := uint16(0); i < 3; i++ {
		e.handleRTP(pub, rtpPacket(t, 111, 10+i, 960*uint32(i), 1001, []byte{1}, nil), now)
	}
	last, _ := parse(t, drainAll(e)[2].b)
	e.leave(pub, now)
	if sub.downs[0].track != nil {
		t.Fatal("down track still attached after the publisher left")
	}
	o, _ := parseOffer([]byte(strings.ReplaceAll(chromeOffer, "1001", "3003")))
	pub2, _, err := e.addPublisher("pub2", o, now)
	if err != nil {
		t.Fatal(err)
	}
	if sub.downs[0].track == nil || sub.downs[0].track.pub != pub2 {
		t.Fatal("idle audio stream not attached to the new publisher")
	}
	// The idle video stream took the new video track and asked for a
	// keyframe at once.
	if out := drainAll(e); len(out) != 1 || out[0].to != "pub2" || !out[0].rtcp {
		t.Fatalf("after republish: %+v, want one PLI to pub2", out)
	}
	e.handleRTP(pub2, rtpPacket(t, 111, 40000, 123456, 3003, []byte{1}, nil), now.Add(time.Second))
	out := drainAll(e)
	if len(out) != 1 {
		t.Fatalf("%d packets after republish", len(out))
	}
	h, _ := parse(t, out[0].b)
	if h.SequenceNumber != last.SequenceNumber+1 || h.SSRC != last.SSRC || h.Timestamp != last.Timestamp+48000 {
		t.Fatalf("after switch %d/%d/%x, before %d/%d/%x", h.SequenceNumber, h.Timestamp, h.SSRC, last.SequenceNumber, last.Timestamp, last.SSRC)
	}
}

func TestRTPTicksLongDurations(t *testing.T) {
	for _, c := range []struct {
		d     time.Duration
		clock uint32
		want  uint64
	}{
		{time.Second, 90000, 90000},
		{1500 * time.Millisecond, 48000, 72000},
		{-time.Second, 90000, 0},
		// 56 years since 1970 at 90 kHz: d*clock overflows 64 bits.
		{time.Duration(56*365*24) * time.Hour, 90000, 56 * 365 * 24 * 3600 * 90000},
	} {
		if got := rtpTicks(c.d, c.clock); got != c.want {
			t.Errorf("rtpTicks(%v, %d) = %d, want %d", c.d, c.clock, got, c.want)
		}
	}
}

// A NACK that names one sequence number many times, or is repeated within
// nackResendInterval, resends the packet once; after the interval it may
// be resent again. A number historyLen away (the same slot a wrap later)
// finds nothing.
func TestRoomNACKResendThrottled(t *testing.T) {
	e, pub, sub, now := setupRoom(t)
	drainAll(e)
	key := []byte{0x10, 0x00, 0x9d, 0x01, 0x2a}
	for i := uint16(0); i < 5; i++ {
		e.handleRTP(pub, rtpPacket(t, 96, 100+i, 0, 2001, key, nil), now)
	}
	drainAll(e)
	seqs := make([]uint16, 0, 200)
	for range 100 {
		seqs = append(seqs, 101, 101+historyLen)
	}
	var nack rtcp.NACK
	nack.SenderSSRC, nack.MediaSSRC = 1, sub.downs[1].ssrc
	for _, s := range seqs {
		nack.Pairs = append(nack.Pairs, rtcp.NACKPair{PID: s})
	}
	b, err := nack.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	e.handleRTCP(sub, b, now)
	if out := drainAll(e); len(out) != 1 {
		t.Fatalf("NACK naming seq 101 100 times: %d packets resent, want 1", len(out))
	}
	e.handleRTCP(sub, b, now.Add(nackResendInterval/2))
	if out := drainAll(e); len(out) != 0 {
		t.Fatalf("repeated NACK within %v: %d packets resent, want 0", nackResendInterval, len(out))
	}
	e.handleRTCP(sub, b, now.Add(nackResendInterval))
	if out := drainAll(e); len(out) != 1 {
		t.Fatalf("NACK after %v: %d packets resent, want 1", nackResendInterval, len(out))
	}
	if d := sub.downs[1]; d.resent != 2 || d.throttled != 298 {
		t.Fatalf("resent %d throttled %d, want 2 and 298", d.resent, d.throttled)
	}
}

// The SR's RTP time follows the newest packet sent, not a late (reordered)
// one: RFC 3550 §6.4.1 ties it to the same instant as the NTP time.
func TestRoomSenderReportIgnoresReorderedPacket(t *testing.T) {
	e, pub, sub, now := setupRoom(t)
	drainAll(e)
	e.handleRTP(pub, rtpPacket(t, 111, 10, 96000, 1001, []byte{1}, nil), now)
	e.handleRTP(pub, rtpPacket(t, 111, 12, 96000+1920, 1001, []byte{1}, nil), now)
	// Seq 11 arrives late, 1 s after the others.
	e.handleRTP(pub, rtpPacket(t, 111, 11, 96000+960, 1001, []byte{1}, nil), now.Add(time.Second))
	drainAll(e)
	at := now.Add(2 * time.Second)
	e.tick(at)
	var got *rtcp.SenderReport
	for _, o := range drainAll(e) {
		it := rtcp.NewIterator(o.b)
		var rp rtcp.Packet
		for it.Next(&rp) {
			if o.to == "sub" && rp.Kind() == rtcp.KindSenderReport {
				got = &rtcp.SenderReport{}
				if err := got.Unmarshal(rp.Raw); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if got == nil || got.SSRC != sub.downs[0].ssrc {
		t.Fatalf("no SR for the audio stream to the subscriber: %+v", got)
	}
	// Seq 12 (ts 97920) went out at now; the SR is 2 s later at 48 kHz.
	if want := uint32(96000 + 1920 + 2*48000); got.RTPTime != want {
		t.Fatalf("SR RTP time %d, want %d", got.RTPTime, want)
	}
	if got.NTPTime != rtcp.NTPTime(at) {
		t.Fatalf("SR NTP time %x, want %x", got.NTPTime, rtcp.NTPTime(at))
	}
}

// The subscriber's receiver report about our stream gives the round trip:
// it arrives 300 ms after our SR and says it held the SR 100 ms (DLSR),
// so the RTT is 200 ms (RFC 3550 §6.4.1).
func TestRoomRoundTripFromSubscriberReport(t *testing.T) {
	e, pub, sub, now := setupRoom(t)
	drainAll(e)
	e.handleRTP(pub, rtpPacket(t, 111, 10, 960, 1001, []byte{1}, nil), now)
	drainAll(e)
	at := now.Add(2 * time.Second)
	e.tick(at)
	var lsr uint32
	for _, o := range drainAll(e) {
		it := rtcp.NewIterator(o.b)
		var rp rtcp.Packet
		for it.Next(&rp) {
			if o.to == "sub" && rp.Kind() == rtcp.KindSenderReport {
				var sr rtcp.SenderReport
				if err := sr.Unmarshal(rp.Raw); err != nil {
					t.Fatal(err)
				}
				lsr = rtcp.NTPMiddle(sr.NTPTime)
			}
		}
	}
	if lsr == 0 {
		t.Fatal("no SR to the subscriber")
	}
	rr := rtcp.ReceiverReport{SSRC: 77, Reports: []rtcp.ReceptionReport{{
		SSRC: sub.downs[0].ssrc, FractionLost: 26, LastSR: lsr, DelaySinceLastSR: rtcp.DelayUnits(100 * time.Millisecond)}}}
	b, err := rtcp.AppendCompound(nil, &rr)
	if err != nil {
		t.Fatal(err)
	}
	e.handleRTCP(sub, b, at.Add(300*time.Millisecond))
	d := sub.downs[0]
	if d.rtt < 199*time.Millisecond || d.rtt > 201*time.Millisecond || d.fractionLost != 26 {
		t.Fatalf("rtt %v fraction lost %d, want 200ms and 26", d.rtt, d.fractionLost)
	}
}

// Before its DTLS is up a subscriber gets nothing: no packet is decided,
// queued or remembered for it, and no keyframe is asked for it. setReady asks for one and media flows.
func TestRoomWaitsForSubscriberReady(t *testing.T) {
	e := newRoom("r", slog.New(slog.DiscardHandler))
	now := time.Unix(1000, 0)
	po, _ := parseOffer([]byte(chromeOffer))
	pub, _, err := e.addPublisher("pub", po, now)
	if err != nil {
		t.Fatal(err)
	}
	e.setReady(pub, now)
	so, _ := parseOffer([]byte(subscriberOffer()))
	sub, _, err := e.addSubscriber("sub", so, now)
	if err != nil {
		t.Fatal(err)
	}
	key := []byte{0x10, 0x00, 0x9d, 0x01, 0x2a}
	e.handleRTP(pub, rtpPacket(t, 96, 500, 9000, 2001, key, nil), now)
	e.tick(now.Add(2 * time.Second))
	for _, o := range drainAll(e) {
		if o.to == "sub" || !o.rtcp {
			t.Fatalf("sent to a subscriber that is not ready: %+v", o)
		}
	}
	if sub.downs[1].forwarded != 0 || sub.downs[1].history.get(500) != nil || pub.tracks[1].plis != 0 {
		t.Fatalf("forwarded %d, PLIs %d before the subscriber is ready", sub.downs[1].forwarded, pub.tracks[1].plis)
	}
	at := now.Add(3 * time.Second)
	e.setReady(sub, at)
	if out := drainAll(e); len(out) != 1 || out[0].to != "pub" || pub.tracks[1].plis != 1 {
		t.Fatalf("setReady should send one PLI to the publisher: %+v", out)
	}
	e.handleRTP(pub, rtpPacket(t, 96, 501, 9000, 2001, key, nil), at)
	if out := drainAll(e); len(out) != 1 || out[0].to != "sub" || sub.downs[1].history.get(501) == nil {
		t.Fatalf("after setReady: %+v", out)
	}
}
