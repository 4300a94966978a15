package sfu_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/annotate"
	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/endpoint"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu"
	"github.com/plainrtc/plainrtc/srtp"
)

// join makes an endpoint recorded by rec, POSTs its offer to url and
// connects, recording the offer and the answer.
func join(t *testing.T, ctx context.Context, url string, cfg endpoint.Config, rec *sfu.Recorder) (*endpoint.Endpoint, string) {
	t.Helper()
	cfg.Tap, cfg.KeyLogWriter = rec, rec.KeyLog()
	e, err := endpoint.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	offer, err := e.Offer()
	if err != nil {
		t.Fatal(err)
	}
	rec.Offer(offer)
	resp, err := http.Post(url, "application/sdp", bytes.NewReader(offer))
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST %s: %s %s", url, resp.Status, answer)
	}
	rec.Answer(answer)
	if err := e.SetAnswer(answer); err != nil {
		t.Fatal(err)
	}
	if err := e.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	return e, resp.Header.Get("Location")
}

func rtpPacket(t *testing.T, tr endpoint.Track, seq uint16, payload []byte) []byte {
	t.Helper()
	h := rtp.Header{Version: 2, PayloadType: tr.PayloadType, SequenceNumber: seq, Timestamp: uint32(seq) * 960, SSRC: tr.SSRC}
	b, err := h.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return append(b, payload...)
}

// TestRecorderRealSession records a real session — a publisher and a
// viewer (Go endpoints) through an in-process SFU, each with its own
// Recorder hooked to its socket (endpoint.Config.Tap) and DTLS key log —
// writes each as a corpus folder, and loads it with conformance: the roles
// come out right, every STUN message verifies with the recorded SDPs'
// passwords, and every SRTP and SRTCP datagram in both directions
// authenticates with the keys derived from the recorded key log, both
// with conformance's keys directly and through package annotate
// (rtcdump's annotator).
func TestRecorderRealSession(t *testing.T) {
	srv, err := sfu.New(sfu.Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { hs.Close(); srv.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	pubRec, viewRec := sfu.NewRecorder(0), sfu.NewRecorder(0)
	pub, _ := join(t, ctx, hs.URL+"/whip/rec", endpoint.Config{Audio: sdp.SendOnly, Video: sdp.SendOnly, Logger: slog.New(slog.DiscardHandler)}, pubRec)
	view, _ := join(t, ctx, hs.URL+"/whep/rec", endpoint.Config{Audio: sdp.RecvOnly, Video: sdp.RecvOnly, Logger: slog.New(slog.DiscardHandler)}, viewRec)
	audio, _ := pub.Track("audio")
	video, _ := pub.Track("video")
	sent, received := 0, 0
	for i := 1; received < 20; i++ {
		if i > 500 {
			t.Fatalf("the viewer got %d packets of %d sent", received, sent)
		}
		for _, p := range [][]byte{
			rtpPacket(t, audio, uint16(i), append([]byte{0xfc}, fmt.Sprintf("opus %d", i)...)),
			rtpPacket(t, video, uint16(i), append([]byte{0x10, 0, 0, 0, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01}, fmt.Sprintf("vp8 %d", i)...)),
		} {
			if err := pub.WriteRTP(p); err != nil {
				t.Fatal(err)
			}
			sent++
		}
		rctx, rcancel := context.WithTimeout(ctx, 20*time.Millisecond)
		for {
			if _, err := view.ReadRTP(rctx); err != nil {
				break
			}
			received++
		}
		rcancel()
	}
	time.Sleep(100 * time.Millisecond) // let RTCP both ways land in the recordings
	for _, c := range []struct {
		name    string
		rec     *sfu.Recorder
		minSRTP int                // SRTP datagrams the recording must hold
		dir     annotate.Direction // the direction they must go
	}{{"publisher", pubRec, sent, annotate.FromBrowser}, {"viewer", viewRec, received, annotate.ToBrowser}} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), c.name)
			if err := c.rec.WriteDir(dir); err != nil {
				t.Fatal(err)
			}
			st := c.rec.Stats()
			if st.Truncated || st.Datagrams == 0 {
				t.Fatalf("stats %+v", st)
			}
			s, err := conformance.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			if s.Roles.BrowserPeer().ICELite || !s.Roles.ServerPeer().ICELite {
				t.Errorf("roles: %s", s.Roles.String())
			}
			checkRecording(t, s, c.minSRTP, c.dir)
		})
	}
}

// checkRecording: STUN verifies, every SRTP/SRTCP datagram authenticates
// with the keys conformance derived from the recorded key log, and
// annotate agrees datagram by datagram.
func checkRecording(t *testing.T, s *conformance.Session, minSRTP int, mediaDir annotate.Direction) {
	t.Helper()
	var ctx [2]*srtp.Context
	for i, k := range [][2][]byte{{s.ClientKey, s.ClientSalt}, {s.ServerKey, s.ServerSalt}} {
		c, err := srtp.NewContext(srtp.Profile(s.SRTPProfile), k[0], k[1])
		if err != nil {
			t.Fatal(err)
		}
		ctx[i] = c
	}
	info, err := annotate.ParseSDPs(s.Offer, s.Answer)
	for i := len(s.Exchanges) - 1; err == nil && i >= 0; i-- { // an ICE restart's passwords
		if err = info.Add("later answer", s.Exchanges[i].Answer); err == nil {
			err = info.Add("later offer", s.Exchanges[i].Offer)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	a, err := annotate.New(annotate.Config{SDP: info, Keys: &annotate.Keys{Profile: s.SRTPProfile, ClientKey: s.ClientKey,
		ClientSalt: s.ClientSalt, ServerKey: s.ServerKey, ServerSalt: s.ServerSalt}})
	if err != nil {
		t.Fatal(err)
	}
	var stun, srtpN, srtcpN, inDir int
	for i, d := range s.Datagrams {
		dir := annotate.ToBrowser
		if s.FromBrowser(d) {
			dir = annotate.FromBrowser
		}
		r := a.Annotate(annotate.Datagram{N: i + 1, Time: d.Time, Src: d.Src, Dst: d.Dst, Dir: dir, FromDTLSClient: s.FromDTLSClient(d), Payload: d.Payload})
		c := ctx[1]
		if s.FromDTLSClient(d) {
			c = ctx[0]
		}
		buf := append([]byte(nil), d.Payload...)
		switch demux.Classify(d.Payload) {
		case demux.STUN:
			stun++
			if r.STUN == nil || r.STUN.Integrity != "ok" || r.STUN.Fingerprint != "ok" {
				t.Errorf("datagram %d: STUN %+v", i+1, r.STUN)
			}
		case demux.RTP:
			srtpN++
			if _, err := c.DecryptRTP(buf); err != nil && !replayChecked(err, r) {
				t.Errorf("datagram %d (%s): SRTP with the recorded key log: %v", i+1, dir, err)
			}
		case demux.RTCP:
			srtcpN++
			if _, err := c.DecryptRTCP(buf); err != nil && !replayChecked(err, r) {
				t.Errorf("datagram %d (%s): SRTCP with the recorded key log: %v", i+1, dir, err)
			}
		}
		if r.SRTP != nil && r.SRTP.Auth != "ok" {
			t.Errorf("datagram %d: annotate says srtp.auth %s", i+1, r.SRTP.Auth)
		}
		if r.RTP != nil && r.SRTP != nil && r.SRTP.Auth == "ok" && dir == mediaDir {
			inDir++
		}
	}
	if stun == 0 || srtpN < minSRTP || (inDir == 0 && minSRTP > 0) {
		t.Errorf("recorded %d STUN, %d SRTP (want ≥ %d), %d SRTCP; %d SRTP authenticated %s", stun, srtpN, minSRTP, srtcpN, inDir, mediaDir)
	}
	t.Logf("%d datagrams: %d STUN verified, %d SRTP and %d SRTCP authenticated (%s)", len(s.Datagrams), stun, srtpN, srtcpN, conformance.SRTPProfileName(s.SRTPProfile))
}

// replayChecked: a packet whose index was already received (the corpus's
// echoing answerer sends some twice) cannot pass the stream's replay
// window (RFC 3711 §3.3.2); annotate then authenticates it with a fresh
// context at the stream's rollover counter, and that verdict counts.
func replayChecked(err error, r *annotate.Record) bool {
	return errors.Is(err, srtp.ErrReplayed) && r.SRTP != nil && r.SRTP.Replay && r.SRTP.Auth == "ok"
}

// replay feeds a corpus session into rec as the SFU's hooks would: its
// SDPs, its key log line by line, and every datagram from its own
// goroutine per direction (the read loop and a sender worker).
func replay(t *testing.T, s *conformance.Session, rec *sfu.Recorder, concurrent bool) {
	t.Helper()
	rec.Offer(s.Offer)
	rec.Answer(s.Answer)
	for _, x := range s.Exchanges {
		rec.Offer(x.Offer)
		rec.Answer(x.Answer)
	}
	kl, err := os.ReadFile(filepath.Join(s.Dir, "keylog.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.SplitAfter(string(kl), "\n") {
		if line != "" {
			rec.KeyLog().Write([]byte(line))
		}
	}
	if !concurrent {
		for _, d := range s.Datagrams {
			rec.Datagram(d.Time, d.Src, d.Dst, d.Payload)
		}
		return
	}
	var wg sync.WaitGroup
	for _, fromBrowser := range []bool{true, false} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, d := range s.Datagrams {
				if s.FromBrowser(d) == fromBrowser {
					rec.Datagram(d.Time, d.Src, d.Dst, d.Payload)
				}
			}
		}()
	}
	wg.Wait()
}

// TestRecorderReplaysCorpus: a corpus session recorded datagram by
// datagram loads back as the same session: the same datagrams (times to
// the nanosecond, addresses, bytes), the same roles, SRTP keys from the
// recorded key log that authenticate every packet.
func TestRecorderReplaysCorpus(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		rec := sfu.NewRecorder(0)
		replay(t, s, rec, false)
		dir := t.TempDir()
		if err := rec.WriteDir(dir); err != nil {
			t.Fatal(err)
		}
		got, err := conformance.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Datagrams) != len(s.Datagrams) {
			t.Fatalf("%d datagrams back, recorded %d", len(got.Datagrams), len(s.Datagrams))
		}
		for i, d := range s.Datagrams {
			g := got.Datagrams[i]
			if g.Src != d.Src || g.Dst != d.Dst || !g.Time.Equal(d.Time) || !bytes.Equal(g.Payload, d.Payload) {
				t.Fatalf("datagram %d: %v %v>%v, recorded %v %v>%v", i+1, g.Time, g.Src, g.Dst, d.Time, d.Src, d.Dst)
			}
		}
		if got.Roles.String() != s.Roles.String() || !bytes.Equal(got.KeyingMaterial, s.KeyingMaterial) {
			t.Errorf("roles %q keys %x, recorded %q %x", got.Roles.String(), got.KeyingMaterial, s.Roles.String(), s.KeyingMaterial)
		}
		checkRecording(t, got, s.Truth.Counts.SRTP, annotate.FromBrowser)
		checkRecording(t, got, 0, annotate.ToBrowser)
	})
}

// TestRecorderConcurrent: datagrams from two goroutines (run with -race)
// are all kept, each direction in its own order.
func TestRecorderConcurrent(t *testing.T) {
	dirs, err := conformance.Sessions()
	if err != nil || len(dirs) == 0 {
		t.Fatal("no corpus")
	}
	s, err := conformance.Load(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	rec := sfu.NewRecorder(0)
	replay(t, s, rec, true)
	got, _, err := conformance.ParseCapture(rec.Files()[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(s.Datagrams) || rec.Stats().Datagrams != len(s.Datagrams) {
		t.Fatalf("%d datagrams back (stats %d), recorded %d", len(got), rec.Stats().Datagrams, len(s.Datagrams))
	}
	var want, have [2][]string
	for i, d := range s.Datagrams {
		k := 0
		if s.FromBrowser(d) {
			k = 1
		}
		want[k] = append(want[k], string(d.Payload))
		g := got[i]
		k = 0
		if s.FromBrowser(g) {
			k = 1
		}
		have[k] = append(have[k], string(g.Payload))
	}
	for k := range want {
		if strings.Join(want[k], "|") != strings.Join(have[k], "|") {
			t.Errorf("direction %d: order or content differs", k)
		}
	}
}

// TestRecorderTruncates: past the cap the recording keeps a prefix and
// says so in meta.json, TRUNCATED.txt and the pcapng section comment; the
// prefix still loads and its key log and SDPs are whole.
func TestRecorderTruncates(t *testing.T) {
	dirs, _ := conformance.Sessions()
	s, err := conformance.Load(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	const limit = 64 << 10
	rec := sfu.NewRecorder(limit)
	replay(t, s, rec, false)
	st := rec.Stats()
	if !st.Truncated || st.DroppedDatagrams == 0 || st.Datagrams+st.DroppedDatagrams != len(s.Datagrams) || st.Bytes > limit {
		t.Fatalf("stats %+v for %d datagrams", st, len(s.Datagrams))
	}
	files := map[string][]byte{}
	for _, f := range rec.Files() {
		files[f.Name] = f.Data
	}
	for _, name := range []string{"session.pcapng", "keylog.txt", "offer.sdp", "answer.sdp", "meta.json", "TRUNCATED.txt"} {
		if len(files[name]) == 0 {
			t.Errorf("%s missing or empty", name)
		}
	}
	if !bytes.Contains(files["meta.json"], []byte(`"truncated": true`)) || !bytes.Contains(files["session.pcapng"][:512], []byte("TRUNCATED")) ||
		!bytes.Contains(files["TRUNCATED.txt"], []byte(fmt.Sprintf("%d datagrams", st.DroppedDatagrams))) {
		t.Errorf("no truncation marker:\n%s\n%s", files["meta.json"], files["TRUNCATED.txt"])
	}
	if !bytes.Equal(files["offer.sdp"], s.Offer) || !bytes.Equal(files["answer.sdp"], s.Answer) {
		t.Error("SDPs not kept whole")
	}
	got, _, err := conformance.ParseCapture(files["session.pcapng"])
	if err != nil || len(got) != st.Datagrams {
		t.Fatalf("prefix: %d datagrams, %v", len(got), err)
	}
	for i := range got {
		if !bytes.Equal(got[i].Payload, s.Datagrams[i].Payload) {
			t.Fatalf("datagram %d is not the recorded one", i+1)
		}
	}

	var small bytes.Buffer
	complete := sfu.NewRecorder(0)
	complete.Datagram(time.Now(), s.Browser, s.Server, []byte{1, 2, 3})
	complete.Datagram(time.Now(), netip.MustParseAddrPort("[2001:db8::1]:1"), s.Server, []byte{1})
	if st := complete.Stats(); !st.Truncated || st.Unrecordable != 1 {
		t.Errorf("mixed families: %+v", st)
	}
	complete.WriteTar(&small, "x")
	if small.Len() == 0 {
		t.Error("empty tar")
	}
}

// TestRecorderArchives: the zip and tar streams hold the corpus files
// under one folder, and the folder the zip unpacks to loads.
func TestRecorderArchives(t *testing.T) {
	dirs, _ := conformance.Sessions()
	s, err := conformance.Load(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	rec := sfu.NewRecorder(0)
	replay(t, s, rec, false)
	rec.Offer(s.Offer) // a renegotiation: offer-2.sdp, answer-2.sdp
	rec.Answer(s.Answer)
	want := map[string][]byte{}
	for _, f := range rec.Files() {
		want["sess/"+f.Name] = f.Data
	}
	if want["sess/offer-2.sdp"] == nil || want["sess/answer-2.sdp"] == nil {
		t.Fatalf("renegotiation SDPs not named offer-2.sdp/answer-2.sdp: %v", keys(want))
	}
	var zb, tb bytes.Buffer
	if err := rec.WriteZip(&zb, "sess"); err != nil {
		t.Fatal(err)
	}
	if err := rec.WriteTar(&tb, "sess"); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(zb.Bytes()), int64(zb.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	compare(t, "zip", got, want)
	got = map[string][]byte{}
	tr := tar.NewReader(&tb)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			got[h.Name], _ = io.ReadAll(tr)
		}
	}
	compare(t, "tar", got, want)
	dir := t.TempDir()
	for name, b := range got {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	if _, err := conformance.Load(filepath.Join(dir, "sess")); err != nil {
		t.Errorf("unpacked tar does not load: %v", err)
	}
}

func keys(m map[string][]byte) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	return k
}

func compare(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: files %v, want %v", what, keys(got), keys(want))
	}
	for n, b := range want {
		if !bytes.Equal(got[n], b) {
			t.Errorf("%s: %s differs (%d bytes, want %d)", what, n, len(got[n]), len(b))
		}
	}
}

// BenchmarkRecorderDatagram: the cost a recorded session adds per
// datagram (a 1200-byte SRTP packet), under the recorder's lock.
func BenchmarkRecorderDatagram(b *testing.B) {
	rec := sfu.NewRecorder(1 << 30)
	src, dst := netip.MustParseAddrPort("192.0.2.1:5000"), netip.MustParseAddrPort("127.0.0.1:50000")
	p := bytes.Repeat([]byte{0x80}, 1200)
	now := time.Now()
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	for i := 0; b.Loop(); i++ {
		if rec.Stats().Truncated {
			b.StopTimer()
			rec = sfu.NewRecorder(1 << 30)
			b.StartTimer()
		}
		rec.Datagram(now, src, dst, p)
	}
}
