package main

import (
	"fmt"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/srtp"
)

// legCounts are the SRTP and SRTCP packets of the recorded leg that
// authenticate, per direction, and the datagrams by RFC 7983 class.
type legCounts struct {
	Datagrams   int `json:"datagrams"`
	STUN        int `json:"stun"`
	DTLS        int `json:"dtls"`
	SRTPFrom    int `json:"srtp_from_browser"`
	SRTPTo      int `json:"srtp_to_browser"`
	SRTCPFrom   int `json:"srtcp_from_browser"`
	SRTCPTo     int `json:"srtcp_to_browser"`
	NotVerified int `json:"srtp_not_verified"` // failed authentication or replayed
}

// countLeg loads the written folder as the suites will and counts what
// each side sent, authenticating every SRTP and SRTCP packet with the
// keys of its sender (one context per direction, as a receiver has).
func countLeg(dir string) (legCounts, *conformance.Session, error) {
	var c legCounts
	s, err := conformance.Load(dir)
	if err != nil {
		return c, nil, err
	}
	var rx [2]*srtp.Context
	for _, d := range s.Datagrams {
		c.Datagrams++
		class := demux.Classify(d.Payload)
		switch class {
		case demux.STUN:
			c.STUN++
			continue
		case demux.DTLS:
			c.DTLS++
			continue
		case demux.RTP, demux.RTCP:
		default:
			continue
		}
		i := 0
		if s.FromBrowser(d) {
			i = 1
		}
		if rx[i] == nil {
			key, salt := s.SRTPKeys(d)
			if rx[i], err = srtp.NewContext(srtp.Profile(s.SRTPProfile), key, salt); err != nil {
				return c, s, err
			}
		}
		b := append([]byte(nil), d.Payload...)
		if class == demux.RTP {
			_, err = rx[i].DecryptRTP(b)
		} else {
			_, err = rx[i].DecryptRTCP(b)
		}
		if err != nil {
			c.NotVerified++
			continue
		}
		switch {
		case class == demux.RTP && i == 1:
			c.SRTPFrom++
		case class == demux.RTP:
			c.SRTPTo++
		case i == 1:
			c.SRTCPFrom++
		default:
			c.SRTCPTo++
		}
	}
	return c, s, nil
}

// minPackets is the SRTP each way a media scenario must have.
const minPackets = 100

// checkCounts says what a scenario's recording lacks.
func checkCounts(sc scenario, c legCounts) error {
	if !sc.media {
		if c.SRTPFrom+c.SRTPTo+c.SRTCPFrom+c.SRTCPTo > 0 {
			return fmt.Errorf("%s: SRTP/SRTCP in a session without media: %+v", sc.name, c)
		}
		return nil
	}
	if c.SRTPFrom < minPackets || c.SRTPTo < minPackets || c.SRTCPFrom == 0 || c.SRTCPTo == 0 {
		return fmt.Errorf("%s: want at least %d SRTP packets and some SRTCP each way, got %+v", sc.name, minPackets, c)
	}
	return nil
}
