package srtp

// DefaultReplayWindow is the replay window size used unless WithReplayWindow
// says otherwise. RFC 3711 §3.3.2 asks for at least 64; video with NACK
// retransmissions arrives later than that, so plainrtc uses 1024, as
// libwebrtc does.
const DefaultReplayWindow = 1024

// MaxReplayWindow is the largest replay window WithReplayWindow accepts:
// 2^15 packets, the reach of the index estimate (RFC 3711 §3.3.1,
// Appendix A), as libsrtp also caps it.
const MaxReplayWindow = 1 << 15

// replayWindow is the sliding window of RFC 3711 §3.3.2 over 48-bit packet
// indices (ROC || SEQ for SRTP, the SRTCP index for SRTCP). The bit for index
// i lives at position i mod size in a ring, so advancing the window clears
// bits instead of shifting; size is a power of two, and the bitmap is
// allocated once per stream.
type replayWindow struct {
	bits []uint64
	mask int64 // size - 1
}

func newReplayWindow(size int) replayWindow {
	return replayWindow{bits: make([]uint64, size/64), mask: int64(size - 1)}
}

// check reports whether index may be accepted when highest is the highest
// index authenticated so far. It changes nothing: the window moves only after
// the packet authenticates (accept).
func (w *replayWindow) check(highest, index int64) error {
	if index > highest {
		return nil
	}
	if highest-index > w.mask {
		return ErrTooOld
	}
	p := uint64(index) & uint64(w.mask)
	if w.bits[p/64]&(1<<(p%64)) != 0 {
		return ErrReplayed
	}
	return nil
}

// accept records index as received and, if it is the new highest, slides
// the window forward, forgetting the indices that fall out of it.
func (w *replayWindow) accept(highest *int64, index int64) {
	if d := index - *highest; d > 0 {
		if d > w.mask {
			clear(w.bits)
		} else {
			for i := *highest + 1; i < index; i++ {
				p := uint64(i) & uint64(w.mask)
				w.bits[p/64] &^= 1 << (p % 64)
			}
		}
		*highest = index
	}
	p := uint64(index) & uint64(w.mask)
	w.bits[p/64] |= 1 << (p % 64)
}

// reset empties the window and makes index the highest.
func (w *replayWindow) reset(highest *int64, index int64) {
	clear(w.bits)
	*highest = index
	p := uint64(index) & uint64(w.mask)
	w.bits[p/64] |= 1 << (p % 64)
}
