package conformance_test

import (
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/srtp"
)

// TestSRTPKeysDecrypt checks the derived keys and Session.SRTPKeys'
// direction rule: the first SRTP and SRTCP packets each side sends
// authenticate with the keys SRTPKeys gives for them, and not with the
// other side's.
func TestSRTPKeysDecrypt(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		seen := map[[2]bool]bool{} // (from browser, is RTCP)
		for _, d := range s.Datagrams {
			c := demux.Classify(d.Payload)
			if c != demux.RTP && c != demux.RTCP {
				continue
			}
			k := [2]bool{s.FromBrowser(d), c == demux.RTCP}
			if seen[k] {
				continue
			}
			seen[k] = true
			key, salt := s.SRTPKeys(d)
			otherKey, otherSalt := s.ClientKey, s.ClientSalt
			if &key[0] == &s.ClientKey[0] {
				otherKey, otherSalt = s.ServerKey, s.ServerSalt
			}
			for _, x := range []struct {
				key, salt []byte
				wantOK    bool
			}{{key, salt, true}, {otherKey, otherSalt, false}} {
				ctx, err := srtp.NewContext(srtp.Profile(s.SRTPProfile), x.key, x.salt)
				if err != nil {
					t.Fatal(err)
				}
				buf := append([]byte(nil), d.Payload...)
				if c == demux.RTP {
					_, err = ctx.DecryptRTP(buf)
				} else {
					_, err = ctx.DecryptRTCP(buf)
				}
				if (err == nil) != x.wantOK {
					t.Errorf("frame %d (%v, from browser %v): decrypt error %v, want ok=%v", d.N, c, k[0], err, x.wantOK)
				}
			}
		}
		if len(seen) == 0 && !s.Roles.HasKind("audio") && !s.Roles.HasKind("video") {
			t.Skip("no media section in the session: no SRTP to decrypt")
		}
		if len(seen) != 4 {
			t.Errorf("saw %d of the 4 (direction, RTP/RTCP) kinds", len(seen))
		}
	})
}
