package sfu

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/rtp"
)

// libdatachannel writes a=ice-options:ice2,trickle (comma, not space,
// RFC 8839 §5.6): the offer is answered, the options ignored, counted,
// and logged once.
func TestICEOptionsMalformedIgnored(t *testing.T) {
	s, hs, rec := newRecordedServer(t, 0)
	for range 2 {
		resp, body := postPeerOffer(t, hs.URL, "r", peerOffer{setup: "actpass", iceOptions: "ice2,trickle"},
			"ldcufrag", "libdatachannelpassword1", "sha-256 "+strings.Repeat("AB:", 31)+"AB")
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("offer with a=ice-options:ice2,trickle: %d %s", resp.StatusCode, body)
		}
	}
	// Known options are not counted.
	if resp, body := postPeerOffer(t, hs.URL, "r", peerOffer{setup: "actpass", iceOptions: "trickle ice2"},
		"okufrag1", "okpasswordokpassword12", "sha-256 "+strings.Repeat("AB:", 31)+"AB"); resp.StatusCode != http.StatusCreated {
		t.Fatalf("offer with a=ice-options:trickle ice2: %d %s", resp.StatusCode, body)
	}
	if n := s.Stats()["sdp.ice_options_ignored"]; n != 2 {
		t.Fatalf("sdp.ice_options_ignored = %d, want 2", n)
	}
	var logged int
	for _, r := range rec.all() {
		if strings.Contains(r.Msg, "ice-options ignored") {
			logged++
			if r.Attrs["options"] != "ice2,trickle" {
				t.Errorf("logged options %q", r.Attrs["options"])
			}
		}
	}
	if logged != 1 {
		t.Fatalf("ice-options logged %d times, want once", logged)
	}
}

// GStreamer's webrtcbin writes opus/48000 without "/2" (RFC 7587 §7
// requires it). It is stereo Opus: a publisher sending it reaches a
// browser subscriber that offered opus/48000/2, and the other way round;
// the codec is never accepted only to have its packets dropped. Counted
// and logged once.
func TestOpusWithoutChannelsIsForwarded(t *testing.T) {
	for _, c := range []struct{ name, pub, sub string }{
		{"gstreamer publisher", "opus/48000", "opus/48000/2"},
		{"gstreamer subscriber", "opus/48000/2", "opus/48000"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, hs, rec := newRecordedServer(t, 0)
			pub := newTestPeer(t, s, hs.URL, "r", peerOffer{setup: "actpass", opusRTPMap: c.pub})
			if !strings.Contains(pub.answer, "a=rtpmap:111 "+c.pub+"\r\n") {
				t.Fatalf("publisher answer does not accept %s:\n%s", c.pub, pub.answer)
			}
			sub := newTestPeer(t, s, hs.URL, "r", peerOffer{kind: KindWHEP, setup: "actpass", opusRTPMap: c.sub})
			if !strings.Contains(sub.answer, "a=rtpmap:111 "+c.sub+"\r\n") || !strings.Contains(sub.answer, "a=sendonly") {
				t.Fatalf("subscriber answer does not send %s:\n%s", c.sub, sub.answer)
			}
			for _, p := range []*testPeer{pub, sub} {
				p.connectICE()
				if err := p.handshake(p.conn, 10*time.Second); err != nil {
					t.Fatal(err)
				}
			}
			waitStat(t, s, "sessions", func(v uint64) bool { return v == 2 }, time.Second)
			// Send until the subscriber has a packet (the SFU starts on
			// the first one it forwards; audio needs no keyframe).
			deadline := time.Now().Add(10 * time.Second)
			for seq := uint16(1); ; seq++ {
				h := rtp.Header{Version: 2, PayloadType: 111, SequenceNumber: seq, Timestamp: uint32(seq) * 960, SSRC: 4242}
				pkt, _ := h.Marshal()
				out, err := pub.local.EncryptRTP(nil, append(pkt, 0xfc, 0xff, 0xfe))
				if err != nil {
					t.Fatal(err)
				}
				pub.conn.WriteToUDPAddrPort(out, pub.server)
				if got, ok := receiveRTP(sub, 20*time.Millisecond); ok {
					var rh rtp.Header
					if _, err := rh.Unmarshal(got); err != nil || rh.PayloadType != 111 {
						t.Fatalf("forwarded packet %x: %v", got, err)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("no Opus packet reached the subscriber; stats %v", s.Stats())
				}
			}
			if n := s.Stats()["sdp.opus_without_channels"]; n != 1 {
				t.Fatalf("sdp.opus_without_channels = %d, want 1", n)
			}
			var logged int
			for _, r := range rec.all() {
				if strings.Contains(r.Msg, "opus/48000 without /2") {
					logged++
				}
			}
			if logged != 1 {
				t.Fatalf("logged %d times, want once", logged)
			}
		})
	}
}

// receiveRTP returns the next SRTP packet (not SRTCP) the SFU sent p,
// unprotected, within d.
func receiveRTP(p *testPeer, d time.Duration) ([]byte, bool) {
	timeout := time.After(d)
	for {
		select {
		case pkt := <-p.media:
			if len(pkt) > 1 && pkt[1] >= 192 && pkt[1] <= 223 {
				continue // RTCP (RFC 5761 §4)
			}
			plain, err := p.remote.DecryptRTP(pkt)
			if err != nil {
				continue
			}
			return plain, true
		case <-timeout:
			return nil, false
		}
	}
}
