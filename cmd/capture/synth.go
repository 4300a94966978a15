package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plainrtc/plainrtc/endpoint"
	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu"
	"github.com/plainrtc/plainrtc/sfu/datachannel"
)

// synthetic is a Go participant of the room (package endpoint: full ICE,
// DTLS, SRTP, the signaling channel) that publishes the media source's
// Opus and VP8 and answers the room's offers, so the recorded browser
// receives media as well as sending it.
type synthetic struct {
	e      *endpoint.Endpoint
	id     string
	sig    *datachannel.Channel
	sent   atomic.Int64
	stop   chan struct{}
	quiet  chan struct{} // closed by stopMedia
	once   sync.Once
	done   sync.WaitGroup
	errMu  sync.Mutex
	err    error
	logger *slog.Logger
}

// joinSynthetic joins room at base (the HTTP server) from addr.
func joinSynthetic(ctx context.Context, base, room, name string, addr netip.Addr, log *slog.Logger) (*synthetic, error) {
	e, err := endpoint.New(endpoint.Config{Addr: netip.AddrPortFrom(addr, 0), Audio: sdp.SendOnly, Video: sdp.SendOnly,
		DataChannel: true, Logger: log})
	if err != nil {
		return nil, err
	}
	s := &synthetic{e: e, stop: make(chan struct{}), quiet: make(chan struct{}), logger: log}
	offer, err := e.Offer()
	if err != nil {
		e.Close()
		return nil, err
	}
	body, _ := json.Marshal(map[string]string{"name": name, "token": "capture-" + name, "offer": string(offer)})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/rooms/"+room+"/join", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.Close()
		return nil, err
	}
	defer resp.Body.Close()
	var jr struct{ ID, Answer, Error string }
	if err := json.NewDecoder(resp.Body).Decode(&jr); err != nil || resp.StatusCode != http.StatusCreated {
		e.Close()
		return nil, fmt.Errorf("synthetic participant: join: %d %v %s", resp.StatusCode, err, jr.Error)
	}
	s.id = jr.ID
	if err := e.SetAnswer([]byte(jr.Answer)); err != nil {
		e.Close()
		return nil, err
	}
	if err := e.Connect(ctx); err != nil {
		e.Close()
		return nil, err
	}
	if s.sig, err = e.OpenDataChannel("signal", datachannel.ChannelOptions{Protocol: sfu.SignalProtocol}); err != nil {
		e.Close()
		return nil, err
	}
	s.done.Add(2)
	go s.answerOffers()
	go s.drainMedia()
	return s, nil
}

func (s *synthetic) fail(err error) {
	s.errMu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.errMu.Unlock()
}

// Err is the first error of the participant's goroutines.
func (s *synthetic) Err() error {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.err
}

// answerOffers answers every offer of the room at once.
func (s *synthetic) answerOffers() {
	defer s.done.Done()
	buf := make([]byte, 256<<10)
	for {
		n, _, err := s.sig.ReadMessage(buf)
		if err != nil {
			return
		}
		var m struct {
			Type, SDP string
			Version   any
		}
		if json.Unmarshal(buf[:n], &m) != nil || m.Type != "offer" {
			continue
		}
		ans, err := s.e.Answer([]byte(m.SDP))
		if err != nil {
			s.fail(fmt.Errorf("synthetic participant: answering the room's offer: %w", err))
			continue
		}
		b, _ := json.Marshal(map[string]any{"type": "answer", "sdp": string(ans), "version": m.Version})
		if err := s.sig.WriteMessage(b, true); err != nil {
			return
		}
	}
}

// drainMedia reads what the room forwards (the browser's media) so the
// endpoint's queues never fill.
func (s *synthetic) drainMedia() {
	defer s.done.Done()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-s.stop; cancel() }()
	go func() {
		for {
			if _, err := s.e.ReadRTCP(ctx); err != nil {
				return
			}
		}
	}()
	for {
		if _, err := s.e.ReadRTP(ctx); err != nil {
			return
		}
	}
}

// publish sends src in a loop, paced as captured, until Close.
func (s *synthetic) publish(src *mediaSource) {
	audio, _ := s.e.Track("audio")
	video, _ := s.e.Track("video")
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		var seq [2]uint16
		var ts [2]uint32
		buf := make([]byte, 0, 1500)
		start := time.Now()
		for loop := 0; ; loop++ {
			base := start.Add(time.Duration(loop) * src.period)
			for _, p := range src.packets {
				select {
				case <-s.stop:
					return
				case <-s.quiet:
					return
				case <-time.After(time.Until(base.Add(p.at))):
				}
				i, tr := 0, audio
				if p.video {
					i, tr = 1, video
				}
				h := rtp.Header{Version: 2, Marker: p.marker, PayloadType: tr.PayloadType, SequenceNumber: seq[i],
					Timestamp: ts[i] + uint32(loop)*src.span[i] + p.tsDelta, SSRC: tr.SSRC}
				seq[i]++
				n, err := h.MarshalTo(buf[:cap(buf)])
				if err != nil {
					s.fail(err)
					return
				}
				pkt := append(buf[:n], p.payload...)
				if pid, w := readPictureID(p.payload); p.video && w != 0 {
					writePictureID(pkt[n:], pid+uint16(loop)*src.pidSpan)
				}
				if err := s.e.WriteRTP(pkt); err != nil {
					s.fail(fmt.Errorf("synthetic participant: WriteRTP: %w", err))
					return
				}
				s.sent.Add(1)
			}
		}
	}()
}

// stopMedia stops publishing; the participant stays in the room.
func (s *synthetic) stopMedia() { s.once.Do(func() { close(s.quiet) }) }

// Close stops the media and leaves.
func (s *synthetic) Close() {
	select {
	case <-s.stop:
		return
	default:
	}
	close(s.stop)
	s.e.Close()
	s.done.Wait()
}
