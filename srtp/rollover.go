package srtp

// estimateIndex returns the packet index i = 2^16 * v + SEQ of a packet with
// sequence number seq, given the highest index authenticated so far
// (ROC || s_l), exactly as RFC 3711 Appendix A:
//
//	if s_l < 2^15:
//	    if SEQ - s_l > 2^15: v = ROC - 1   else v = ROC
//	else:
//	    if s_l - 2^15 > SEQ: v = ROC + 1   else v = ROC
//
// Indices are kept as int64 so that v = ROC - 1 while ROC is 0 gives a
// negative index, one older than every packet of the stream, instead of the
// far future; its ROC for the cryptography is still v mod 2^32 (RFC 3711
// §3.3.1), so such a packet authenticates only if the sender really used it.
func estimateIndex(highest int64, seq uint16) int64 {
	roc := highest >> 16
	sl := highest & 0xffff
	s := int64(seq)
	v := roc
	if sl < 1<<15 {
		if s-sl > 1<<15 {
			v = roc - 1
		}
	} else if sl-(1<<15) > s {
		v = roc + 1
	}
	return v<<16 | s
}

// rocOf is the 32-bit rollover counter of a packet index: v mod 2^32.
func rocOf(index int64) uint32 { return uint32(index >> 16) }
