package sfu

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/sdp"
)

func newTestServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() { hs.Close(); s.Close() })
	return s, hs
}

// A WHIP session on the real server: 201 with an answer that parses and
// names the media socket as its candidate, counted as a session until
// DELETE ends it; a second DELETE is 404.
func TestServerWHIPLifecycle(t *testing.T) {
	s, hs := newTestServer(t)
	resp, err := http.Post(hs.URL+"/whip/room", "application/sdp", strings.NewReader(chromeOffer))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST: %d %s", resp.StatusCode, body)
	}
	if _, err := sdp.Parse(body); err != nil {
		t.Fatalf("answer: %v\n%s", err, body)
	}
	if want := "a=candidate:1 1 udp 2130706431 " + s.MediaAddr().Addr().String(); !strings.Contains(string(body), want) {
		t.Fatalf("answer lacks %q:\n%s", want, body)
	}
	if got := s.Stats()["sessions"]; got != 1 {
		t.Fatalf("sessions = %d, want 1", got)
	}
	loc := resp.Header.Get("Location")
	del := func() int {
		req, _ := http.NewRequest(http.MethodDelete, hs.URL+loc, nil)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	if code := del(); code != http.StatusOK {
		t.Fatalf("DELETE %s: %d", loc, code)
	}
	if got := s.Stats()["sessions"]; got != 0 {
		t.Fatalf("sessions after DELETE = %d, want 0", got)
	}
	if code := del(); code != http.StatusNotFound {
		t.Fatalf("second DELETE: %d, want 404", code)
	}
}

// Offers the server cannot answer are 400 with the reason, and leave no
// session behind.
func TestServerRejectsUnanswerableOffers(t *testing.T) {
	s, hs := newTestServer(t)
	cases := map[string]struct{ path, offer, reason string }{
		"garbage":            {"/whip/r", "this is not SDP", "RFC 8866"},
		"WHIP without media": {"/whip/r", strings.Split(chromeOffer, "m=audio")[0] + "m=application" + strings.Split(chromeOffer, "m=application")[1], "no audio or video"},
		"no common codec":    {"/whip/r", strings.NewReplacer("opus/", "x-opus/", "VP8/", "x-vp8/", "H264/", "x-h264/").Replace(chromeOffer), "no audio or video"},
		"bad fingerprint":    {"/whep/r", strings.ReplaceAll(chromeOffer, "sha-256 6B:8B", "sha-256 ZZ:8B"), "fingerprint"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			resp, err := http.Post(hs.URL+c.path, "application/sdp", strings.NewReader(c.offer))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), c.reason) {
				t.Fatalf("%d %q, want 400 mentioning %q", resp.StatusCode, body, c.reason)
			}
		})
	}
	if got := s.Stats()["sessions"]; got != 0 {
		t.Fatalf("sessions = %d after rejected offers", got)
	}
}

// An audio section with no codec the SFU receives (only PCMU left) is never
// accepted: either sdp.Answer moves the BUNDLE tag and the section is
// rejected with port 0, or the offer is refused naming BUNDLE (RFC 9143
// §7.3.3: the offerer-tagged section cannot be rejected alone).
func TestServerRefusesAudioWithoutCodec(t *testing.T) {
	_, hs := newTestServer(t)
	offer := strings.NewReplacer("opus/", "x-opus/").Replace(chromeOffer)
	resp, err := http.Post(hs.URL+"/whip/r", "application/sdp", strings.NewReader(offer))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusCreated:
		if !strings.Contains(string(body), "m=audio 0 ") {
			t.Fatalf("answer accepts audio without a codec:\n%s", body)
		}
	case http.StatusBadRequest:
		if !strings.Contains(string(body), "BUNDLE") {
			t.Fatalf("400 without the reason: %s", body)
		}
	default:
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
}

// Offers beyond Config.MaxSessions are refused with 503 and Retry-After;
// ending a session makes room again.
func TestServerMaxSessions(t *testing.T) {
	s, err := New(Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.DiscardHandler), MaxSessions: 2})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() { hs.Close(); s.Close() })
	post := func() *http.Response {
		resp, err := http.Post(hs.URL+"/whep/r", "application/sdp", strings.NewReader(subscriberOffer()))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	first := post()
	if first.StatusCode != http.StatusCreated || post().StatusCode != http.StatusCreated {
		t.Fatal("first two offers not accepted")
	}
	if r := post(); r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
		t.Fatalf("third offer: %d Retry-After %q, want 503 with Retry-After", r.StatusCode, r.Header.Get("Retry-After"))
	}
	req, _ := http.NewRequest(http.MethodDelete, hs.URL+first.Header.Get("Location"), nil)
	if r, err := http.DefaultClient.Do(req); err != nil || r.StatusCode != http.StatusOK {
		t.Fatalf("DELETE: %v %v", r, err)
	}
	if r := post(); r.StatusCode != http.StatusCreated {
		t.Fatalf("offer after a DELETE: %d", r.StatusCode)
	}
}

// End reasons carry details; their classes are a small fixed set, fit for
// metric labels.
func TestEndReasonClass(t *testing.T) {
	for reason, want := range map[string]string{
		"DELETE by client":                                            "deleted",
		"ICE consent expired (RFC 7675 §5.1)":                         "consent_expired",
		"ICE not connected within 30s":                                "ice_timeout",
		"DTLS not established within 30s":                             "dtls_failed",
		"DTLS handshake failed: EOF":                                  "dtls_failed",
		"DTLS certificate does not match a=fingerprint (RFC 8122 §5)": "dtls_fingerprint",
		"DTLS closed by peer (EOF)":                                   "dtls_closed",
		"SCTP association ended (EOF)":                                "sctp_closed",
		"server closed":                                               "server_closed",
		"answer: no codec":                                            "other",
	} {
		if got := endReasonClass(reason); got != want {
			t.Errorf("endReasonClass(%q) = %q, want %q", reason, got, want)
		}
	}
}
