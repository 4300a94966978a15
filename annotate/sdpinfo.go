package annotate

import (
	"fmt"

	"github.com/plainrtc/plainrtc/sdp"
)

// SDPInfo is what the annotator takes from a session's offer and answer:
// both agents' ICE credentials (RFC 8839 §5.4), payload type names (RFC
// 8866 §6.6) and header extension IDs (RFC 8285 §8).
type SDPInfo struct {
	pwdByUfrag map[string]string
	codecs     map[uint8]string // PT → "opus/48000/2"
	extURIs    map[uint8]string // extension ID → URI
}

// NewSDPInfo returns an empty SDPInfo; Add the answer first, then the offer.
func NewSDPInfo() *SDPInfo {
	return &SDPInfo{pwdByUfrag: map[string]string{}, codecs: map[uint8]string{}, extURIs: map[uint8]string{}}
}

// ParseSDPs reads an offer and its answer. The answer's payload types and
// extension IDs win: they are what was negotiated.
func ParseSDPs(offer, answer []byte) (*SDPInfo, error) {
	info := NewSDPInfo()
	if err := info.Add("answer", answer); err != nil {
		return nil, err
	}
	if err := info.Add("offer", offer); err != nil {
		return nil, err
	}
	return info, nil
}

// Add reads one SDP, named name in errors: its ICE credentials, and the
// payload types and extension IDs not already known from an earlier Add.
// An SDP that does not parse is an error, and so is the lack of any
// a=ice-ufrag/a=ice-pwd so far (RFC 8839 §5.4).
func (info *SDPInfo) Add(name string, b []byte) error {
	s, err := sdp.Parse(b)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if u, pw, ok := s.ICECredentials(); ok {
		info.pwdByUfrag[u] = pw
	}
	for i := range s.Media {
		m := &s.Media[i]
		if u, pw, ok := m.ICECredentials(); ok {
			info.pwdByUfrag[u] = pw
		}
		for rm := range m.RTPMaps() {
			if _, ok := info.codecs[rm.PayloadType]; !ok {
				name := fmt.Sprintf("%s/%d", rm.Encoding, rm.ClockRate)
				if rm.Params != "" {
					name += "/" + rm.Params
				}
				info.codecs[rm.PayloadType] = name
			}
		}
		for e := range s.ExtMaps(m) {
			if _, ok := info.extURIs[uint8(e.ID)]; !ok && e.ID > 0 && e.ID < 256 {
				info.extURIs[uint8(e.ID)] = e.URI
			}
		}
	}
	if len(info.pwdByUfrag) == 0 {
		return fmt.Errorf("%s: no a=ice-ufrag/a=ice-pwd (RFC 8839 §5.4)", name)
	}
	return nil
}

// Codec is the a=rtpmap name of a payload type ("VP8/90000"), or "".
func (info *SDPInfo) Codec(pt uint8) string {
	if info == nil {
		return ""
	}
	return info.codecs[pt]
}
