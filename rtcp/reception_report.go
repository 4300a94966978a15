package rtcp

import "encoding/binary"

// ReceptionReport is one report block of an SR or RR (RFC 3550 §6.4.1):
//
//	|                 SSRC_1 (SSRC of first source)                 |
//	| fraction lost |       cumulative number of packets lost       |
//	|           extended highest sequence number received           |
//	|                      interarrival jitter                      |
//	|                         last SR (LSR)                         |
//	|                   delay since last SR (DLSR)                  |
type ReceptionReport struct {
	SSRC         uint32
	FractionLost uint8
	// TotalLost is the 24-bit signed cumulative number of packets lost
	// (RFC 3550 §6.4.1: it may go negative with duplicates). Values beyond
	// 24 bits are clamped when marshalled (RFC 3550 Appendix A.3).
	TotalLost          int32
	ExtendedHighestSeq uint32
	Jitter             uint32
	LastSR             uint32 // middle 32 bits of the NTP timestamp of the last SR
	DelaySinceLastSR   uint32 // units of 1/65536 s
}

const receptionReportLength = 24

func (r *ReceptionReport) unmarshal(b []byte) {
	r.SSRC = binary.BigEndian.Uint32(b[0:])
	r.FractionLost = b[4]
	lost := uint32(b[5])<<16 | uint32(b[6])<<8 | uint32(b[7])
	r.TotalLost = int32(lost<<8) >> 8 // sign-extend 24 bits
	r.ExtendedHighestSeq = binary.BigEndian.Uint32(b[8:])
	r.Jitter = binary.BigEndian.Uint32(b[12:])
	r.LastSR = binary.BigEndian.Uint32(b[16:])
	r.DelaySinceLastSR = binary.BigEndian.Uint32(b[20:])
}

func (r *ReceptionReport) marshal(b []byte) {
	binary.BigEndian.PutUint32(b[0:], r.SSRC)
	// RFC 3550 Appendix A.3: "the resulting value is clamped at 0x7fffff
	// for positive loss or 0x800000 for negative loss rather than wrapping
	// around."
	lost := uint32(min(max(r.TotalLost, -0x800000), 0x7fffff)) & 0xffffff
	binary.BigEndian.PutUint32(b[4:], uint32(r.FractionLost)<<24|lost)
	binary.BigEndian.PutUint32(b[8:], r.ExtendedHighestSeq)
	binary.BigEndian.PutUint32(b[12:], r.Jitter)
	binary.BigEndian.PutUint32(b[16:], r.LastSR)
	binary.BigEndian.PutUint32(b[20:], r.DelaySinceLastSR)
}

// unmarshalReports parses count report blocks from b into dst (reusing its
// capacity) and returns dst and the bytes after the blocks.
func unmarshalReports(dst []ReceptionReport, b []byte, count int, what string) ([]ReceptionReport, []byte, error) {
	dst = dst[:0]
	if need := count * receptionReportLength; len(b) < need {
		return dst, nil, errTruncated(what+" report blocks", need, len(b), "RFC 3550 §6.4.1")
	}
	for i := 0; i < count; i++ {
		dst = append(dst, ReceptionReport{})
		dst[i].unmarshal(b[i*receptionReportLength:])
	}
	return dst, b[count*receptionReportLength:], nil
}

// marshalReports writes the report blocks, then the profile-specific
// extensions and the padding, into b: the tail SR and RR share (RFC 3550
// §6.4.1, §6.4.2). The caller has sized b with MarshalSize.
func marshalReports(b []byte, reports []ReceptionReport, ext, padding []byte) {
	i := 0
	for k := range reports {
		reports[k].marshal(b[i:])
		i += receptionReportLength
	}
	i += copy(b[i:], ext)
	copy(b[i:], padding)
}
