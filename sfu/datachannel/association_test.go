package datachannel

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"testing"
	"time"
)

type msg struct {
	data     []byte
	isString bool
}

// echoServer answers every message on every accepted channel with the same
// bytes and kind.
func echoServer(t *testing.T, a *Association) {
	go func() {
		for {
			ch, err := a.Accept(context.Background())
			if err != nil {
				return
			}
			go func() {
				buf := make([]byte, 1<<16)
				for {
					n, isString, err := ch.ReadMessage(buf)
					if err != nil {
						return
					}
					if err := ch.WriteMessage(buf[:n], isString); err != nil {
						return
					}
				}
			}()
		}
	}()
}

func readWithin(t *testing.T, ch *Channel, buf []byte) (int, bool, error) {
	t.Helper()
	type r struct {
		n   int
		s   bool
		err error
	}
	rc := make(chan r, 1)
	go func() {
		n, s, err := ch.ReadMessage(buf)
		rc <- r{n, s, err}
	}()
	select {
	case x := <-rc:
		return x.n, x.s, x.err
	case <-time.After(5 * time.Second):
		t.Fatal("no message in 5 s")
		return 0, false, nil
	}
}

func TestEchoThroughDCEP(t *testing.T) {
	client, server := associationPair(t)
	echoServer(t, server)
	msgs := []msg{
		{[]byte("hello"), true},
		{[]byte{0, 1, 2, 0xff}, false},
		{nil, true},  // empty string: PPID 56
		{nil, false}, // empty binary: PPID 57
		{bytes.Repeat([]byte("x"), 5000), false},
		{[]byte("héllo wörld"), true},
	}
	types := []struct {
		t     ChannelType
		param uint32
	}{
		{ChannelReliable, 0},
		{ChannelReliableUnordered, 0},
		{ChannelPartialReliableRexmit, 3},
		{ChannelPartialReliableRexmitUnor, 0},
		{ChannelPartialReliableTimed, 500},
		{ChannelPartialReliableTimedUnor, 1500},
	}
	for i, typ := range types {
		t.Run(typ.t.String(), func(t *testing.T) {
			ch, err := client.Open("chan-"+typ.t.String(), ChannelOptions{Type: typ.t, ReliabilityParameter: typ.param, Protocol: "proto"})
			if err != nil {
				t.Fatal(err)
			}
			if ch.StreamID() != uint16(2*i) {
				t.Errorf("client stream id %d, want %d (even, RFC 8832 §6)", ch.StreamID(), 2*i)
			}
			buf := make([]byte, 1<<16)
			for _, m := range msgs {
				if err := ch.WriteMessage(m.data, m.isString); err != nil {
					t.Fatal(err)
				}
				n, isString, err := readWithin(t, ch, buf)
				if err != nil {
					t.Fatal(err)
				}
				if isString != m.isString || !bytes.Equal(buf[:n], m.data) {
					t.Fatalf("echo of %q (string %v) = %q (string %v)", m.data, m.isString, buf[:n], isString)
				}
			}
			if !ch.Acked() {
				t.Error("DATA_CHANNEL_ACK not consumed")
			}
		})
	}
	if got := server.Counters.AcceptedOpens.Load(); got != uint64(len(types)) {
		t.Errorf("server accepted %d opens, want %d", got, len(types))
	}
	if got := client.Counters.AcksReceived.Load(); got != uint64(len(types)) {
		t.Errorf("client got %d ACKs, want %d", got, len(types))
	}
}

func TestAcceptedChannelParameters(t *testing.T) {
	client, server := associationPair(t)
	opened, err := client.Open("label ✓", ChannelOptions{Type: ChannelPartialReliableTimedUnor, ReliabilityParameter: 250, Priority: PriorityHigh, Protocol: "chat"})
	if err != nil {
		t.Fatal(err)
	}
	// The OPEN reaches the server before any data: accept it.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ch, err := server.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Label() != "label ✓" || ch.Protocol() != "chat" || ch.Type() != ChannelPartialReliableTimedUnor ||
		ch.ReliabilityParameter() != 250 || ch.Priority() != PriorityHigh || ch.StreamID() != opened.StreamID() || !ch.Acked() {
		t.Fatalf("accepted %q %q %v %d %d id %d", ch.Label(), ch.Protocol(), ch.Type(), ch.ReliabilityParameter(), ch.Priority(), ch.StreamID())
	}
	// Reliable channels send the parameter as 0 (RFC 8832 §5.1).
	if _, err := client.Open("r", ChannelOptions{Type: ChannelReliable, ReliabilityParameter: 9}); err != nil {
		t.Fatal(err)
	}
	ch2, err := server.Accept(ctx)
	if err != nil || ch2.ReliabilityParameter() != 0 || ch2.Priority() != PriorityNormal {
		t.Fatalf("reliable: %v param %d prio %d", err, ch2.ReliabilityParameter(), ch2.Priority())
	}
	if _, err := client.Open("bad", ChannelOptions{Type: 0x05}); err == nil {
		t.Error("undefined channel type opened")
	}
}

func TestServerSideOpen(t *testing.T) {
	client, server := associationPair(t)
	echoServer(t, client)
	ch, err := server.Open("from-sfu", ChannelOptions{Type: ChannelReliableUnordered})
	if err != nil {
		t.Fatal(err)
	}
	if ch.StreamID()%2 != 1 {
		t.Fatalf("server opened stream id %d, want odd (RFC 8832 §6)", ch.StreamID())
	}
	if err := ch.WriteString("ping"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	n, isString, err := readWithin(t, ch, buf)
	if err != nil || !isString || string(buf[:n]) != "ping" {
		t.Fatalf("echo %q %v %v", buf[:n], isString, err)
	}
	if _, err := ch.Write([]byte{}); err != nil {
		t.Fatal(err)
	}
	n, isString, err = readWithin(t, ch, buf)
	if err != nil || isString || n != 0 {
		t.Fatalf("empty binary echo: %d %v %v", n, isString, err)
	}
}

func TestCloseResetsStream(t *testing.T) {
	client, server := associationPair(t)
	ch, err := client.Open("closing", ChannelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sch, err := server.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.WriteString("last"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	if n, _, err := readWithin(t, sch, buf); err != nil || string(buf[:n]) != "last" {
		t.Fatalf("%q %v", buf[:n], err)
	}
	if err := ch.Close(); err != nil {
		t.Fatal(err)
	}
	// RFC 8831 §6.7: the peer sees the reset as end of stream and resets
	// its side; the closer then reads EOF as well.
	if _, _, err := readWithin(t, sch, buf); !errors.Is(err, io.EOF) {
		t.Fatalf("server read after reset: %v, want io.EOF", err)
	}
	if _, _, err := readWithin(t, ch, buf); !errors.Is(err, io.EOF) {
		t.Fatalf("client read after both resets: %v, want io.EOF", err)
	}
	if err := ch.WriteString("after"); err == nil {
		t.Error("write after close succeeded")
	}
}

func TestMessageTooLarge(t *testing.T) {
	client, _ := associationPair(t)
	ch, err := client.Open("big", ChannelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.WriteMessage(make([]byte, DefaultMaxMessageSize+1), false); err == nil {
		t.Error("message above the peer's max-message-size sent")
	}
}

func TestAssociationCloseUnblocksAccept(t *testing.T) {
	client, _ := associationPair(t)
	done := make(chan error, 1)
	go func() {
		_, err := client.Accept(context.Background())
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	if err := client.Close(); err != nil && !errors.Is(err, io.EOF) {
		t.Logf("close: %v", err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, ErrClosed) {
			t.Fatalf("Accept after Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Accept not released by Close")
	}
	if _, err := client.Open("x", ChannelOptions{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Open after Close: %v", err)
	}
}

func TestLongLabelAndShortBuffer(t *testing.T) {
	client, server := associationPair(t)
	label := string(bytes.Repeat([]byte("L"), 5000))
	ch, err := client.Open(label, ChannelOptions{Protocol: "p"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sch, err := server.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sch.Label() != label {
		t.Fatalf("label of %d bytes arrived as %d bytes", len(label), len(sch.Label()))
	}
	if err := ch.WriteString("0123456789"); err != nil {
		t.Fatal(err)
	}
	small := make([]byte, 4)
	n, _, err := readWithin(t, sch, small)
	if !errors.Is(err, io.ErrShortBuffer) || n != 10 {
		t.Fatalf("short buffer: n %d err %v, want 10 and io.ErrShortBuffer", n, err)
	}
	big := make([]byte, n)
	n, isString, err := readWithin(t, sch, big)
	if err != nil || !isString || string(big[:n]) != "0123456789" {
		t.Fatalf("retry: %q %v %v", big[:n], isString, err)
	}
}

func TestAssociationCloseLeaksNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Run("pair", func(t *testing.T) {
		client, server := associationPair(t)
		echoServer(t, server)
		ch, err := client.Open("x", ChannelOptions{Type: ChannelReliableUnordered})
		if err != nil {
			t.Fatal(err)
		}
		if err := ch.WriteString("hi"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := readWithin(t, ch, make([]byte, 10)); err != nil {
			t.Fatal(err)
		}
		// A reader blocked on the channel must be released by Close.
		done := make(chan error, 1)
		go func() { _, _, err := ch.ReadMessage(make([]byte, 10)); done <- err }()
		_ = client.Close()
		_ = server.Close()
		select {
		case err := <-done:
			if err == nil {
				t.Error("read on a closed association returned no error")
			}
		case <-time.After(5 * time.Second):
			t.Fatal("blocked read not released by Close")
		}
	}) // t.Cleanup of the subtest closes the DTLS conns and sockets
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}
