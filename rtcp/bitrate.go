package rtcp

// Bitrates in REMB (draft-alvestrand-rmcat-remb-03 §2.2: 6-bit exponent,
// 18-bit mantissa) and TMMBR/TMMBN (RFC 5104 §4.2.1.1: 6-bit exponent,
// 17-bit mantissa) are mantissa·2^exp bits per second.

// expBitrate returns mantissa·2^exp, saturating at the largest uint64.
func expBitrate(mantissa uint32, exp uint8) uint64 {
	if mantissa == 0 {
		return 0
	}
	if exp >= 64 || uint64(mantissa) > ^uint64(0)>>exp {
		return ^uint64(0)
	}
	return uint64(mantissa) << exp
}

// splitBitrate encodes bps with the smallest exponent whose mantissa fits
// mantissaBits, truncating the low bits as libwebrtc does. For any uint64
// the exponent is at most 64 - mantissaBits, which fits 6 bits.
func splitBitrate(bps uint64, mantissaBits uint) (exp uint8, mantissa uint32) {
	for bps>>exp >= 1<<mantissaBits {
		exp++
	}
	return exp, uint32(bps >> exp)
}
