package datachannel

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/pion/sctp"
)

func rawOpen(t *testing.T, raw *sctp.Association, id uint16, o Open) *sctp.Stream {
	t.Helper()
	s, err := raw.OpenStream(id, sctp.PayloadProtocolIdentifier(PPIDDCEP))
	if err != nil {
		t.Fatal(err)
	}
	b, err := o.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteSCTP(b, sctp.PayloadProtocolIdentifier(PPIDDCEP)); err != nil {
		t.Fatal(err)
	}
	return s
}

func expectReset(t *testing.T, s *sctp.Stream) {
	t.Helper()
	_ = s.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 100)
	n, ppid, err := s.ReadSCTP(buf)
	if !errors.Is(err, io.EOF) {
		t.Fatalf("stream %d: read %x ppid %v err %v, want reset (EOF)", s.StreamIdentifier(), buf[:n], ppid, err)
	}
}

func TestRefusals(t *testing.T) {
	raw, ours := rawPair(t)
	// The raw side is the DTLS client: it must use even ids. Id 1 is ours.
	expectReset(t, rawOpen(t, raw, 1, Open{Label: []byte("wrong parity")}))
	// Undefined channel type.
	expectReset(t, rawOpen(t, raw, 2, Open{ChannelType: 0x03, Label: []byte("bad type")}))
	// First message not DCEP.
	s, err := raw.OpenStream(4, sctp.PayloadProtocolIdentifier(PPIDString))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteSCTP([]byte("data first"), sctp.PayloadProtocolIdentifier(PPIDString)); err != nil {
		t.Fatal(err)
	}
	expectReset(t, s)
	// Truncated OPEN.
	s6, err := raw.OpenStream(6, sctp.PayloadProtocolIdentifier(PPIDDCEP))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s6.WriteSCTP([]byte{0x03, 0x00, 0x01}, sctp.PayloadProtocolIdentifier(PPIDDCEP)); err != nil {
		t.Fatal(err)
	}
	expectReset(t, s6)
	if got := ours.Counters.RefusedOpens.Load(); got != 4 {
		t.Errorf("refused %d opens, want 4", got)
	}
	if got := ours.Counters.NonDCEPFirst.Load(); got != 1 {
		t.Errorf("non-DCEP first = %d, want 1", got)
	}
	// A good open on id 8 still works after all that.
	good := rawOpen(t, raw, 8, Open{Label: []byte("good")})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ch, err := ours.Accept(ctx)
	if err != nil || ch.Label() != "good" {
		t.Fatalf("accept: %v", err)
	}
	_ = good.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 10)
	n, ppid, err := good.ReadSCTP(buf)
	if err != nil || PPID(ppid) != PPIDDCEP || !bytes.Equal(buf[:n], []byte{0x02}) {
		t.Fatalf("ACK: %x ppid %d err %v", buf[:n], ppid, err)
	}

	// Deprecated partial PPIDs are reassembled; unknown PPIDs and stray DCEP
	// are counted and skipped.
	for _, part := range []struct {
		b []byte
		p PPID
	}{
		{[]byte{0x02}, PPIDDCEP}, // duplicate ACK: dropped
		{[]byte("x"), 99},        // unknown PPID: dropped
		{[]byte("hel"), PPIDStringPartial},
		{[]byte("lo "), PPIDStringPartial},
		{[]byte("world"), PPIDString},
	} {
		if _, err := good.WriteSCTP(part.b, sctp.PayloadProtocolIdentifier(part.p)); err != nil {
			t.Fatal(err)
		}
	}
	rb := make([]byte, 100)
	n, isString, err := readWithin(t, ch, rb)
	if err != nil || !isString || string(rb[:n]) != "hello world" {
		t.Fatalf("reassembled %q %v %v", rb[:n], isString, err)
	}
	if ours.Counters.DroppedDCEP.Load() != 1 || ours.Counters.UnknownPPID.Load() != 1 {
		t.Errorf("dropped DCEP %d unknown PPID %d, want 1 and 1", ours.Counters.DroppedDCEP.Load(), ours.Counters.UnknownPPID.Load())
	}
	// An empty message arrives with its one ignored byte (RFC 8831 §6.6).
	if _, err := good.WriteSCTP([]byte{0}, sctp.PayloadProtocolIdentifier(PPIDBinaryEmpty)); err != nil {
		t.Fatal(err)
	}
	n, isString, err = readWithin(t, ch, rb)
	if err != nil || isString || n != 0 {
		t.Fatalf("empty binary: n %d string %v err %v", n, isString, err)
	}
}

// A peer that creates streams faster than the application accepts them
// cannot make the association hold a goroutine and buffer per stream
// without bound: past AcceptBacklog queued channels and MaxPendingOpens
// pending streams, new streams are reset (refused) and counted.
func TestStreamFloodBounded(t *testing.T) {
	const backlog, pending, streams = 4, 8, 40
	raw, ours := rawPairConfig(t, Config{OpenTimeout: time.Second, AcceptBacklog: backlog, MaxPendingOpens: pending})
	for i := range streams {
		rawOpen(t, raw, uint16(2*i), Open{Label: []byte("flood")})
	}
	waitUntil(t, func() bool {
		return ours.Counters.AcceptedOpens.Load()+ours.Counters.RefusedOpens.Load() == streams
	})
	if got := ours.Counters.AcceptedOpens.Load(); got > backlog+pending {
		t.Errorf("%d opens accepted and held while nobody called Accept, want at most %d", got, backlog+pending)
	}
	if got := ours.Counters.PendingFull.Load(); got != ours.Counters.RefusedOpens.Load() || got < streams-backlog-pending {
		t.Errorf("%d refused for too many pending opens (of %d refused), want at least %d", got, ours.Counters.RefusedOpens.Load(), streams-backlog-pending)
	}
	// Accepting drains the queue, and the peer can open channels again.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for range ours.Counters.AcceptedOpens.Load() {
		if _, err := ours.Accept(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// The goroutines that handed the last channels over release their
	// pending slots just after Accept returns them.
	waitUntil(t, func() bool { return len(ours.pending) == 0 })
	rawOpen(t, raw, 2*streams, Open{Label: []byte("after")})
	ch, err := ours.Accept(ctx)
	if err != nil || ch.Label() != "after" {
		t.Fatalf("open after the flood: %v", err)
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// RFC 8832 §5.1: for reliable channels the Reliability Parameter "MUST be
// ignored on the receiving side": a peer that sends one anyway gets a
// reliable channel whose parameter reads 0, as for a well-behaved peer.
func TestReliableParameterIgnoredOnReceipt(t *testing.T) {
	raw, ours := rawPair(t)
	for i, typ := range []ChannelType{ChannelReliable, ChannelReliableUnordered} {
		rawOpen(t, raw, uint16(2*i), Open{ChannelType: typ, ReliabilityParameter: 7, Label: []byte("r")})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		ch, err := ours.Accept(ctx)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if ch.Type() != typ || ch.ReliabilityParameter() != 0 {
			t.Errorf("%v: type %v parameter %d, want the type and 0", typ, ch.Type(), ch.ReliabilityParameter())
		}
	}
	neg, err := ours.OpenNegotiated(101, "n", ChannelOptions{Type: ChannelReliable, ReliabilityParameter: 7})
	if err != nil {
		t.Fatal(err)
	}
	if neg.ReliabilityParameter() != 0 {
		t.Errorf("negotiated reliable channel parameter %d, want 0", neg.ReliabilityParameter())
	}
}

// A second DATA_CHANNEL_OPEN on a stream that is already a channel does not
// open another channel or change this one (RFC 8832 §6 opens a channel per
// unused stream): it is counted as unexpected DCEP and dropped, and the
// channel carries on.
func TestDuplicateOpenIgnored(t *testing.T) {
	raw, ours := rawPair(t)
	s := rawOpen(t, raw, 2, Open{ChannelType: ChannelReliable, Label: []byte("first")})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ch, err := ours.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dup, err := (&Open{ChannelType: ChannelPartialReliableRexmitUnor, ReliabilityParameter: 1, Label: []byte("second")}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteSCTP(dup, sctp.PayloadProtocolIdentifier(PPIDDCEP)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteSCTP([]byte("after"), sctp.PayloadProtocolIdentifier(PPIDString)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	n, isString, err := readWithin(t, ch, buf)
	if err != nil || !isString || string(buf[:n]) != "after" {
		t.Fatalf("message after the duplicate OPEN: %q %v %v", buf[:n], isString, err)
	}
	if ch.Label() != "first" || ch.Type() != ChannelReliable {
		t.Errorf("channel changed to %q %v", ch.Label(), ch.Type())
	}
	if got := ours.Counters.DroppedDCEP.Load(); got != 1 {
		t.Errorf("dropped DCEP %d, want 1", got)
	}
	if got := ours.Counters.AcceptedOpens.Load(); got != 1 {
		t.Errorf("accepted opens %d, want 1", got)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel2()
	if extra, err := ours.Accept(ctx2); err == nil {
		t.Errorf("duplicate OPEN accepted as channel %q", extra.Label())
	}
}
