package srtp

import (
	"bytes"
	"encoding/binary"
	"testing"
)

func TestReplayWindowEdges(t *testing.T) {
	for _, size := range []int{64, 128, 1024} {
		w := newReplayWindow(size)
		var highest int64
		w.reset(&highest, 5000)
		if err := w.check(highest, 5000); err != ErrReplayed {
			t.Fatalf("size %d: same index: %v", size, err)
		}
		if err := w.check(highest, 5000-int64(size)+1); err != nil {
			t.Fatalf("size %d: oldest index in window refused: %v", size, err)
		}
		if err := w.check(highest, 5000-int64(size)); err != ErrTooOld {
			t.Fatalf("size %d: index one past the window: %v, want ErrTooOld", size, err)
		}
		// Accept every other index behind, then all must be exactly once.
		for i := int64(1); i < int64(size); i += 2 {
			w.accept(&highest, 5000-i)
		}
		for i := int64(1); i < int64(size); i++ {
			err := w.check(highest, 5000-i)
			if (i%2 == 1) != (err == ErrReplayed) {
				t.Fatalf("size %d: index -%d: %v", size, i, err)
			}
		}
		// Slide forward by less than the window: indices that fall out are
		// forgotten (refused as too old), the rest keep their bits.
		w.accept(&highest, 5000+10)
		if err := w.check(highest, 5000-1); err != ErrReplayed {
			t.Fatalf("size %d: after slide, -1: %v", size, err)
		}
		if err := w.check(highest, 5000+5); err != nil {
			t.Fatalf("size %d: gap index refused: %v", size, err)
		}
		// A jump past the window clears it.
		w.accept(&highest, 5000+10+int64(size)*3)
		if err := w.check(highest, highest-int64(size)+1); err != nil {
			t.Fatalf("size %d: after a jump: %v", size, err)
		}
	}
}

// A replay window of 1024 by default: a packet 1000 behind the newest, as a
// late NACK retransmission is, is still accepted once.
func TestLatePacketsAcceptedOnce(t *testing.T) {
	tx, rx := pair(t, ProfileAES128CMHMACSHA1_80)
	var pkts [][]byte
	for seq := 0; seq < 1100; seq++ {
		out, _ := tx.EncryptRTP(nil, testRTP(3, uint16(seq), 8))
		pkts = append(pkts, out)
	}
	for seq := 100; seq < 1100; seq++ {
		if _, err := rx.DecryptRTP(bytes.Clone(pkts[seq])); err != nil {
			t.Fatal(seq, err)
		}
	}
	if _, err := rx.DecryptRTP(bytes.Clone(pkts[99])); err != nil { // 1000 behind: first packet was 100, so this is "before start" yet in window
		t.Fatalf("late packet 1000 behind: %v", err)
	}
	if _, err := rx.DecryptRTP(bytes.Clone(pkts[99])); err != ErrReplayed {
		t.Fatalf("second copy: %v", err)
	}
	if _, err := rx.DecryptRTP(bytes.Clone(pkts[50])); err != ErrTooOld {
		t.Fatalf("1049 behind: %v, want ErrTooOld", err)
	}
	// A smaller configured window refuses it.
	tx, rx = pair(t, ProfileAES128CMHMACSHA1_80, WithReplayWindow(128))
	for seq := 0; seq < 300; seq++ {
		out, _ := tx.EncryptRTP(nil, testRTP(3, uint16(seq), 8))
		pkts[seq] = out
	}
	for seq := 200; seq < 300; seq++ {
		rx.DecryptRTP(bytes.Clone(pkts[seq]))
	}
	if _, err := rx.DecryptRTP(bytes.Clone(pkts[172])); err != nil {
		t.Fatalf("127 behind with window 128: %v", err)
	}
	if _, err := rx.DecryptRTP(bytes.Clone(pkts[171])); err != ErrTooOld {
		t.Fatalf("128 behind with window 128: %v", err)
	}
}

func testRTCP(ssrc uint32) []byte {
	p := make([]byte, 28)
	p[0], p[1], p[3] = 0x80, 201, 6
	binary.BigEndian.PutUint32(p[4:], ssrc)
	for i := 8; i < len(p); i++ {
		p[i] = byte(i)
	}
	return p
}

func TestSRTCPReplayAndIndex(t *testing.T) {
	for _, p := range testProfiles {
		t.Run(p.String(), func(t *testing.T) {
			tx, rx := pair(t, p)
			var pkts [][]byte
			for i := 0; i < 1200; i++ {
				out, err := tx.EncryptRTCP(nil, testRTCP(9))
				if err != nil {
					t.Fatal(err)
				}
				trailer := out[len(out)-4:]
				if !p.IsAEAD() {
					trailer = out[len(out)-p.RTCPTagLen()-4 : len(out)-p.RTCPTagLen()]
				}
				if got := binary.BigEndian.Uint32(trailer); got != 1<<31|uint32(i+1) {
					t.Fatalf("packet %d: E+index %#x, want %#x", i, got, 1<<31|uint32(i+1))
				}
				pkts = append(pkts, out)
			}
			for _, i := range []int{1100, 1102, 1101, 1199, 200} {
				got, err := rx.DecryptRTCP(bytes.Clone(pkts[i]))
				if err != nil {
					t.Fatalf("index %d: %v", i+1, err)
				}
				if !bytes.Equal(got, testRTCP(9)) {
					t.Fatalf("index %d: decrypted packet differs", i+1)
				}
			}
			if _, err := rx.DecryptRTCP(bytes.Clone(pkts[1101])); err != ErrReplayed {
				t.Fatalf("replay: %v", err)
			}
			if _, err := rx.DecryptRTCP(bytes.Clone(pkts[100])); err != ErrTooOld {
				t.Fatalf("too old: %v", err)
			}
			// Unencrypted SRTCP (E = 0) is read by its own flag.
			tx2, _ := pair(t, p, WithUnencryptedSRTCP())
			out, _ := tx2.EncryptRTCP(nil, testRTCP(10))
			if !bytes.Equal(out[:28], testRTCP(10)) {
				t.Fatal("E = 0 packet was encrypted")
			}
			if got, err := rx.DecryptRTCP(out); err != nil || !bytes.Equal(got, testRTCP(10)) {
				t.Fatalf("E = 0: %v", err)
			}
		})
	}
}

func TestForget(t *testing.T) {
	tx, rx := pair(t, ProfileAES128CMHMACSHA1_80)
	out, _ := tx.EncryptRTP(nil, testRTP(4, 100, 10))
	if _, err := rx.DecryptRTP(bytes.Clone(out)); err != nil {
		t.Fatal(err)
	}
	if _, err := rx.DecryptRTP(bytes.Clone(out)); err != ErrReplayed {
		t.Fatal(err)
	}
	rx.Forget(4)
	if _, ok := rx.ROC(4); ok {
		t.Fatal("state kept after Forget")
	}
	if _, err := rx.DecryptRTP(bytes.Clone(out)); err != nil {
		t.Fatalf("after Forget the stream starts anew: %v", err)
	}
}

// WithReplayWindow refuses sizes past 2^15, which the index estimate can
// never reach (RFC 3711 §3.3.1); before, a huge size was rounded up by a
// loop that overflowed and never ended, or allocated without bound.
func TestReplayWindowSizeBound(t *testing.T) {
	key, salt := make([]byte, 16), make([]byte, 14)
	for _, n := range []int{MaxReplayWindow + 1, 1 << 20, 1<<62 + 1} {
		if _, err := NewContext(ProfileAES128CMHMACSHA1_80, key, salt, WithReplayWindow(n)); err != ErrReplayWindow {
			t.Fatalf("window %d: %v, want ErrReplayWindow", n, err)
		}
	}
	c, err := NewContext(ProfileAES128CMHMACSHA1_80, key, salt, WithReplayWindow(MaxReplayWindow))
	if err != nil || c.windowSize != MaxReplayWindow {
		t.Fatalf("window 2^15: %v, size %d", err, c.windowSize)
	}
}
