package rtp

// Constants of the RFC 3550 §A.1 sequence number validation.
const (
	MaxDropout    = 3000 // largest forward jump taken as loss
	MaxMisorder   = 100  // largest backward jump taken as reordering
	MinSequential = 2    // in-order packets before a source is valid
	seqMod        = 1 << 16
)

// Source is the per-SSRC receive state of RFC 3550 §A.1 (sequence number
// validation and extended highest sequence number) and §A.3 (expected and
// lost packets), as the SFU keeps it for each incoming stream and uses it
// to fill receiver reports.
type Source struct {
	maxSeq        uint16
	cycles        uint32 // shifted count of sequence number cycles
	baseSeq       uint32
	badSeq        uint32
	probation     int
	received      uint32
	expectedPrior uint32
	receivedPrior uint32
	started       bool
}

// initSeq is init_seq of RFC 3550 §A.1.
func (s *Source) initSeq(seq uint16) {
	s.baseSeq = uint32(seq)
	s.maxSeq = seq
	s.badSeq = seqMod + 1
	s.cycles = 0
	s.received = 0
	s.receivedPrior = 0
	s.expectedPrior = 0
}

// Update is update_seq of RFC 3550 §A.1: it feeds one received sequence
// number and reports whether the packet counts as valid. A new source
// needs MinSequential in-order packets; a jump of more than MaxDropout is
// accepted only when the next packet confirms it (a restarted sender).
func (s *Source) Update(seq uint16) bool {
	if !s.started {
		s.started = true
		s.initSeq(seq)
		s.maxSeq = seq - 1
		s.probation = MinSequential
	}
	udelta := seq - s.maxSeq
	switch {
	case s.probation > 0:
		if seq == s.maxSeq+1 {
			s.probation--
			s.maxSeq = seq
			if s.probation == 0 {
				s.initSeq(seq)
				s.received++
				return true
			}
		} else {
			s.probation = MinSequential - 1
			s.maxSeq = seq
		}
		return false
	case udelta < MaxDropout:
		if seq < s.maxSeq {
			s.cycles += seqMod
		}
		s.maxSeq = seq
	case uint32(udelta) <= seqMod-MaxMisorder:
		if uint32(seq) == s.badSeq {
			s.initSeq(seq)
		} else {
			s.badSeq = (uint32(seq) + 1) & (seqMod - 1)
			return false
		}
	default:
		// duplicate or reordered packet
	}
	s.received++
	return true
}

// Valid reports whether the source has left probation.
func (s *Source) Valid() bool { return s.started && s.probation == 0 }

// ExtendedHighestSequence is cycles + max_seq (RFC 3550 §A.3), the
// "extended highest sequence number received" of a reception report.
func (s *Source) ExtendedHighestSequence() uint32 { return s.cycles + uint32(s.maxSeq) }

// Received returns the count of valid packets received.
func (s *Source) Received() uint32 { return s.received }

// Expected is extended_max − base_seq + 1 (RFC 3550 §A.3).
func (s *Source) Expected() uint32 { return s.ExtendedHighestSequence() - s.baseSeq + 1 }

// Lost is the cumulative number of packets lost, expected − received,
// clamped to the signed 24-bit range of a reception report (RFC 3550 §A.3,
// §6.4.1).
func (s *Source) Lost() int32 {
	lost := int64(s.Expected()) - int64(s.received)
	if lost > 0x7fffff {
		lost = 0x7fffff
	}
	if lost < -0x800000 {
		lost = -0x800000
	}
	return int32(lost)
}

// FractionLost returns the fraction lost since the previous call as an
// 8-bit fixed point number, and starts a new interval (RFC 3550 §A.3).
func (s *Source) FractionLost() uint8 {
	expected := s.Expected()
	expectedInterval := expected - s.expectedPrior
	s.expectedPrior = expected
	receivedInterval := s.received - s.receivedPrior
	s.receivedPrior = s.received
	lostInterval := int64(expectedInterval) - int64(receivedInterval)
	if expectedInterval == 0 || lostInterval <= 0 {
		return 0
	}
	return uint8((lostInterval << 8) / int64(expectedInterval))
}
