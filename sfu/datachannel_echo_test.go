package sfu

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu/datachannel"
)

// connectData connects a test peer with a data channel section and
// returns its SCTP association and the SFU's a=max-message-size.
func connectData(t *testing.T, s *Server, baseURL string, o peerOffer) (*testPeer, *datachannel.Association, int) {
	t.Helper()
	o.data = true
	p := newTestPeer(t, s, baseURL, "r", o)
	ans, err := sdp.Parse([]byte(p.answer))
	if err != nil {
		t.Fatal(err)
	}
	advertised := -1
	for i := range ans.Media {
		if v, ok := ans.Media[i].MaxMessageSize(); ok && ans.Media[i].MediaLine().Media == "application" {
			advertised = int(v)
		}
	}
	if advertised <= 0 {
		t.Fatalf("answer advertises no a=max-message-size (RFC 8841 §6.1):\n%s", p.answer)
	}
	p.connectICE()
	if err := p.handshake(p.conn, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	role := datachannel.RoleClient
	if p.setup == "active" { // the SFU is the DTLS client
		role = datachannel.RoleServer
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, err := datachannel.NewAssociation(ctx, p.dtls, datachannel.Config{Role: role, MaxMessageSize: 1 << 20,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("SCTP: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return p, a, advertised
}

// readOrClosed reads one message within d; closed reports that the SFU
// reset the channel (io.EOF) instead.
func readOrClosed(t *testing.T, ch *datachannel.Channel, size int, d time.Duration) (msg []byte, closed bool) {
	t.Helper()
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		buf := make([]byte, size)
		n, _, err := ch.ReadMessage(buf)
		done <- result{buf[:n], err}
	}()
	select {
	case r := <-done:
		if errors.Is(r.err, io.EOF) {
			return nil, true
		}
		if r.err != nil {
			t.Fatalf("read on stream %d: %v", ch.StreamID(), r.err)
		}
		return r.b, false
	case <-time.After(d):
		t.Fatalf("neither a message nor a close on stream %d within %v", ch.StreamID(), d)
	}
	return nil, false
}

func randomMessage(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// RFC 8841 §6.1: the SFU advertises a=max-message-size and echoes a
// message of exactly that size; one byte more closes the channel (a stream
// reset the peer sees), counted and logged, never silently; the
// association and other channels live on.
func TestDataChannelEchoUpToMaxMessageSize(t *testing.T) {
	for _, setup := range []string{"actpass", "active"} {
		t.Run(setup, func(t *testing.T) {
			s, hs, rec := newRecordedServer(t, 0)
			_, a, max := connectData(t, s, hs.URL, peerOffer{setup: setup, maxMessageSize: "1048576"})
			ch, err := a.Open("big", datachannel.ChannelOptions{})
			if err != nil {
				t.Fatal(err)
			}
			full := randomMessage(max)
			if err := ch.WriteMessage(full, false); err != nil {
				t.Fatal(err)
			}
			got, closed := readOrClosed(t, ch, max+1, 20*time.Second)
			if closed || !bytes.Equal(got, full) {
				t.Fatalf("message of the advertised %d bytes: echoed %d bytes (closed %v)", max, len(got), closed)
			}
			if err := ch.WriteMessage(randomMessage(max+1), false); err != nil {
				t.Fatal(err)
			}
			if got, closed := readOrClosed(t, ch, max+2, 20*time.Second); !closed {
				t.Fatalf("message of %d bytes over a=max-message-size:%d echoed (%d bytes), want the channel closed", max+1, max, len(got))
			}
			if n := s.Stats()["datachannel.oversized"]; n != 1 {
				t.Fatalf("datachannel.oversized = %d, want 1", n)
			}
			var warned bool
			for _, r := range rec.all() {
				warned = warned || r.Level == slog.LevelWarn && strings.Contains(r.Msg, "max-message-size") && r.Attrs["size"] == strconv.Itoa(max+1)
			}
			if !warned {
				t.Fatalf("the refusal was not logged:\n%s", rec)
			}
			other, err := a.Open("small", datachannel.ChannelOptions{})
			if err != nil {
				t.Fatal(err)
			}
			other.WriteString("still here")
			if got, closed := readOrClosed(t, other, 64, 10*time.Second); closed || string(got) != "still here" {
				t.Fatalf("another channel after the refusal: %q closed %v", got, closed)
			}
		})
	}
}

// The SFU never sends a peer more than its a=max-message-size (64 KiB
// when absent, RFC 8841 §6.1): a message it cannot echo closes the
// channel, counted and logged.
func TestDataChannelEchoHonoursPeerMaxMessageSize(t *testing.T) {
	s, hs, _ := newRecordedServer(t, 0)
	_, a, _ := connectData(t, s, hs.URL, peerOffer{setup: "actpass", maxMessageSize: "70000"})
	ch, err := a.Open("peer-limit", datachannel.ChannelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fits := randomMessage(70000)
	ch.WriteMessage(fits, false)
	if got, closed := readOrClosed(t, ch, 1<<18, 20*time.Second); closed || !bytes.Equal(got, fits) {
		t.Fatalf("message of the peer's 70000 bytes: echoed %d bytes (closed %v)", len(got), closed)
	}
	ch.WriteMessage(randomMessage(70001), false)
	if _, closed := readOrClosed(t, ch, 1<<18, 20*time.Second); !closed {
		t.Fatal("a message over the peer's a=max-message-size was echoed, want the channel closed")
	}
	if n := s.Stats()["datachannel.echo_too_large"]; n != 1 {
		t.Fatalf("datachannel.echo_too_large = %d, want 1", n)
	}
}
