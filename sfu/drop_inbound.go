package sfu

// inboundDropper throws away a fraction of the SRTP media packets a
// session receives, before they are decrypted, as if the network had lost
// them (Config.DropInbound): the room's upstream NACKs (room_nack.go) and
// keyframe requests then show up on the wire, which cmd/capture's "loss"
// scenario records. The packets were read from the socket, so a recording
// (Config.Record) still has them. RTCP is never dropped.
//
// The choice is deterministic: a 64-bit xorshift generator (Marsaglia,
// "Xorshift RNGs", 2003) with a fixed seed per session, so one packet
// sequence always loses the same packets.
type inboundDropper struct {
	threshold uint64 // drop when the next value is below it; 0 drops nothing
	state     uint64
}

// dropInboundSeed seeds every session's generator.
const dropInboundSeed = 0x9e3779b97f4a7c15

func newInboundDropper(fraction float64) inboundDropper {
	if !(fraction > 0) {
		return inboundDropper{}
	}
	if fraction >= 1 {
		return inboundDropper{threshold: ^uint64(0), state: dropInboundSeed}
	}
	return inboundDropper{threshold: uint64(fraction * (1 << 63) * 2), state: dropInboundSeed}
}

// drop reports whether to throw the next packet away.
func (d *inboundDropper) drop() bool {
	if d.threshold == 0 {
		return false
	}
	x := d.state
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	d.state = x
	return x < d.threshold
}
