package conformance_test

import (
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
)

// TestCorpus checks every corpus folder against its truth.json: datagram
// and per-class counts (RFC 7983 demux), the DTLS client port, the SRTP
// profile and that keying material of the profile's size was derived.
func TestCorpus(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		t.Parallel()
		c := s.Truth.Counts
		if c.Datagrams == 0 {
			t.Fatal("truth.json has no datagram count")
		}
		if len(s.Datagrams) != c.Datagrams {
			t.Errorf("datagrams: %d, truth %d", len(s.Datagrams), c.Datagrams)
		}
		counts := map[demux.Class]int{}
		for _, d := range s.Datagrams {
			counts[demux.Classify(d.Payload)]++
		}
		for _, x := range []struct {
			class demux.Class
			want  int
		}{{demux.STUN, c.STUN}, {demux.DTLS, c.DTLS}, {demux.RTP, c.SRTP}, {demux.RTCP, c.SRTCP}} {
			if counts[x.class] != x.want {
				t.Errorf("%v datagrams: %d, truth %d", x.class, counts[x.class], x.want)
			}
		}
		if got, want := s.DTLSClient.Port(), s.Truth.DTLSClientPortNumber(); got != want || want == 0 {
			t.Errorf("DTLS client port %d, truth %q", got, s.Truth.DTLSClientPort)
		}
		if got := conformance.SRTPProfileName(s.SRTPProfile); got != s.Truth.SRTPProfile {
			t.Errorf("SRTP profile %s, truth %s", got, s.Truth.SRTPProfile)
		}
		kl, sl, ok := conformance.SRTPKeyLengths(s.SRTPProfile)
		if !ok || len(s.KeyingMaterial) != 2*(kl+sl) || len(s.ClientKey) != kl || len(s.ServerKey) != kl ||
			len(s.ClientSalt) != sl || len(s.ServerSalt) != sl {
			t.Errorf("keying material %d bytes, keys %d/%d, salts %d/%d for %s",
				len(s.KeyingMaterial), len(s.ClientKey), len(s.ServerKey), len(s.ClientSalt), len(s.ServerSalt), s.Truth.SRTPProfile)
		}
		if s.BrowserICE.Ufrag == "" || s.BrowserICE.Pwd == "" || s.ServerICE.Ufrag == "" || s.ServerICE.Pwd == "" {
			t.Errorf("ICE credentials missing: browser %+v server %+v", s.BrowserICE, s.ServerICE)
		}
		if !s.Browser.IsValid() || !s.Server.IsValid() || s.Browser == s.Server {
			t.Errorf("browser %v server %v", s.Browser, s.Server)
		}
		// The capture is of the server's port: every datagram is to or from
		// it, and exactly one of FromBrowser and FromServer holds.
		fromBrowser := 0
		for _, d := range s.Datagrams {
			if s.FromBrowser(d) == s.FromServer(d) {
				t.Errorf("frame %d %v -> %v: FromBrowser %v, FromServer %v (server %v)", d.N, d.Src, d.Dst, s.FromBrowser(d), s.FromServer(d), s.Server)
				break
			}
			if s.FromBrowser(d) {
				fromBrowser++
			}
		}
		if fromBrowser == 0 || fromBrowser == len(s.Datagrams) {
			t.Errorf("%d of %d datagrams from the browser", fromBrowser, len(s.Datagrams))
		}
		// In the seeds the ICE-lite answerer is the DTLS client (a=setup:active).
		if s.DTLSClient != s.Server {
			t.Errorf("DTLS client %v is not the server %v", s.DTLSClient, s.Server)
		}
		if s.Meta == nil {
			t.Error("meta.json not loaded")
		}
	})
}

// TestLoadCached checks that a folder is loaded once: both calls return the
// same session.
func TestLoadCached(t *testing.T) {
	dirs, err := conformance.Sessions()
	if err != nil || len(dirs) == 0 {
		t.Fatalf("sessions: %v %v", dirs, err)
	}
	a, err := conformance.Load(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	b, err := conformance.Load(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("Load returned two different sessions for one folder")
	}
}
