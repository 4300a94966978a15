package endpoint_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/endpoint"
	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu"
	"github.com/plainrtc/plainrtc/sfu/datachannel"
)

// startSFU runs the SFU on loopback behind an httptest server. Only its
// HTTP surface is used: POST /whip/{room}, POST /whep/{room}, DELETE.
func startSFU(t *testing.T) string {
	t.Helper()
	s, err := sfu.New(sfu.Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() { hs.Close(); s.Close() })
	return hs.URL
}

// vp8Keyframe is a VP8 payload (RFC 7741 §4.2 descriptor with S=1 and
// PID 0, then a key frame header: P=0 and the start code 9d 01 2a,
// RFC 6386 §9.1) followed by a marker that makes each packet's bytes
// unique.
func vp8Keyframe(n int) []byte {
	return append([]byte{0x10, 0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01}, fmt.Sprintf("vp8 frame %d", n)...)
}

// opusFrame is an Opus payload: a TOC byte (config 31, stereo, one
// frame, RFC 6716 §3.1) and a marker.
func opusFrame(n int) []byte {
	return append([]byte{0xfc}, fmt.Sprintf("opus frame %d", n)...)
}

// A WHIP publisher endpoint sends Opus and VP8; a WHEP viewer endpoint
// gets both through the SFU, decrypted, with the publisher's payload
// bytes in its own negotiated payload types.
func TestWHIPPublisherToWHEPViewer(t *testing.T) {
	base := startSFU(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	pub, err := endpoint.Publish(ctx, nil, base+"/whip/room1", endpoint.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	if pub.Location == "" {
		t.Error("no Location from the WHIP 201")
	}
	view, err := endpoint.Play(ctx, nil, base+"/whep/room1", endpoint.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer view.Close()

	audio, ok1 := pub.Track("audio")
	video, ok2 := pub.Track("video")
	if !ok1 || !ok2 || !audio.Direction.Sends() || !video.Direction.Sends() {
		t.Fatalf("publisher tracks %+v", pub.Tracks())
	}
	vAudio, _ := view.Track("audio")
	vVideo, _ := view.Track("video")
	if !vAudio.Direction.Receives() || !vVideo.Direction.Receives() || len(vAudio.RemoteSSRCs) == 0 || len(vVideo.RemoteSSRCs) == 0 {
		t.Fatalf("viewer tracks %+v", view.Tracks())
	}

	// Publish until the viewer has seen both kinds: the SFU forwards
	// video from a keyframe on, once the viewer's DTLS is up.
	sent := map[string]bool{}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			pub.WriteRTP(rtpPacket(t, audio, uint16(i), opusFrame(i)))
			pub.WriteRTP(rtpPacket(t, video, uint16(i), vp8Keyframe(i)))
		}
	}()
	defer func() { close(stop); <-done }()
	got := map[uint32]int{}
	for len(got) < 2 || got[vAudio.RemoteSSRCs[0]] < 3 || got[vVideo.RemoteSSRCs[0]] < 3 {
		b, err := view.ReadRTP(ctx)
		if err != nil {
			t.Fatalf("viewer got %v before: %v", got, err)
		}
		var p rtp.Packet
		if err := p.Unmarshal(b); err != nil {
			t.Fatalf("viewer RTP: %v", err)
		}
		var want endpoint.Track
		switch p.SSRC {
		case vAudio.RemoteSSRCs[0]:
			want = vAudio
			if !bytes.HasPrefix(p.Payload, []byte("\xfcopus frame ")) {
				t.Errorf("audio payload %q", p.Payload)
			}
		case vVideo.RemoteSSRCs[0]:
			want = vVideo
			if !bytes.HasPrefix(p.Payload, vp8Keyframe(0)[:11]) || !bytes.Contains(p.Payload, []byte("vp8 frame ")) {
				t.Errorf("video payload %x", p.Payload)
			}
		default:
			t.Fatalf("packet with SSRC %d the answer did not announce (%v / %v)", p.SSRC, vAudio.RemoteSSRCs, vVideo.RemoteSSRCs)
		}
		if p.PayloadType != want.PayloadType {
			t.Errorf("%s payload type %d, want the negotiated %d", want.Kind, p.PayloadType, want.PayloadType)
		}
		// The bytes are exactly some packet the publisher sent.
		var n int
		if _, err := fmt.Sscanf(string(p.Payload[bytes.LastIndexByte(p.Payload, ' ')+1:]), "%d", &n); err != nil {
			t.Fatalf("payload %q without its counter", p.Payload)
		}
		exp := opusFrame(n)
		if want.Kind == "video" {
			exp = vp8Keyframe(n)
		}
		if !bytes.Equal(p.Payload, exp) {
			t.Errorf("payload %x, want %x", p.Payload, exp)
		}
		sent[want.Kind] = true
		got[p.SSRC]++
	}
	if pub.Stats.RTPOut.Load() == 0 || view.Stats.DropSRTP.Load() != 0 {
		t.Errorf("publisher sent %d, viewer dropped %d for SRTP", pub.Stats.RTPOut.Load(), view.Stats.DropSRTP.Load())
	}
	// The SFU sends receiver reports to its publisher (RTCP termination).
	rtcpCtx, c2 := context.WithTimeout(ctx, 10*time.Second)
	defer c2()
	if b, err := pub.ReadRTCP(rtcpCtx); err != nil || len(b) < 8 || b[1] < 200 || b[1] > 206 {
		t.Errorf("publisher RTCP %x %v", b, err)
	}
}

// A data channel through the SFU: it echoes every message (WHIP and
// WHEP alike); the DELETE on Close is answered 200.
func TestDataChannelEchoThroughSFU(t *testing.T) {
	base := startSFU(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, path := range []string{"/whip/dc", "/whep/dc"} {
		t.Run(path, func(t *testing.T) {
			cfg := endpoint.Config{DataChannel: true}
			var s *endpoint.Session
			var err error
			if path == "/whip/dc" {
				s, err = endpoint.Publish(ctx, nil, base+path, cfg)
			} else {
				s, err = endpoint.Play(ctx, nil, base+path, cfg)
			}
			if err != nil {
				t.Fatal(err)
			}
			ch, err := s.OpenDataChannel("echo", datachannel.ChannelOptions{})
			if err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 64<<10)
			for i, msg := range [][]byte{[]byte("hello"), bytes.Repeat([]byte{0xa5}, 16<<10)} {
				isString := i == 0
				if err := ch.WriteMessage(msg, isString); err != nil {
					t.Fatal(err)
				}
				n, gotString, err := ch.ReadMessage(buf)
				if err != nil || gotString != isString || !bytes.Equal(buf[:n], msg) {
					t.Fatalf("echo %d bytes string=%v err %v, want %d bytes string=%v", n, gotString, err, len(msg), isString)
				}
			}
			loc := s.Location
			if err := s.Close(); err != nil {
				t.Fatalf("Close (DELETE %s): %v", loc, err)
			}
			// The resource is gone.
			req, _ := http.NewRequest(http.MethodDelete, loc, nil)
			if r, err := http.DefaultClient.Do(req); err != nil || r.StatusCode != http.StatusNotFound {
				t.Errorf("second DELETE: %v %v, want 404", r, err)
			}
		})
	}
}

// The SFU answers a=setup:passive or active; either way the endpoint
// takes the other role. Which one it took is visible in the answer.
func TestEndpointRoleFollowsAnswer(t *testing.T) {
	base := startSFU(t)
	e, err := endpoint.New(endpoint.Config{Audio: sdp.SendOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	offer, _ := e.Offer()
	if !bytes.Contains(offer, []byte("a=setup:actpass")) {
		t.Fatalf("offer without actpass:\n%s", offer)
	}
	resp, err := http.Post(base+"/whip/r", "application/sdp", bytes.NewReader(offer))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer bytes.Buffer
	answer.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %s", resp.StatusCode, answer.Bytes())
	}
	if err := e.SetAnswer(answer.Bytes()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("SFU answered %s", map[bool]string{true: "active (endpoint is DTLS server)", false: "passive (endpoint is DTLS client)"}[bytes.Contains(answer.Bytes(), []byte("a=setup:active"))])
}
