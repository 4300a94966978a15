package bench

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"

	"github.com/plainrtc/plainrtc/conformance/lint"
	"github.com/plainrtc/plainrtc/endpoint/record"
)

// pionWHIP is a minimal WHIP server (RFC 9725) on pion/webrtc: POST
// /whip answers the offer with a PeerConnection that receives every
// track (default codecs and interceptors: NACK, RTCP reports, TWCC),
// DELETE closes it. Candidates are loopback only.
type pionWHIP struct {
	api *webrtc.API
	mu  sync.Mutex
	pcs map[string]*webrtc.PeerConnection
	n   int
}

func newPionWHIP(t *testing.T) *pionWHIP {
	var se webrtc.SettingEngine
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetIncludeLoopbackCandidate(true)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		t.Fatal(err)
	}
	reg := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(m, reg); err != nil {
		t.Fatal(err)
	}
	return &pionWHIP{
		api: webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithSettingEngine(se), webrtc.WithInterceptorRegistry(reg)),
		pcs: map[string]*webrtc.PeerConnection{},
	}
}

func (p *pionWHIP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/whip":
		offer, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		pc, err := p.api.NewPeerConnection(webrtc.Configuration{})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		pc.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
			for {
				if _, _, err := tr.ReadRTP(); err != nil {
					return
				}
			}
		})
		if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: string(offer)}); err != nil {
			pc.Close()
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		answer, err := pc.CreateAnswer(nil)
		if err != nil {
			pc.Close()
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		gathered := webrtc.GatheringCompletePromise(pc)
		if err := pc.SetLocalDescription(answer); err != nil {
			pc.Close()
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		<-gathered
		p.mu.Lock()
		p.n++
		id := fmt.Sprint(p.n)
		p.pcs[id] = pc
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/sdp")
		w.Header().Set("Location", "/whip/session/"+id)
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, pc.LocalDescription().SDP)
	case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/whip/session/"):
		id := strings.TrimPrefix(r.URL.Path, "/whip/session/")
		p.mu.Lock()
		pc := p.pcs[id]
		delete(p.pcs, id)
		p.mu.Unlock()
		if pc == nil {
			http.NotFound(w, r)
			return
		}
		pc.Close()
		w.WriteHeader(http.StatusOK)
	default:
		http.Error(w, "not found", http.StatusNotFound)
	}
}

func (p *pionWHIP) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pc := range p.pcs {
		pc.Close()
	}
}

// rtclint -whip's recorder and rules against a pion/webrtc WHIP server:
// plainrtc's endpoint publishes Opus and VP8 for three seconds; the
// recorded session is linted. What pion does is logged rule by rule
// (conformance/README.md summarises it); the rules every stack must hold
// on this path are asserted.
func TestLintPionWHIP(t *testing.T) {
	srv := newPionWHIP(t)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.close() })
	dir, err := record.WHIP(hs.URL+"/whip", t.TempDir(), 3*time.Second, testLog{t})
	if err != nil {
		t.Fatal(err)
	}
	results, s, err := lint.LintDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d datagrams; %s", len(s.Datagrams), s.Roles.String())
	for _, r := range results {
		t.Logf("%v", r)
	}
	passed := lint.Passing(results)
	for _, rule := range []string{"stun-message-integrity", "stun-fingerprint", "dtls-certificate-fingerprint", "dtls-role-matches-setup", "dtls-srtp-profile-offered", "srtp-authenticates", "jsep-answer-mline-order", "jsep-setup-values"} {
		if !contains(passed, rule) {
			t.Errorf("%s does not pass against pion: %v", rule, lint.ByRule(results, rule))
		}
	}
}

func contains(v []string, s string) bool {
	for _, x := range v {
		if x == s {
			return true
		}
	}
	return false
}

// testLog sends the recorder's warnings to the test log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Logf("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
