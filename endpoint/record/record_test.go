package record_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/endpoint"
	"github.com/plainrtc/plainrtc/endpoint/record"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/sfu"
)

// A recording holds every datagram the endpoint's socket sent and
// received, and loads as a capture folder whose key log decrypts the SRTP
// (conformance derives the keys from it and the DTLS hellos).
func TestRecordingHoldsEveryDatagram(t *testing.T) {
	s, err := sfu.New(sfu.Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() { hs.Close(); s.Close() })

	rec, err := record.NewRecording()
	if err != nil {
		t.Fatal(err)
	}
	cfg := endpoint.Config{Logger: slog.New(slog.DiscardHandler)}
	rec.Configure(&cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	pub, err := endpoint.Publish(ctx, nil, hs.URL+"/whip/rec", cfg)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := record.PublishSynthetic(ctx, pub.Endpoint, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	offer, answer := pub.Offer, pub.Answer
	pub.Close()
	want := pub.Stats.Sent.Load() + pub.Stats.Received.Load()
	dir := t.TempDir()
	if err := rec.WriteDir(dir, offer, answer, map[string]any{"browser": "offerer"}); err != nil {
		t.Fatal(err)
	}
	cs, err := conformance.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if uint64(len(cs.Datagrams)) != want {
		t.Errorf("recorded %d datagrams, the endpoint counted %d sent and received", len(cs.Datagrams), want)
	}
	rtp := 0
	for _, d := range cs.Datagrams {
		if cs.FromBrowser(d) && demux.Classify(d.Payload) == demux.RTP {
			rtp++
		}
	}
	if rtp < sent {
		t.Errorf("%d RTP datagrams from the endpoint in the capture, it sent %d", rtp, sent)
	}
	if cs.SRTPProfile == 0 || len(cs.ClientKey) == 0 {
		t.Errorf("no SRTP keys derived from the recorded key log: profile %#x", cs.SRTPProfile)
	}
}
