package main

import (
	"fmt"
	"os"

	"github.com/plainrtc/plainrtc/sdp"
)

// sdpInfo is what rtcdump takes from the offer and answer: both agents' ICE
// credentials (RFC 8839 §5.4), payload type names (RFC 8866 §6.6) and
// header extension IDs (RFC 8285 §8).
type sdpInfo struct {
	pwdByUfrag map[string]string
	codecs     map[uint8]string // PT → "opus/48000/2"
	extURIs    map[uint8]string // extension ID → URI
}

func loadSDPs(offerPath, answerPath string) (*sdpInfo, error) {
	info := &sdpInfo{pwdByUfrag: map[string]string{}, codecs: map[uint8]string{}, extURIs: map[uint8]string{}}
	// The answer's IDs and payload types win: they are what was negotiated.
	for _, p := range []string{answerPath, offerPath} {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		s, err := sdp.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
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
			return nil, fmt.Errorf("%s: no a=ice-ufrag/a=ice-pwd (RFC 8839 §5.4)", p)
		}
	}
	return info, nil
}
