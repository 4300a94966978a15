package rtp

import "testing"

func TestSourceProbationLossAndWrap(t *testing.T) {
	var s Source
	if s.Update(65530) {
		t.Fatal("first packet valid during probation")
	}
	if !s.Update(65531) || !s.Valid() {
		t.Fatal("second in-order packet did not validate the source")
	}
	// 65532 lost, then across the wrap.
	for _, q := range []uint16{65533, 65534, 65535, 0, 1} {
		if !s.Update(q) {
			t.Fatalf("seq %d rejected", q)
		}
	}
	if got := s.ExtendedHighestSequence(); got != 65536+1 {
		t.Fatalf("extended highest = %d, want 65537", got)
	}
	// Counting starts at 65531 when probation ends: 65531..65537 is 7
	// expected, 6 received, 65532 lost.
	if s.Expected() != 7 || s.Received() != 6 || s.Lost() != 1 {
		t.Fatalf("expected %d received %d lost %d", s.Expected(), s.Received(), s.Lost())
	}
	if f := s.FractionLost(); f != 256/7 {
		t.Fatalf("fraction lost = %d, want %d", f, 256/7)
	}
	if f := s.FractionLost(); f != 0 {
		t.Fatalf("empty interval fraction = %d", f)
	}
	// A big jump is rejected once, accepted when the next packet follows it.
	if s.Update(30000) {
		t.Fatal("jump accepted without confirmation")
	}
	if !s.Update(30001) {
		t.Fatal("confirmed jump rejected")
	}
	if s.ExtendedHighestSequence() != 30001 || s.Received() != 1 {
		t.Fatalf("after resync: ext %d received %d", s.ExtendedHighestSequence(), s.Received())
	}
	// Reordered packet within MaxMisorder counts but does not move max.
	s.Update(30002)
	if !s.Update(29990) || s.ExtendedHighestSequence() != 30002 {
		t.Fatalf("reordered packet: ext %d", s.ExtendedHighestSequence())
	}
}

func TestJitter(t *testing.T) {
	var j Jitter
	// Constant transit: no jitter.
	for i := uint32(0); i < 10; i++ {
		j.Update(1000+i*3000, i*3000)
	}
	if j.Value() != 0 {
		t.Fatalf("constant transit jitter = %d", j.Value())
	}
	// Alternating ±160 transit: J converges towards 320 (|D| = 320).
	for i := uint32(10); i < 400; i++ {
		off := uint32(0)
		if i%2 == 0 {
			off = 320
		}
		j.Update(1000+i*3000+off, i*3000)
	}
	if v := j.Value(); v < 310 || v > 320 {
		t.Fatalf("jitter = %d, want ≈320", v)
	}
}

// The transit time (arrival − timestamp) carries an arbitrary clock offset,
// so two packets may have transits either side of ±2^31 while their
// difference D is small; D must be taken modulo 2^32 (RFC 3550 §A.8). The
// estimate must not depend on the offset.
func TestJitterTransitWrap(t *testing.T) {
	var wrap, plain Jitter
	for i := uint32(0); i < 200; i++ {
		ts := 1000 + 3000*i
		d := uint32(i % 3)               // transit wanders by 0..2 units
		wrap.Update(ts+0x7fffffff+d, ts) // straddles 2^31 − 1 / −2^31
		plain.Update(ts+5000+d, ts)      // same D, far from the edge
		if wrap.Value() != plain.Value() || wrap.jitter != plain.jitter {
			t.Fatalf("packet %d: jitter %d (scaled %d) with transits across ±2^31, want %d (scaled %d)",
				i, wrap.Value(), wrap.jitter, plain.Value(), plain.jitter)
		}
	}
	if plain.Value() != 1 {
		t.Fatalf("jitter %d for |D| of 1 and 2, want 1", plain.Value())
	}
}
