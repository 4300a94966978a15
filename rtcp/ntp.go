package rtcp

import "time"

// unixToNTP is the number of seconds from the NTP epoch (1900-01-01 UTC)
// to the Unix epoch (RFC 5905 §6; RFC 3550 §4).
const unixToNTP = 2208988800

// NTPTime converts t to the 64-bit NTP timestamp of RFC 3550 §4: seconds
// since 1900-01-01 UTC in the high word, the fraction of a second in the
// low word. Seconds wrap modulo 2^32 (the era, RFC 5905 §6). The time is
// the caller's: the package reads no clock.
func NTPTime(t time.Time) uint64 {
	secs := uint64(t.Unix()) + unixToNTP
	frac := uint64(t.Nanosecond()) << 32 / uint64(time.Second)
	return secs<<32 | frac
}

// NTPMiddle returns the middle 32 bits of an NTP timestamp, the compact
// form carried as LSR in a report block (RFC 3550 §6.4.1) and as LRR in an
// XR DLRR sub-block (RFC 3611 §4.5).
func NTPMiddle(ntp uint64) uint32 { return uint32(ntp >> 16) }

// DelayUnits converts d to the 1/65536-second units of DLSR (RFC 3550
// §6.4.1) and DLRR (RFC 3611 §4.5), rounding down and saturating at the
// 32-bit maximum (about 18.2 hours); a negative d gives 0.
func DelayUnits(d time.Duration) uint32 {
	if d <= 0 {
		return 0
	}
	const limit = time.Duration(1<<32) * time.Second / 65536 // 65536 s
	if d >= limit {
		return 1<<32 - 1
	}
	return uint32(uint64(d) << 16 / uint64(time.Second))
}

// RoundTrip computes the round-trip time of RFC 3550 §6.4.1 from a report
// block r about one of our streams, received at arrival (an NTP timestamp,
// see NTPTime): A - LSR - DLSR, in 1/65536 s modulo 2^32. ok is false when
// the block has no LSR yet (0: no SR received) or the result is negative
// (clock skew or a bogus DLSR).
func RoundTrip(arrival uint64, r *ReceptionReport) (rtt time.Duration, ok bool) {
	if r.LastSR == 0 {
		return 0, false
	}
	units := int32(NTPMiddle(arrival) - r.LastSR - r.DelaySinceLastSR)
	if units < 0 {
		return 0, false
	}
	return time.Duration(int64(units) * int64(time.Second) / 65536), true
}
