package rtp

// SequenceUnwrapper extends 16-bit RTP sequence numbers to int64, so that
// the counter keeps increasing across wrap-around (RFC 3550 §A.1 keeps the
// cycle count the same way). Each value is placed nearest the previous one.
// The zero value is ready to use.
type SequenceUnwrapper struct {
	last    int64
	started bool
}

// Unwrap returns seq extended relative to the previous call.
func (u *SequenceUnwrapper) Unwrap(seq uint16) int64 {
	if !u.started {
		u.started = true
		u.last = int64(seq)
		return u.last
	}
	u.last += int64(int16(seq - uint16(u.last)))
	return u.last
}

// TimestampUnwrapper extends 32-bit RTP timestamps to int64 the same way.
// The zero value is ready to use.
type TimestampUnwrapper struct {
	last    int64
	started bool
}

// Unwrap returns ts extended relative to the previous call.
func (u *TimestampUnwrapper) Unwrap(ts uint32) int64 {
	if !u.started {
		u.started = true
		u.last = int64(ts)
		return u.last
	}
	u.last += int64(int32(ts - uint32(u.last)))
	return u.last
}
