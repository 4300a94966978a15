package rtp

// Jitter is the interarrival jitter estimator of RFC 3550 §6.4.1 in the
// integer form of §A.8: J += (|D| − J)/16, kept scaled by 16. Arrival times
// are passed in RTP timestamp units of the stream's clock (the caller
// converts its clock reading, keeping the package free of time). The zero
// value is ready to use.
type Jitter struct {
	transit int32
	jitter  uint32 // scaled by 16
	started bool
}

// Update feeds one packet: its arrival time and its RTP timestamp, both
// in the stream's clock rate units (RFC 3550 §A.8).
func (j *Jitter) Update(arrival, timestamp uint32) {
	transit := int32(arrival - timestamp)
	if !j.started {
		j.started = true
		j.transit = transit
		return
	}
	// D(i-1,i) of RFC 3550 §6.4.1, in 32-bit wrap-around arithmetic as the
	// §A.8 code computes it: the clock offset in transit is arbitrary, so
	// consecutive transits may straddle ±2^31 while differing by little.
	d := int64(int32(uint32(transit) - uint32(j.transit)))
	j.transit = transit
	if d < 0 {
		d = -d
	}
	j.jitter = uint32(int64(j.jitter) + d - int64((j.jitter+8)>>4))
}

// Value returns the jitter in timestamp units, as a reception report
// carries it (RFC 3550 §6.4.1).
func (j *Jitter) Value() uint32 { return j.jitter >> 4 }
