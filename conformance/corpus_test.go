package conformance_test

import (
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
)

// checkSession holds a session to what it has: roles consistent with the
// RFCs (Roles.Check), each datagram attributed to exactly one side, both
// sides' credentials, keys of the profile's size, and, when the folder has a
// truth.json, datagram and per-class counts (RFC 7983 demux), the DTLS
// client port and the SRTP profile equal to it.
func checkSession(t *testing.T, s *conformance.Session) {
	r := &s.Roles
	t.Logf("roles: %s", r)
	for _, err := range r.Check() {
		t.Error(err)
	}
	if !r.DTLSClientKnown || !r.SetupClientKnown {
		t.Errorf("DTLS client known %v (ClientHello), from a=setup %v", r.DTLSClientKnown, r.SetupClientKnown)
	}
	if s.BrowserICE.Ufrag == "" || s.BrowserICE.Pwd == "" || s.ServerICE.Ufrag == "" || s.ServerICE.Pwd == "" {
		t.Errorf("ICE credentials missing: browser %+v server %+v", s.BrowserICE, s.ServerICE)
	}
	if !s.Browser.IsValid() || !s.Server.IsValid() || s.Browser == s.Server {
		t.Errorf("browser %v server %v", s.Browser, s.Server)
	}
	kl, sl, ok := conformance.SRTPKeyLengths(s.SRTPProfile)
	if !ok || len(s.KeyingMaterial) != 2*(kl+sl) || len(s.ClientKey) != kl || len(s.ServerKey) != kl ||
		len(s.ClientSalt) != sl || len(s.ServerSalt) != sl {
		t.Errorf("keying material %d bytes, keys %d/%d, salts %d/%d for %s",
			len(s.KeyingMaterial), len(s.ClientKey), len(s.ServerKey), len(s.ClientSalt), len(s.ServerSalt), conformance.SRTPProfileName(s.SRTPProfile))
	}
	// Every datagram is to or from one of the two sides, and exactly one of
	// FromBrowser and FromServer holds.
	counts := map[demux.Class]int{}
	fromBrowser := 0
	for _, d := range s.Datagrams {
		counts[demux.Classify(d.Payload)]++
		if s.FromBrowser(d) == s.FromServer(d) {
			t.Errorf("frame %d %v -> %v: FromBrowser %v, FromServer %v", d.N, d.Src, d.Dst, s.FromBrowser(d), s.FromServer(d))
			break
		}
		if s.FromBrowser(d) {
			fromBrowser++
		}
	}
	if fromBrowser == 0 || fromBrowser == len(s.Datagrams) {
		t.Errorf("%d of %d datagrams from the browser", fromBrowser, len(s.Datagrams))
	}
	// What each side's SDP says it sends, the capture must not contradict:
	// no SRTP from a side whose directions send no audio or video.
	for i := range r.Peers {
		p := &r.Peers[i]
		if media := p.SendsKind("audio") || p.SendsKind("video"); !media && p.Sent[demux.RTP] > 0 {
			t.Errorf("%s sends %v per its SDP but sent %d SRTP packets", p.Side, p.Sends, p.Sent[demux.RTP])
		}
	}
	if !s.HasTruth {
		t.Logf("no truth.json (%s): counts not compared", derivedOr(s))
		return
	}
	c := s.Truth.Counts
	if c.Datagrams == 0 {
		t.Fatal("truth.json has no datagram count")
	}
	if len(s.Datagrams) != c.Datagrams {
		t.Errorf("datagrams: %d, truth %d", len(s.Datagrams), c.Datagrams)
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
}

func derivedOr(s *conformance.Session) string {
	if s.Derived != "" {
		return "derived " + s.Derived
	}
	return "folder " + s.Name
}

func TestCorpus(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		t.Parallel()
		checkSession(t, s)
	})
}

func TestCorpusDerived(t *testing.T) { conformance.ForEachDerived(t, checkSession) }

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
