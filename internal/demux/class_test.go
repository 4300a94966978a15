package demux

import "testing"

func TestClassifyRanges(t *testing.T) {
	// Expected class for every first byte, written from the RFC 7983 §7 /
	// RFC 9443 §3 table independently of Classify's switch.
	want := func(first byte) Class {
		switch {
		case first < 4:
			return STUN
		case first < 16:
			return Unknown
		case first < 20:
			return ZRTP
		case first < 64:
			return DTLS
		case first < 80:
			return TURNChannel
		case first < 128:
			return QUIC
		case first < 192:
			return RTP // with an RTP second byte, see below
		default:
			return QUIC
		}
	}
	for i := 0; i < 256; i++ {
		b := []byte{byte(i), 96, 0, 0}
		if got := Classify(b); got != want(byte(i)) {
			t.Errorf("first byte %d: got %v, want %v", i, got, want(byte(i)))
		}
	}
}

func TestClassifyRTPvsRTCP(t *testing.T) {
	for second := 0; second < 256; second++ {
		b := []byte{0x80, byte(second)}
		got := Classify(b)
		pt := second & 0x7f
		want := RTP
		if pt >= 64 && pt <= 95 {
			want = RTCP
		}
		if got != want {
			t.Errorf("second byte %d: got %v, want %v", second, got, want)
		}
	}
	// Every RTCP packet type of RFC 3550/4585/3611 (200..207) is RTCP.
	for pt := 192; pt <= 223; pt++ {
		if c := Classify([]byte{0x81, byte(pt), 0, 1}); c != RTCP {
			t.Errorf("RTCP PT %d classified %v", pt, c)
		}
	}
}

func TestClassifyShort(t *testing.T) {
	if c := Classify(nil); c != Unknown {
		t.Errorf("empty: %v", c)
	}
	if c := Classify([]byte{0x80}); c != Unknown {
		t.Errorf("lone 0x80: %v", c)
	}
	if c := Classify([]byte{0x00}); c != STUN {
		t.Errorf("lone 0x00: %v", c)
	}
}

func TestClassString(t *testing.T) {
	names := map[Class]string{Unknown: "unknown", STUN: "stun", ZRTP: "zrtp", DTLS: "dtls",
		TURNChannel: "turn-channel", QUIC: "quic", RTP: "rtp", RTCP: "rtcp", Class(200): "unknown"}
	for c, n := range names {
		if c.String() != n {
			t.Errorf("Class(%d).String() = %q, want %q", c, c.String(), n)
		}
	}
}

func TestClassifyAllocs(t *testing.T) {
	b := []byte{0x90, 0x6f, 0, 1}
	if n := testing.AllocsPerRun(100, func() { _ = Classify(b) }); n != 0 {
		t.Errorf("Classify allocates %v times", n)
	}
}

func BenchmarkClassify(b *testing.B) {
	pkts := [][]byte{{0, 1, 0, 0}, {22, 0xfe, 0xfd}, {0x80, 0x6f}, {0x81, 0xc9}}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = Classify(pkts[i&3])
	}
}

func FuzzClassify(f *testing.F) {
	f.Add([]byte{0x80, 0xc8})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		c := Classify(b)
		if c.String() == "" {
			t.Fatal("empty name")
		}
		if len(b) > 0 && b[0] <= 3 && c != STUN {
			t.Fatalf("%x: %v", b, c)
		}
	})
}
