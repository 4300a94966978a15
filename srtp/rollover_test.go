package srtp

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// RFC 3711 Appendix A, case by case, including both boundaries of each
// comparison.
func TestEstimateIndex(t *testing.T) {
	idx := func(roc int64, seq uint16) int64 { return roc<<16 | int64(seq) }
	for _, c := range []struct {
		roc  int64
		sl   uint16
		seq  uint16
		want int64
	}{
		{0, 0, 0, idx(0, 0)},
		{0, 0, 1, idx(0, 1)},
		{5, 0, 32768, idx(5, 32768)},   // SEQ - s_l = 2^15: not greater, v = ROC
		{5, 0, 32769, idx(4, 32769)},   // SEQ - s_l > 2^15: v = ROC - 1
		{5, 100, 30000, idx(5, 30000)}, // ahead, same ROC
		{5, 100, 65500, idx(4, 65500)}, // late, from before the wrap
		{5, 32767, 0, idx(5, 0)},       // s_l < 2^15, SEQ behind
		{5, 32768, 0, idx(5, 0)},       // s_l - 2^15 = 0 > SEQ never: v = ROC
		{5, 32769, 0, idx(6, 0)},       // s_l - 2^15 = 1 > 0: v = ROC + 1
		{5, 65000, 10, idx(6, 10)},     // wrapped
		{5, 65000, 40000, idx(5, 40000)},
		{5, 65535, 65535, idx(5, 65535)},
		{0, 10, 65000, -65536 + 65000}, // ROC - 1 with ROC 0: older than the stream
	} {
		if got := estimateIndex(idx(c.roc, c.sl), c.seq); got != c.want {
			t.Errorf("ROC %d s_l %d SEQ %d: index %d (v %d), want %d (v %d)",
				c.roc, c.sl, c.seq, got, got>>16, c.want, c.want>>16)
		}
	}
	if r := rocOf(-65536 + 65000); r != 0xffffffff {
		t.Errorf("ROC of a negative index: %#x, want 0xffffffff (mod 2^32)", r)
	}
}

func testRTP(ssrc uint32, seq uint16, payload int) []byte {
	p := make([]byte, 12+payload, 12+payload+16)
	p[0], p[1] = 0x80, 96
	binary.BigEndian.PutUint16(p[2:], seq)
	binary.BigEndian.PutUint32(p[4:], uint32(seq)*960)
	binary.BigEndian.PutUint32(p[8:], ssrc)
	for i := 12; i < len(p); i++ {
		p[i] = byte(i + int(seq))
	}
	return p
}

func pair(t *testing.T, p Profile, opts ...Option) (tx, rx *Context) {
	t.Helper()
	key := bytes.Repeat([]byte{0x42}, p.KeyLen())
	salt := bytes.Repeat([]byte{0x17}, p.SaltLen())
	tx, err := NewContext(p, key, salt, opts...)
	if err != nil {
		t.Fatal(err)
	}
	rx, _ = NewContext(p, key, salt, opts...)
	return tx, rx
}

var testProfiles = []Profile{ProfileAES128CMHMACSHA1_80, ProfileAES128CMHMACSHA1_32, ProfileAEADAES128GCM,
	ProfileAEADAES256GCM, ProfileAES192CMHMACSHA1_80, ProfileAES256CMHMACSHA1_32}

// Packets across a sequence wrap, reordered so that some arrive after the
// wrap was seen: each is accepted exactly once, with the right ROC, and
// replays of any are refused.
func TestRolloverAcrossWrapWithReordering(t *testing.T) {
	for _, p := range testProfiles {
		t.Run(p.String(), func(t *testing.T) {
			tx, rx := pair(t, p)
			const ssrc = 0xcafe
			sent := map[uint16][]byte{}
			for s := 65520; s < 65536+20; s++ {
				seq := uint16(s)
				out, err := tx.EncryptRTP(nil, testRTP(ssrc, seq, 50))
				if err != nil {
					t.Fatal(err)
				}
				sent[seq] = out
			}
			if roc, _ := tx.ROC(ssrc); roc != 1 {
				t.Fatalf("sender ROC after wrap %d, want 1", roc)
			}
			order := []uint16{65520, 65522, 65521, 65530, 2, 65535, 0, 65531, 1, 65534, 10, 65523, 3, 19, 4}
			for _, seq := range order {
				got, err := rx.DecryptRTP(bytes.Clone(sent[seq]))
				if err != nil {
					t.Fatalf("seq %d: %v", seq, err)
				}
				if !bytes.Equal(got, testRTP(ssrc, seq, 50)) {
					t.Fatalf("seq %d: decrypted packet differs", seq)
				}
			}
			if roc, _ := rx.ROC(ssrc); roc != 1 {
				t.Errorf("receiver ROC %d, want 1", roc)
			}
			for _, seq := range []uint16{65534, 0, 1, 19, 65520} {
				if _, err := rx.DecryptRTP(bytes.Clone(sent[seq])); err != ErrReplayed {
					t.Errorf("replayed seq %d: %v, want ErrReplayed", seq, err)
				}
			}
			// Packets after the wrap carry ROC 1 in their tag/IV: a receiver
			// that believes ROC 0 cannot authenticate seq 0.
			_, fresh := pair(t, p)
			if _, err := fresh.DecryptRTP(bytes.Clone(sent[0])); err != ErrAuthFailed {
				t.Errorf("seq 0 at ROC 0: %v, want ErrAuthFailed", err)
			}
			_, fresh = pair(t, p)
			fresh.SetROC(ssrc, 1)
			if _, err := fresh.DecryptRTP(bytes.Clone(sent[0])); err != nil {
				t.Errorf("seq 0 at ROC 1 (SetROC): %v", err)
			}
		})
	}
}

// A forged packet whose sequence number would move the ROC forward changes
// nothing: the ROC and window move only after authentication (RFC 3711 §3.3.1).
func TestForgedPacketDoesNotMoveROC(t *testing.T) {
	for _, p := range testProfiles {
		t.Run(p.String(), func(t *testing.T) {
			tx, rx := pair(t, p)
			const ssrc = 7
			for seq := uint16(40000); seq < 40010; seq++ {
				out, _ := tx.EncryptRTP(nil, testRTP(ssrc, seq, 20))
				if _, err := rx.DecryptRTP(out); err != nil {
					t.Fatal(err)
				}
			}
			// seq 5 estimates to ROC 1 (s_l - 2^15 > 5): forge it.
			forged := testRTP(ssrc, 5, 20)
			forged = append(forged, make([]byte, p.RTPTagLen())...)
			if _, err := rx.DecryptRTP(forged); err != ErrAuthFailed {
				t.Fatalf("forged packet: %v, want ErrAuthFailed", err)
			}
			if roc, _ := rx.ROC(ssrc); roc != 0 {
				t.Fatalf("ROC %d after a forged packet, want 0", roc)
			}
			out, _ := tx.EncryptRTP(nil, testRTP(ssrc, 40010, 20))
			if _, err := rx.DecryptRTP(out); err != nil {
				t.Fatalf("next genuine packet: %v", err)
			}
			// A forged packet for an SSRC never seen creates no state.
			if _, err := rx.DecryptRTP(append(testRTP(99, 1, 20), make([]byte, p.RTPTagLen())...)); err != ErrAuthFailed {
				t.Fatalf("forged new SSRC: %v", err)
			}
			if _, ok := rx.ROC(99); ok {
				t.Fatal("a forged packet created stream state")
			}
		})
	}
}

// ROC - 1 while the ROC is 0 (a packet from "before" the stream start):
// within the window it is not refused as too old, its ROC is 2^32-1 for the
// cryptography, so the genuine packet of ROC 0 fails authentication, and the
// state does not move.
func TestIndexBeforeStreamStart(t *testing.T) {
	tx, rx := pair(t, ProfileAES128CMHMACSHA1_80)
	early, _ := tx.EncryptRTP(nil, testRTP(1, 65000, 10)) // sender ROC 0
	tx2, _ := pair(t, ProfileAES128CMHMACSHA1_80)
	first, _ := tx2.EncryptRTP(nil, testRTP(1, 10, 10))
	if _, err := rx.DecryptRTP(first); err != nil {
		t.Fatal(err)
	}
	if _, err := rx.DecryptRTP(early); err != ErrAuthFailed {
		t.Fatalf("got %v, want ErrAuthFailed", err)
	}
	if roc, _ := rx.ROC(1); roc != 0 {
		t.Fatalf("ROC moved to %d", roc)
	}
}

// SetROC on a running stream moves it to the new ROC and forgets the old
// window, so the packets of the new ROC are not mistaken for replays.
func TestSetROCOnRunningStream(t *testing.T) {
	tx, rx := pair(t, ProfileAES128CMHMACSHA1_80)
	for seq := uint16(10); seq < 20; seq++ {
		out, _ := tx.EncryptRTP(nil, testRTP(2, seq, 4))
		if _, err := rx.DecryptRTP(out); err != nil {
			t.Fatal(err)
		}
	}
	tx.SetROC(2, 7)
	rx.SetROC(2, 7)
	for _, seq := range []uint16{15, 20, 12} {
		out, _ := tx.EncryptRTP(nil, testRTP(2, seq, 4))
		if _, err := rx.DecryptRTP(out); err != nil {
			t.Fatalf("seq %d at ROC 7: %v", seq, err)
		}
	}
	if roc, _ := rx.ROC(2); roc != 7 {
		t.Fatalf("ROC %d, want 7", roc)
	}
}
