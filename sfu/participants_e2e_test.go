package sfu_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/endpoint"
	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu"
	"github.com/plainrtc/plainrtc/sfu/datachannel"
)

// These tests join real participants over loopback, built from the
// endpoint package: full ICE, DTLS (the SFU is the DTLS client), SRTP, the
// signaling data channel and the room's renegotiation offers.

func startRoomServer(t *testing.T) (*sfu.Server, string) {
	t.Helper()
	return startRoomServerWith(t, sfu.Config{})
}

// startRoomServerWith starts a server on loopback with cfg's other fields.
func startRoomServerWith(t *testing.T, cfg sfu.Config) (*sfu.Server, string) {
	t.Helper()
	cfg.UDP, cfg.Logger = netip.MustParseAddrPort("127.0.0.1:0"), slog.New(slog.DiscardHandler)
	s, err := sfu.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", s.APIHandler())
	mux.Handle("/whip/", s.Handler())
	mux.Handle("/whep/", s.Handler())
	hs := httptest.NewServer(mux)
	t.Cleanup(func() { hs.Close(); s.Close() })
	return s, hs.URL
}

// participant is a Go client of the room protocol.
type participant struct {
	t      *testing.T
	e      *endpoint.Endpoint
	id     string
	secret string
	// inspect is the join answer's "inspect" token (Config.Inspector).
	inspect string
	sig     *datachannel.Channel
	msgs    chan map[string]any
}

func joinRoom(t *testing.T, ctx context.Context, base, room, name string) *participant {
	t.Helper()
	return joinRoomLogged(t, ctx, base, room, name, quiet)
}

// joinRoomLogged is joinRoom with the endpoint logging to log.
func joinRoomLogged(t *testing.T, ctx context.Context, base, room, name string, log *slog.Logger) *participant {
	t.Helper()
	e, err := endpoint.New(endpoint.Config{Audio: sdp.SendOnly, Video: sdp.SendOnly, DataChannel: true, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	offer, err := e.Offer()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{"name": name, "token": "tok-" + name, "offer": string(offer)})
	resp, err := http.Post(base+"/api/rooms/"+room+"/join", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var jr struct{ ID, Secret, Answer, Inspect, Error string }
	if err := json.NewDecoder(resp.Body).Decode(&jr); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("join: %d %v %s", resp.StatusCode, err, jr.Error)
	}
	if err := e.SetAnswer([]byte(jr.Answer)); err != nil {
		t.Fatal(err)
	}
	if err := e.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	ch, err := e.OpenDataChannel("signal", datachannel.ChannelOptions{Protocol: sfu.SignalProtocol})
	if err != nil {
		t.Fatal(err)
	}
	p := &participant{t: t, e: e, id: jr.ID, secret: jr.Secret, inspect: jr.Inspect, sig: ch, msgs: make(chan map[string]any, 64)}
	go p.readSignals()
	return p
}

// readSignals answers every offer at once and passes every message on.
func (p *participant) readSignals() {
	buf := make([]byte, 256<<10)
	for {
		n, _, err := p.sig.ReadMessage(buf)
		if err != nil {
			close(p.msgs)
			return
		}
		var m map[string]any
		if json.Unmarshal(buf[:n], &m) != nil {
			continue
		}
		if m["type"] == "offer" {
			ans, err := p.e.Answer([]byte(m["sdp"].(string)))
			if err != nil {
				p.t.Errorf("answering the room's offer: %v", err)
				continue
			}
			b, _ := json.Marshal(map[string]any{"type": "answer", "sdp": string(ans), "version": m["version"]})
			p.sig.WriteMessage(b, true)
		}
		p.msgs <- m
	}
}

// waitFor reads messages until one of type typ satisfies ok.
func (p *participant) waitFor(ctx context.Context, typ string, ok func(map[string]any) bool) map[string]any {
	p.t.Helper()
	for {
		select {
		case m, open := <-p.msgs:
			if !open {
				p.t.Fatalf("signaling channel closed waiting for %s", typ)
			}
			if m["type"] == typ && (ok == nil || ok(m)) {
				return m
			}
		case <-ctx.Done():
			p.t.Fatalf("no %s message", typ)
		}
	}
}

func (p *participant) say(v map[string]any) {
	b, _ := json.Marshal(v)
	if err := p.sig.WriteMessage(b, true); err != nil {
		p.t.Fatal(err)
	}
}

// publish sends n Opus and VP8 keyframe packets on the participant's own
// sections.
func (p *participant) publish(t *testing.T, n int, seq0 uint16) {
	for _, kind := range []string{"audio", "video"} {
		tr, _ := p.e.Track(kind)
		for i := range n {
			h := rtp.Header{Version: 2, PayloadType: tr.PayloadType, SequenceNumber: seq0 + uint16(i), Timestamp: uint32(i) * 3000, SSRC: tr.SSRC}
			b, _ := h.Marshal()
			payload := []byte(fmt.Sprintf("opus %s %d", p.id, i))
			if kind == "video" {
				payload = append([]byte{0x10, 0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01}, fmt.Sprintf("vp8 %s %d", p.id, i)...)
			}
			if err := p.e.WriteRTP(append(b, payload...)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if v != nil {
		json.Unmarshal(b, v)
	}
	return resp.StatusCode
}

// Two participants join a room over HTTP and the signaling channel: each
// is offered the other's audio and video, receives them, sees the other
// in the roster and in /api/rooms/{room}; chat reaches both; when one
// leaves by HTTP, the other is told and its streams are stopped.
func TestParticipantsEndToEnd(t *testing.T) {
	_, base := startRoomServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ann := joinRoom(t, ctx, base, "e2e", "Ann")
	ann.waitFor(ctx, "welcome", nil)
	bob := joinRoom(t, ctx, base, "e2e", "Bob")
	bob.waitFor(ctx, "offer", nil)
	ann.waitFor(ctx, "offer", nil)

	// Each sends until the other has the other's media, decrypted.
	for _, pair := range [][2]*participant{{ann, bob}, {bob, ann}} {
		from, to := pair[0], pair[1]
		want := "vp8 " + from.id
		got := false
		for round := uint16(0); !got && round < 20; round++ {
			from.publish(t, 5, round*5)
			rctx, rcancel := context.WithTimeout(ctx, 500*time.Millisecond)
			for !got {
				pkt, err := to.e.ReadRTP(rctx)
				if err != nil {
					break
				}
				got = bytes.Contains(pkt, []byte(want))
			}
			rcancel()
		}
		if !got {
			t.Fatalf("%s never received %s's video", to.id, from.id)
		}
	}
	var room struct {
		Participants []struct {
			ID, Name string
			Tracks   []struct {
				Kind      string
				PacketsIn uint64
			}
			Subscriptions []struct {
				From, Kind string
				PacketsOut uint64
			}
		}
	}
	if code := getJSON(t, base+"/api/rooms/e2e", &room); code != 200 || len(room.Participants) != 2 {
		t.Fatalf("/api/rooms/e2e: %d %+v", code, room)
	}
	for _, p := range room.Participants {
		if len(p.Tracks) != 2 || len(p.Subscriptions) != 2 || p.Tracks[1].PacketsIn == 0 {
			t.Fatalf("participant %s: %+v", p.Name, p)
		}
	}
	var rooms struct {
		Rooms []struct {
			Name         string
			Participants int
		}
	}
	if getJSON(t, base+"/api/rooms", &rooms); len(rooms.Rooms) != 1 || rooms.Rooms[0].Participants != 2 {
		t.Fatalf("/api/rooms: %+v", rooms)
	}

	ann.say(map[string]any{"type": "chat", "text": "hi Bob"})
	for _, p := range []*participant{ann, bob} {
		p.waitFor(ctx, "chat", func(m map[string]any) bool { return m["text"] == "hi Bob" && m["name"] == "Ann" })
	}

	// Bob leaves by HTTP (the page's sendBeacon): Ann is told, and the
	// room offers her the stop of Bob's two sections.
	resp, err := http.Post(base+"/api/rooms/e2e/participants/"+bob.id+"/leave", "text/plain", strings.NewReader(`{"secret":"wrong"}`))
	if err != nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("leave with a wrong secret: %v %d", err, resp.StatusCode)
	}
	resp, err = http.Post(base+"/api/rooms/e2e/participants/"+bob.id+"/leave", "text/plain", strings.NewReader(`{"secret":"`+bob.secret+`"}`))
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("leave: %v %d", err, resp.StatusCode)
	}
	ann.waitFor(ctx, "left", func(m map[string]any) bool { return m["id"] == bob.id })
	ann.waitFor(ctx, "offer", func(m map[string]any) bool { return strings.Count(m["sdp"].(string), "m=video 0 ") == 1 })
	if code := getJSON(t, base+"/api/rooms/e2e", &room); code != 200 || len(room.Participants) != 1 {
		t.Fatalf("after leave: %d %+v", code, room)
	}
	if code := getJSON(t, base+"/api/rooms/nosuch", nil); code != http.StatusNotFound {
		t.Fatalf("unknown room: %d", code)
	}
}

// A WHEP viewer follows a second publisher when the first leaves; WHIP
// publishers are in the room's listing under their ?name=.
func TestWHEPFollowsNextPublisher(t *testing.T) {
	_, base := startRoomServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p1, err := endpoint.Publish(ctx, nil, base+"/whip/follow?name=Cam1", endpoint.Config{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := endpoint.Publish(ctx, nil, base+"/whip/follow?name=Cam2", endpoint.Config{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Close()
	view, err := endpoint.Play(ctx, nil, base+"/whep/follow", endpoint.Config{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer view.Close()
	var room struct{ Participants []struct{ Name string } }
	getJSON(t, base+"/api/rooms/follow", &room)
	names := fmt.Sprint(room.Participants)
	if !strings.Contains(names, "Cam1") || !strings.Contains(names, "Cam2") {
		t.Fatalf("WHIP publishers not listed by name: %s", names)
	}
	receives := func(pub *endpoint.Session, marker string) bool {
		tr, _ := pub.Track("video")
		for round := range 20 {
			h := rtp.Header{Version: 2, PayloadType: tr.PayloadType, SequenceNumber: uint16(round), Timestamp: uint32(round) * 3000, SSRC: tr.SSRC}
			b, _ := h.Marshal()
			pub.WriteRTP(append(b, append([]byte{0x10, 0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01}, marker...)...))
			rctx, rcancel := context.WithTimeout(ctx, 300*time.Millisecond)
			for {
				pkt, err := view.ReadRTP(rctx)
				if err != nil {
					break
				}
				if bytes.Contains(pkt, []byte(marker)) {
					rcancel()
					return true
				}
			}
			rcancel()
		}
		return false
	}
	if !receives(p1, "from-cam1") {
		t.Fatal("viewer does not receive the first publisher")
	}
	p1.Close()
	if !receives(p2, "from-cam2") {
		t.Fatal("viewer froze when the first publisher left, though a second publishes")
	}
}

var quiet = slog.New(slog.DiscardHandler)
