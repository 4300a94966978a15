package endpoint_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/endpoint"
	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu/datachannel"
	"github.com/plainrtc/plainrtc/sfu/transport"
)

// rtpPacket builds a plaintext RTP packet for track t.
func rtpPacket(t testing.TB, tr endpoint.Track, seq uint16, payload []byte) []byte {
	t.Helper()
	h := rtp.Header{Version: 2, PayloadType: tr.PayloadType, SequenceNumber: seq, Timestamp: uint32(seq) * 960, SSRC: tr.SSRC}
	b, err := h.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return append(b, payload...)
}

// connectBoth runs Connect on both endpoints at once (each side's ICE and
// DTLS need the other running).
func connectBoth(t *testing.T, a, b *endpoint.Endpoint) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, e := range []*endpoint.Endpoint{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = e.Connect(ctx)
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("connect: offerer %v, answerer %v", errs[0], errs[1])
	}
}

func readRTP(t *testing.T, e *endpoint.Endpoint) rtp.Packet {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b, err := e.ReadRTP(ctx)
	if err != nil {
		t.Fatalf("ReadRTP: %v", err)
	}
	var p rtp.Packet
	if err := p.Unmarshal(b); err != nil {
		t.Fatalf("received RTP does not parse: %v", err)
	}
	return p
}

// Two endpoints against each other: one offers, the other answers (RFC
// 3264); ICE full against full (the offerer controls, RFC 8445 §6.1.1),
// DTLS with the answerer as client (a=setup:active to actpass, RFC 9429
// §5.3.1), SRTP both ways, a data channel each way with the stream-id
// parity of RFC 8832 §6; then Close releases every goroutine.
func TestTwoEndpoints(t *testing.T) {
	base := runtime.NumGoroutine()
	a, err := endpoint.New(endpoint.Config{Audio: sdp.SendRecv, Video: sdp.SendOnly, DataChannel: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := endpoint.New(endpoint.Config{Audio: sdp.SendRecv, Video: sdp.RecvOnly, DataChannel: true})
	if err != nil {
		t.Fatal(err)
	}
	offer, err := a.Offer()
	if err != nil {
		t.Fatal(err)
	}
	answer, err := b.Answer(offer)
	if err != nil {
		t.Fatalf("answer: %v\n%s", err, offer)
	}
	if !bytes.Contains(answer, []byte("a=setup:active")) {
		t.Errorf("answer to actpass is not active:\n%s", answer)
	}
	if err := a.SetAnswer(answer); err != nil {
		t.Fatalf("SetAnswer: %v\n%s", err, answer)
	}
	connectBoth(t, a, b)
	if a.ICERole() != ice.RoleControlling || b.ICERole() != ice.RoleControlled {
		t.Errorf("ICE roles %v/%v, want the offerer controlling", a.ICERole(), b.ICERole())
	}
	pa, _ := a.SelectedPair()
	pb, _ := b.SelectedPair()
	if pa.Remote != b.LocalAddr() || pb.Remote != a.LocalAddr() {
		t.Errorf("selected pairs %v / %v, want each other's sockets", pa, pb)
	}

	// Media both ways, byte for byte.
	audioA, _ := a.Track("audio")
	videoA, _ := a.Track("video")
	audioB, _ := b.Track("audio")
	if videoB, _ := b.Track("video"); videoB.Direction != sdp.RecvOnly || videoB.SSRC != 0 {
		t.Errorf("answerer video %+v, want recvonly without SSRC", videoB)
	}
	if audioA.SSRC == 0 || videoA.SSRC == 0 || audioB.SSRC == 0 {
		t.Fatalf("sending tracks without SSRC: %+v %+v %+v", audioA, videoA, audioB)
	}
	for i, tc := range []struct {
		from, to *endpoint.Endpoint
		tr       endpoint.Track
	}{{a, b, audioA}, {a, b, videoA}, {b, a, audioB}} {
		payload := []byte("payload-" + tc.tr.Kind + string(rune('0'+i)))
		if err := tc.from.WriteRTP(rtpPacket(t, tc.tr, uint16(100+i), payload)); err != nil {
			t.Fatal(err)
		}
		p := readRTP(t, tc.to)
		if p.SSRC != tc.tr.SSRC || p.PayloadType != tc.tr.PayloadType || p.SequenceNumber != uint16(100+i) || !bytes.Equal(p.Payload, payload) {
			t.Errorf("received ssrc %d pt %d seq %d %q, want %d %d %d %q", p.SSRC, p.PayloadType, p.SequenceNumber, p.Payload, tc.tr.SSRC, tc.tr.PayloadType, 100+i, payload)
		}
	}
	// RTCP too (an empty receiver report from a's audio SSRC).
	rr := []byte{0x80, 201, 0, 1, 0, 0, 0, 0}
	rr[4], rr[5], rr[6], rr[7] = byte(audioA.SSRC>>24), byte(audioA.SSRC>>16), byte(audioA.SSRC>>8), byte(audioA.SSRC)
	if err := a.WriteRTCP(rr); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if got, err := b.ReadRTCP(ctx); err != nil || !bytes.Equal(got, rr) {
		t.Errorf("RTCP %x %v, want %x", got, err, rr)
	}

	// Data channels: the answerer is the DTLS client, so its ids are even
	// and the offerer's odd (RFC 8832 §6).
	for _, side := range []struct {
		opener, acceptor *endpoint.Endpoint
		even             bool
	}{{b, a, true}, {a, b, false}} {
		ch, err := side.opener.OpenDataChannel("chat", datachannel.ChannelOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if (ch.StreamID()%2 == 0) != side.even {
			t.Errorf("stream id %d, want even=%v", ch.StreamID(), side.even)
		}
		if err := ch.WriteString("hello over " + ch.Label()); err != nil {
			t.Fatal(err)
		}
		in, err := side.acceptor.AcceptDataChannel(ctx)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 256)
		n, isString, err := in.ReadMessage(buf)
		if err != nil || !isString || string(buf[:n]) != "hello over chat" || in.StreamID() != ch.StreamID() {
			t.Errorf("read %q string=%v id %d err %v", buf[:n], isString, in.StreamID(), err)
		}
	}

	// The send path allocates nothing per packet (doc.go says so). b is
	// closed first: AllocsPerRun counts the whole process, and b's receive
	// path copies each packet it reads.
	b.Close()
	pkt := rtpPacket(t, audioA, 500, make([]byte, 160))
	if n := testing.AllocsPerRun(50, func() {
		if err := a.WriteRTP(pkt); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("WriteRTP allocates %v times per packet", n)
	}

	a.Close()
	b.Close()
	if err := a.WriteRTP(rtpPacket(t, audioA, 1, nil)); !errors.Is(err, endpoint.ErrClosed) {
		t.Errorf("write after Close: %v", err)
	}
	// The sockets are released: their ports can be bound again.
	for _, e := range []*endpoint.Endpoint{a, b} {
		c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(e.LocalAddr()))
		if err != nil {
			t.Errorf("port of a closed endpoint still bound: %v", err)
		} else {
			c.Close()
		}
	}
	waitGoroutines(t, base)
}

// waitGoroutines fails unless the goroutine count returns to base within
// 5 s.
func waitGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			n := runtime.Stack(buf, true)
			t.Fatalf("%d goroutines after Close, %d before:\n%s", runtime.NumGoroutine(), base, buf[:n])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A peer that never answers checks: Connect fails naming ICE, within the
// context's deadline; Close then releases everything.
func TestConnectTimeoutNamesICE(t *testing.T) {
	base := runtime.NumGoroutine()
	a, err := endpoint.New(endpoint.Config{Audio: sdp.SendOnly})
	if err != nil {
		t.Fatal(err)
	}
	silent, err := endpoint.New(endpoint.Config{Audio: sdp.RecvOnly})
	if err != nil {
		t.Fatal(err)
	}
	offer, _ := a.Offer()
	answer, err := silent.Answer(offer)
	if err != nil {
		t.Fatal(err)
	}
	silent.Close() // its socket is gone: nothing answers
	if err := a.SetAnswer(answer); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = a.Connect(ctx)
	var se *endpoint.StageError
	if !errors.As(err, &se) || se.Stage != endpoint.StageICE || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Connect: %v, want a StageError for ICE", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Connect returned after %v", d)
	}
	if !strings.Contains(err.Error(), "checks sent") {
		t.Errorf("error %q does not say what ICE saw", err)
	}
	a.Close()
	waitGoroutines(t, base)
}

// When the peer vanishes, consent expires (RFC 7675 §5.1, here with a
// 1.5 s timeout) and writes fail with ErrConsentLost.
func TestConsentLostStopsMedia(t *testing.T) {
	fast := ice.FullConfig{ConsentInterval: 100 * time.Millisecond, ConsentTimeout: 1500 * time.Millisecond}
	a, err := endpoint.New(endpoint.Config{Audio: sdp.SendOnly, ICE: fast})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := endpoint.New(endpoint.Config{Audio: sdp.RecvOnly})
	if err != nil {
		t.Fatal(err)
	}
	offer, _ := a.Offer()
	answer, err := b.Answer(offer)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetAnswer(answer); err != nil {
		t.Fatal(err)
	}
	connectBoth(t, a, b)
	tr, _ := a.Track("audio")
	// Consent is kept while b answers, past the timeout.
	time.Sleep(2 * time.Second)
	if err := a.WriteRTP(rtpPacket(t, tr, 1, []byte("x"))); err != nil {
		t.Fatalf("write while the peer answers consent checks: %v", err)
	}
	b.Close()
	select {
	case <-a.ConsentLost():
	case <-time.After(5 * time.Second):
		t.Fatal("consent not lost 5 s after the peer vanished")
	}
	if err := a.WriteRTP(rtpPacket(t, tr, 2, []byte("x"))); !errors.Is(err, endpoint.ErrConsentLost) {
		t.Errorf("write after consent loss: %v", err)
	}
	if st := a.ICEStats(); st.ConsentSent < 10 || st.ConsentOK == 0 {
		t.Errorf("ICE stats %+v", st)
	}
}

// Close while Connect waits for ICE: Connect returns (ErrClosed inside
// its StageError) and every goroutine ends.
func TestCloseWhileConnecting(t *testing.T) {
	base := runtime.NumGoroutine()
	a, err := endpoint.New(endpoint.Config{Audio: sdp.SendOnly})
	if err != nil {
		t.Fatal(err)
	}
	silent, err := endpoint.New(endpoint.Config{Audio: sdp.RecvOnly})
	if err != nil {
		t.Fatal(err)
	}
	offer, _ := a.Offer()
	answer, _ := silent.Answer(offer)
	silent.Close()
	if err := a.SetAnswer(answer); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Connect(context.Background()) }()
	time.Sleep(300 * time.Millisecond)
	a.Close()
	select {
	case err := <-done:
		if !errors.Is(err, endpoint.ErrClosed) {
			t.Errorf("Connect after Close: %v, want ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Connect still running 5 s after Close")
	}
	waitGoroutines(t, base)
}

// A certificate that does not match the answer's a=fingerprint ends the
// DTLS stage with ErrFingerprintMismatch on the side that checks it
// (RFC 8122 §5, RFC 8827 §6.5).
func TestFingerprintMismatch(t *testing.T) {
	a, err := endpoint.New(endpoint.Config{Audio: sdp.SendOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := endpoint.New(endpoint.Config{Audio: sdp.RecvOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	stranger, err := transport.GenerateCertificate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	offer, _ := a.Offer()
	answer, err := b.Answer(offer)
	if err != nil {
		t.Fatal(err)
	}
	forged := bytes.ReplaceAll(answer, []byte(b.Certificate().Fingerprint().String()), []byte(stranger.Fingerprint().String()))
	if bytes.Equal(forged, answer) {
		t.Fatal("fingerprint not found in the answer")
	}
	if err := a.SetAnswer(forged); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	errs := make(chan error, 2)
	go func() { errs <- b.Connect(ctx) }()
	err = a.Connect(ctx)
	var se *endpoint.StageError
	if !errors.As(err, &se) || se.Stage != endpoint.StageDTLS || !errors.Is(err, transport.ErrFingerprintMismatch) {
		t.Fatalf("Connect with a forged fingerprint: %v", err)
	}
	if err := <-errs; err == nil {
		t.Error("the other side completed a handshake its peer refused")
	}
}
