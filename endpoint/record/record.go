package record

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/endpoint"
	"github.com/plainrtc/plainrtc/rtcp"
)

// lockedBuffer is an io.Writer safe for pion's handshake goroutine and
// our reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  []byte
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b = append(l.b, p...)
	return len(p), nil
}

func (l *lockedBuffer) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]byte(nil), l.b...)
}

// Recording is a live session recorded as a capture folder: every
// datagram of the endpoint's socket, the DTLS key log and the SDPs.
type Recording struct {
	pcap   lockedBuffer
	w      *conformance.PcapngWriter
	keyLog lockedBuffer
	errMu  sync.Mutex
	err    error
}

// NewRecording starts an empty recording.
func NewRecording() (*Recording, error) {
	r := &Recording{}
	w, err := conformance.NewPcapngWriter(&r.pcap)
	if err != nil {
		return nil, err
	}
	r.w = w
	return r, nil
}

// Configure sets cfg's recording hooks to this recording.
func (r *Recording) Configure(cfg *endpoint.Config) {
	cfg.Record = func(d endpoint.RecordedDatagram) {
		if err := r.w.WriteDatagram(conformance.Datagram{Time: d.Time, Src: d.Src, Dst: d.Dst, Payload: d.Payload}); err != nil {
			r.errMu.Lock()
			if r.err == nil {
				r.err = err
			}
			r.errMu.Unlock()
		}
	}
	cfg.KeyLogWriter = &r.keyLog
}

// WriteDir writes the capture folder: offer.sdp, answer.sdp, keylog.txt,
// session.pcapng and meta.json (the endpoint is the offerer and is marked
// as the "browser" side, the client).
func (r *Recording) WriteDir(dir string, offer, answer []byte, meta map[string]any) error {
	r.errMu.Lock()
	err := r.err
	r.errMu.Unlock()
	if err != nil {
		return fmt.Errorf("recording: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	m, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return err
	}
	f := conformance.Files{Offer: offer, Answer: answer, Capture: r.pcap.Bytes(), KeyLog: r.keyLog.Bytes(), Meta: append(m, '\n')}
	return f.WriteDir(dir)
}

// WHIP publishes synthetic Opus and VP8 (with an SR and SDES per
// second per stream) to a WHIP endpoint for d, records the session and
// writes it into out (a new temporary folder when out is "").
func WHIP(url, out string, d time.Duration, logw io.Writer) (string, error) {
	rec, err := NewRecording()
	if err != nil {
		return "", err
	}
	cfg := endpoint.Config{Logger: slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	rec.Configure(&cfg)
	ctx, cancel := context.WithTimeout(context.Background(), d+30*time.Second)
	defer cancel()
	s, err := endpoint.Publish(ctx, nil, url, cfg)
	if err != nil {
		return "", fmt.Errorf("joining %s: %w", url, err)
	}
	offer, answer := s.Offer, s.Answer
	sent, perr := PublishSynthetic(ctx, s.Endpoint, d)
	// Let the last packets and the peer's reports arrive before closing.
	time.Sleep(200 * time.Millisecond)
	cerr := s.Close()
	if perr != nil {
		return "", fmt.Errorf("publishing: %w", perr)
	}
	if out == "" {
		if out, err = os.MkdirTemp("", "rtclint-whip-"); err != nil {
			return "", err
		}
	}
	meta := map[string]any{
		"browser":      "offerer",
		"note":         "recorded by rtclint -whip: the offerer is plainrtc's endpoint (marked as the browser side), the answerer the WHIP server",
		"whip":         url,
		"rtp_sent":     sent,
		"delete_error": fmt.Sprint(cerr),
	}
	if err := rec.WriteDir(out, offer, answer, meta); err != nil {
		return "", err
	}
	abs, _ := filepath.Abs(out)
	return abs, nil
}

// PublishSynthetic sends Opus (20 ms frames) and VP8 (keyframes at 25 fps)
// on the endpoint's negotiated sending tracks for d, and per second an SR
// with an SDES CNAME for each stream (RFC 3550 §6.4.1, §6.5.1). It returns
// how many RTP packets went out.
func PublishSynthetic(ctx context.Context, e *endpoint.Endpoint, d time.Duration) (int, error) {
	type stream struct {
		tr       endpoint.Track
		seq      uint16
		ts, step uint32
		every    time.Duration
		next     time.Time
		packets  uint32
		octets   uint32
		payload  func(n int) []byte
		n        int
	}
	var streams []*stream
	start := time.Now()
	for _, kind := range []string{"audio", "video"} {
		tr, ok := e.Track(kind)
		if !ok || tr.SSRC == 0 || !tr.Direction.Sends() {
			continue
		}
		st := &stream{tr: tr, seq: uint16(tr.SSRC), ts: tr.SSRC >> 3, next: start}
		if kind == "audio" {
			st.every, st.step = 20*time.Millisecond, tr.ClockRate/50
			st.payload = func(n int) []byte { return append([]byte{0xfc}, fmt.Sprintf("opus frame %d", n)...) }
		} else {
			st.every, st.step = 40*time.Millisecond, tr.ClockRate/25
			st.payload = func(n int) []byte {
				return append([]byte{0x10, 0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01}, fmt.Sprintf("vp8 frame %d", n)...)
			}
		}
		streams = append(streams, st)
	}
	if len(streams) == 0 {
		return 0, fmt.Errorf("the answer accepted no audio or video we send")
	}
	sent := 0
	nextReport := start.Add(500 * time.Millisecond)
	buf := make([]byte, 0, 1500)
	for now := time.Now(); now.Sub(start) < d; now = time.Now() {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		for _, st := range streams {
			for !st.next.After(now) {
				st.n++
				p := st.payload(st.n)
				buf = buf[:12]
				buf[0], buf[1] = 0x80, st.tr.PayloadType
				if st.tr.Kind == "video" {
					buf[1] |= 0x80 // marker: one packet per frame
				}
				binary.BigEndian.PutUint16(buf[2:], st.seq)
				binary.BigEndian.PutUint32(buf[4:], st.ts)
				binary.BigEndian.PutUint32(buf[8:], st.tr.SSRC)
				buf = append(buf, p...)
				if err := e.WriteRTP(buf); err != nil {
					return sent, err
				}
				sent++
				st.packets++
				st.octets += uint32(len(p))
				st.seq++
				st.ts += st.step
				st.next = st.next.Add(st.every)
			}
		}
		if !nextReport.After(now) {
			for _, st := range streams {
				elapsed := now.Sub(start)
				rtpNow := st.tr.SSRC>>3 + uint32(elapsed.Seconds()*float64(st.tr.ClockRate))
				sr := rtcp.SenderReport{SSRC: st.tr.SSRC, NTPTime: rtcp.NTPTime(now), RTPTime: rtpNow, PacketCount: st.packets, OctetCount: st.octets}
				var sdes rtcp.SourceDescription
				sdes.Reset()
				sdes.AddCNAME(st.tr.SSRC, []byte("rtclint"))
				pkt, err := rtcp.AppendCompound(nil, &sr, &sdes)
				if err != nil {
					return sent, err
				}
				if err := e.WriteRTCP(pkt); err != nil {
					return sent, err
				}
			}
			nextReport = nextReport.Add(time.Second)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return sent, nil
}
