package sfu

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"
	"time"
)

var (
	inspectSFU  = netip.MustParseAddrPort("127.0.0.1:50000")
	inspectPeer = netip.MustParseAddrPort("127.0.0.1:40000")
)

// feedLines decodes what a feed holds.
func feedLines(t *testing.T, f *inspectFeed) []inspectLine {
	t.Helper()
	raw, _, _, _, _ := f.since(0)
	var out []inspectLine
	for _, b := range raw {
		var l inspectLine
		if err := json.Unmarshal(b, &l); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		out = append(out, l)
	}
	return out
}

// A full queue drops datagrams instead of blocking the packet path, and
// the stream says how many were not inspected.
func TestInspectorFullQueueDrops(t *testing.T) {
	in := newInspector(time.Now(), inspectSFU, true, "")
	pkt := make([]byte, 200)
	pkt[0] = 0x80
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range inspectQueueLen + 100 {
			in.Datagram(time.Now(), inspectPeer, inspectSFU, pkt)
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Datagram blocked on a full queue")
	}
	if got := in.notInspected.Load(); got != 100 {
		t.Errorf("not inspected %d, want 100", got)
	}
	if len(in.queue) != inspectQueueLen {
		t.Errorf("queue holds %d, want %d", len(in.queue), inspectQueueLen)
	}
	in.flush(time.Now())
	var found bool
	for _, l := range feedLines(t, in.feed) {
		if l.Layer == "session" && l.Count == 100 && strings.HasPrefix(l.Summary, "100 datagrams not inspected") {
			found = true
		}
	}
	if !found {
		t.Errorf("no line says 100 datagrams were not inspected: %+v", feedLines(t, in.feed))
	}
}

// Past inspectLinesPerSecond lines are suppressed and then counted in one
// line; the feed keeps only its last inspectRingLen lines, numbered
// without gaps.
func TestInspectorRateLimitAndRing(t *testing.T) {
	in := newInspector(time.Now(), inspectSFU, true, "")
	now := time.Now()
	for range 3 * inspectLinesPerSecond {
		in.lines.emit(now, &inspectLine{Layer: "stun", Summary: "x", Ref: "RFC 8489 §6"})
	}
	ls := feedLines(t, in.feed)
	if len(ls) > inspectLinesPerSecond+1 || len(ls) < inspectLinesPerSecond-1 {
		t.Fatalf("%d lines in a burst of %d, want about %d", len(ls), 3*inspectLinesPerSecond, inspectLinesPerSecond)
	}
	in.lines.refilled = in.lines.refilled.Add(-2 * time.Second) // a second later
	in.lines.emit(now, &inspectLine{Layer: "stun", Summary: "after", Ref: "RFC 8489 §6"})
	ls = feedLines(t, in.feed)
	note := ls[len(ls)-2]
	if note.Layer != "session" || !strings.Contains(note.Summary, "lines suppressed") || note.Count+len(ls)-2 != 3*inspectLinesPerSecond {
		t.Errorf("suppression note %+v after %d lines", note, len(ls)-2)
	}
	if last := ls[len(ls)-1]; last.Summary != "after" || last.URL != "https://www.rfc-editor.org/rfc/rfc8489#section-6" {
		t.Errorf("last line %+v", last)
	}

	f := newInspectFeed(10)
	for range 25 {
		f.add(&inspectLine{Layer: "rtp"})
	}
	raw, last, _, _, missed := f.since(3)
	if len(raw) != 10 || last != 25 || missed != 12 {
		t.Errorf("since(3): %d lines up to %d, %d missed; want 10 up to 25, 12 missed", len(raw), last, missed)
	}
	var first inspectLine
	json.Unmarshal(raw[0], &first)
	if first.Seq != 16 {
		t.Errorf("oldest kept line has seq %d, want 16", first.Seq)
	}
	f.close()
	if _, _, ch, closed, _ := f.since(25); !closed {
		t.Error("closed feed not reported closed")
	} else {
		select {
		case <-ch:
		default:
			t.Error("a closed feed's channel is not closed")
		}
	}
}

// The observer's packet path: a copy into a pooled buffer and a channel
// send ("queued": the queue is emptied, as the inspector's goroutine
// would, each time it fills, so every datagram is queued), and the drop
// of a datagram when the queue is full ("full").
func BenchmarkInspectorDatagram(b *testing.B) {
	pkt := make([]byte, 1200)
	pkt[0] = 0x80
	b.Run("queued", func(b *testing.B) {
		in := newInspector(time.Now(), inspectSFU, true, "")
		now := time.Now()
		b.ReportAllocs()
		b.SetBytes(int64(len(pkt)))
		for b.Loop() {
			if len(in.queue) == cap(in.queue) {
				for range cap(in.queue) {
					inspectPool.Put(<-in.queue)
				}
			}
			in.Datagram(now, inspectPeer, inspectSFU, pkt)
		}
		if n := in.notInspected.Load(); n != 0 {
			b.Fatalf("%d datagrams dropped", n)
		}
	})
	b.Run("full", func(b *testing.B) {
		in := newInspector(time.Now(), inspectSFU, true, "")
		now := time.Now()
		for range inspectQueueLen {
			in.Datagram(now, inspectPeer, inspectSFU, pkt)
		}
		b.ReportAllocs()
		for b.Loop() {
			in.Datagram(now, inspectPeer, inspectSFU, pkt)
		}
	})
}

// A renegotiation line names the sections added and stopped and the
// direction changes, in the participant's view.
func TestInspectorSDPDiff(t *testing.T) {
	before := []sdpSection{{mid: "0", kind: "audio", dir: "sendonly"}, {mid: "1", kind: "video", dir: "sendonly"}, {mid: "3", kind: "video", dir: "recvonly"}}
	after := []sdpSection{{mid: "0", kind: "audio", dir: "sendrecv"}, {mid: "1", kind: "video", dir: "sendonly"},
		{mid: "3", kind: "video", dir: "recvonly", rejected: true}, {mid: "4", kind: "audio", dir: "recvonly", codecs: []string{"opus/48000"}}}
	got := strings.Join(diffSections(before, after), "; ")
	want := "mid 0 audio sendonly → sendrecv; stopped mid 3 video; added mid 4 audio recvonly opus/48000"
	if got != want {
		t.Errorf("diff\n got %s\nwant %s", got, want)
	}
}

// Whatever arrives on the socket, and whatever SDP is exchanged, the
// inspector explains it without panicking, in order.
func FuzzInspectorDatagram(f *testing.F) {
	f.Add([]byte{0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, []byte("v=0\r\n"), true)
	f.Add([]byte{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, []byte("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n"), false)
	f.Add([]byte{0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, []byte{}, true)
	f.Add([]byte{0x81, 0xc8, 0, 1, 0, 0, 0, 1}, []byte{}, false)
	f.Fuzz(func(t *testing.T, dg, sdp []byte, in bool) {
		ins := newInspector(time.Now(), inspectSFU, true, "")
		ins.lines.exchange(time.Now(), sdp, sdp)
		src, dst := inspectPeer, inspectSFU
		if !in {
			src, dst = dst, src
		}
		for range 3 {
			ins.lines.datagram(time.Now(), src, dst, dg)
		}
		ins.lines.flush(time.Now().Add(10 * time.Second))
		for _, l := range feedLines(t, ins.feed) {
			if l.Layer == "" {
				t.Errorf("line without a layer: %+v", l)
			}
		}
	})
}
