package srtp

// Error is a static description of why a packet was refused. Errors are
// preallocated so that refusing a packet allocates nothing.
type Error struct{ msg string }

func (e *Error) Error() string { return e.msg }

func newError(msg string) *Error { return &Error{msg: "srtp: " + msg} }

// Errors returned by the packet functions. Compare with errors.Is or ==.
var (
	ErrAuthFailed     = newError("authentication tag mismatch (RFC 3711 §3.3 step 5, RFC 7714 §7.2)")
	ErrReplayed       = newError("packet index already received (replay, RFC 3711 §3.3.2)")
	ErrTooOld         = newError("packet index older than the replay window (RFC 3711 §3.3.2)")
	ErrShortRTP       = newError("RTP packet shorter than its header and tag (RFC 3550 §5.1, RFC 3711 §3.1)")
	ErrRTPVersion     = newError("RTP version is not 2 (RFC 3550 §5.1)")
	ErrRTPHeader      = newError("RTP header: CSRC list or header extension runs past the packet (RFC 3550 §5.1, §5.3.1)")
	ErrShortRTCP      = newError("RTCP packet shorter than 8-byte header, SRTCP index and tag (RFC 3711 §3.4)")
	ErrBufferTooSmall = newError("destination buffer has no room for the tag (RFC 3711 §3.1)")
	ErrIndexExhaust   = newError("SRTCP index exhausted 2^31 packets; rekey (RFC 3711 §9.2)")
	ErrProfile        = newError("unknown protection profile")
	ErrReplayWindow   = newError("replay window larger than 2^15 packets, beyond the index estimate's reach (RFC 3711 §3.3.1, §3.3.2)")
	ErrKDR            = newError("key derivation rate must be 0 or a power of two up to 2^24 (RFC 3711 §4.3.1, §8.2)")
	ErrKeyLen         = newError("master key or salt length does not match the profile (RFC 3711 §8.2, RFC 6188 §6, RFC 7714 §12)")
)
