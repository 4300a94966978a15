package ice

import (
	"hash/crc32"
	"net/netip"
	"strconv"
)

// CandidateType is the candidate type of RFC 8445 §5.1.1. An ICE-lite
// agent gathers host candidates only (RFC 8445 §2.5).
type CandidateType uint8

// Candidate types, RFC 8445 §5.1.1; names as in a=candidate (RFC 8839 §5.1).
const (
	CandidateHost CandidateType = iota
	CandidateServerReflexive
	CandidatePeerReflexive
	CandidateRelayed
)

// String returns the a=candidate cand-type token (RFC 8839 §5.1).
func (t CandidateType) String() string {
	switch t {
	case CandidateHost:
		return "host"
	case CandidateServerReflexive:
		return "srflx"
	case CandidatePeerReflexive:
		return "prflx"
	case CandidateRelayed:
		return "relay"
	}
	return "type" + strconv.Itoa(int(t))
}

// typePreference is the recommended type preference of RFC 8445 §5.1.2.2.
func (t CandidateType) typePreference() uint32 {
	switch t {
	case CandidateHost:
		return 126
	case CandidatePeerReflexive:
		return 110
	case CandidateServerReflexive:
		return 100
	}
	return 0
}

// Candidate is one local candidate, the values an a=candidate line carries
// (RFC 8839 §5.1). The sdp package formats it.
type Candidate struct {
	Foundation string // 1-32 ice-chars, RFC 8445 §5.1.1.3
	Component  uint16 // 1 = RTP (the only one with rtcp-mux and BUNDLE)
	Transport  string // "udp"
	Priority   uint32 // RFC 8445 §5.1.2.1
	Address    netip.AddrPort
	Type       CandidateType
}

// Priority computes the candidate priority of RFC 8445 §5.1.2.1:
//
//	priority = 2^24*(type preference) + 2^8*(local preference) + (256 - component ID)
func Priority(t CandidateType, localPreference uint16, component uint16) uint32 {
	return t.typePreference()<<24 | uint32(localPreference)<<8 | (256-uint32(component))&0xff
}

// Foundation derives a foundation from what RFC 8445 §5.1.1.3 says makes
// candidates similar: type, base IP address and transport (no STUN or
// TURN server for host candidates). Equal inputs give equal foundations.
func Foundation(t CandidateType, base netip.Addr, transport string) string {
	h := crc32.NewIEEE()
	h.Write([]byte(t.String()))
	h.Write(base.Unmap().AsSlice())
	h.Write([]byte(transport))
	return strconv.FormatUint(uint64(h.Sum32()), 10)
}

// newHostCandidate builds the host candidate for addr. The n-th local
// address gets local preference 65535-n, so that candidates of a
// multihomed host stay distinct (RFC 8445 §5.1.2.1).
func newHostCandidate(addr netip.AddrPort, component uint16, n int) Candidate {
	lp := 65535 - n
	if lp < 0 {
		lp = 0
	}
	return Candidate{
		Foundation: Foundation(CandidateHost, addr.Addr(), "udp"),
		Component:  component,
		Transport:  "udp",
		Priority:   Priority(CandidateHost, uint16(lp), component),
		Address:    netip.AddrPortFrom(addr.Addr().Unmap(), addr.Port()),
		Type:       CandidateHost,
	}
}
