package sfu

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// chromeOffer is a trimmed Chromium WHIP offer: audio, video, data channel.
const chromeOffer = "v=0\r\n" +
	"o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n" +
	"s=-\r\n" +
	"t=0 0\r\n" +
	"a=group:BUNDLE 0 1 2\r\n" +
	"a=extmap-allow-mixed\r\n" +
	"a=msid-semantic: WMS s1\r\n" +
	"m=audio 9 UDP/TLS/RTP/SAVPF 111 63 0\r\n" +
	"c=IN IP4 0.0.0.0\r\n" +
	"a=rtcp:9 IN IP4 0.0.0.0\r\n" +
	"a=ice-ufrag:abcd\r\n" +
	"a=ice-pwd:0123456789abcdefghijklmn\r\n" +
	"a=ice-options:trickle\r\n" +
	"a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CC:87:32:BE:DD:8C:66:A5:8E:50:55:EA:8C:D3:B6:5C:09:5E:D6:BC\r\n" +
	"a=setup:actpass\r\n" +
	"a=mid:0\r\n" +
	"a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n" +
	"a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n" +
	"a=sendonly\r\n" +
	"a=msid:s1 a1\r\n" +
	"a=rtcp-mux\r\n" +
	"a=rtcp-rsize\r\n" +
	"a=rtpmap:111 opus/48000/2\r\n" +
	"a=rtcp-fb:111 transport-cc\r\n" +
	"a=fmtp:111 minptime=10;useinbandfec=1\r\n" +
	"a=rtpmap:63 red/48000/2\r\n" +
	"a=fmtp:63 111/111\r\n" +
	"a=rtpmap:0 PCMU/8000\r\n" +
	"a=ssrc:1001 cname:c1\r\n" +
	"a=ssrc:1001 msid:s1 a1\r\n" +
	"m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103\r\n" +
	"c=IN IP4 0.0.0.0\r\n" +
	"a=rtcp:9 IN IP4 0.0.0.0\r\n" +
	"a=ice-ufrag:abcd\r\n" +
	"a=ice-pwd:0123456789abcdefghijklmn\r\n" +
	"a=ice-options:trickle\r\n" +
	"a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CC:87:32:BE:DD:8C:66:A5:8E:50:55:EA:8C:D3:B6:5C:09:5E:D6:BC\r\n" +
	"a=setup:actpass\r\n" +
	"a=mid:1\r\n" +
	"a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n" +
	"a=extmap:13 urn:3gpp:video-orientation\r\n" +
	"a=sendonly\r\n" +
	"a=msid:s1 v1\r\n" +
	"a=rtcp-mux\r\n" +
	"a=rtcp-rsize\r\n" +
	"a=rtpmap:96 VP8/90000\r\n" +
	"a=rtcp-fb:96 goog-remb\r\n" +
	"a=rtcp-fb:96 transport-cc\r\n" +
	"a=rtcp-fb:96 ccm fir\r\n" +
	"a=rtcp-fb:96 nack\r\n" +
	"a=rtcp-fb:96 nack pli\r\n" +
	"a=rtpmap:97 rtx/90000\r\n" +
	"a=fmtp:97 apt=96\r\n" +
	"a=rtpmap:102 H264/90000\r\n" +
	"a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f\r\n" +
	"a=rtpmap:103 rtx/90000\r\n" +
	"a=fmtp:103 apt=102\r\n" +
	"a=ssrc-group:FID 2001 2002\r\n" +
	"a=ssrc:2001 cname:c1\r\n" +
	"a=ssrc:2002 cname:c1\r\n" +
	"m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n" +
	"c=IN IP4 0.0.0.0\r\n" +
	"a=ice-ufrag:abcd\r\n" +
	"a=ice-pwd:0123456789abcdefghijklmn\r\n" +
	"a=ice-options:trickle\r\n" +
	"a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CC:87:32:BE:DD:8C:66:A5:8E:50:55:EA:8C:D3:B6:5C:09:5E:D6:BC\r\n" +
	"a=setup:actpass\r\n" +
	"a=mid:2\r\n" +
	"a=sctp-port:5000\r\n" +
	"a=max-message-size:262144\r\n"

type fakeHost struct {
	opened []string
	closed []string
}

func (f *fakeHost) openSession(kind, room string, o *offer, _ string) (string, []byte, error) {
	f.opened = append(f.opened, kind+"/"+room)
	if len(o.Media) == 0 {
		return "", nil, badf("no media")
	}
	return "s1", []byte("v=0\r\n"), nil
}

func (f *fakeHost) closeSession(kind, room, id, reason string) bool {
	f.closed = append(f.closed, kind+"/"+room+"/"+id)
	return id == "s1"
}

func do(t *testing.T, h http.Handler, method, path, ctype, body string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestSignalingWHIP(t *testing.T) {
	host := &fakeHost{}
	sg := &signaling{host: host, log: slog.New(slog.DiscardHandler),
		iceServers: []ICEServer{{URL: "stun:stun.example.net"}}}

	resp := do(t, sg, "POST", "/whip/room1", "application/sdp", chromeOffer)
	if resp.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("POST status %d: %s", resp.StatusCode, b)
	}
	for k, want := range map[string]string{
		"Content-Type":                "application/sdp",
		"Location":                    "/whip/room1/s1",
		"ETag":                        `"s1"`,
		"Link":                        `<stun:stun.example.net>; rel="ice-server"`,
		"Access-Control-Allow-Origin": "*",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	// A page on another origin reads these only when exposed (Fetch
	// standard, CORS-safelisted response headers do not include them).
	for _, h := range []string{"Location", "ETag", "Link"} {
		if !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), h) {
			t.Errorf("%s not exposed to scripts: %q", h, resp.Header.Get("Access-Control-Expose-Headers"))
		}
	}
	if got := do(t, sg, "DELETE", "/whip/room1/s1", "", "").StatusCode; got != http.StatusOK {
		t.Errorf("DELETE status %d, want 200", got)
	}
	if got := do(t, sg, "DELETE", "/whip/room1/nope", "", "").StatusCode; got != http.StatusNotFound {
		t.Errorf("DELETE unknown status %d, want 404", got)
	}
	// RFC 9725 §4.3.1: without trickle ICE and ICE restarts PATCH is 405,
	// and a 405 names the allowed methods (RFC 9110 §15.5.6).
	if r := do(t, sg, "PATCH", "/whip/room1/s1", "application/trickle-ice-sdpfrag", "a=x"); r.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(r.Header.Get("Allow"), "DELETE") {
		t.Errorf("PATCH status %d Allow %q, want 405 allowing DELETE", r.StatusCode, r.Header.Get("Allow"))
	}
	opt := do(t, sg, "OPTIONS", "/whep/room1", "", "")
	if opt.StatusCode != http.StatusOK || !strings.Contains(opt.Header.Get("Access-Control-Allow-Methods"), "POST") || opt.Header.Get("Link") == "" ||
		opt.Header.Get("Accept-Post") != "application/sdp" {
		t.Errorf("OPTIONS: %d %v", opt.StatusCode, opt.Header)
	}
	if len(host.opened) != 1 || host.opened[0] != "whip/room1" {
		t.Errorf("opened %v", host.opened)
	}
}

func TestSignalingBadInput(t *testing.T) {
	sg := &signaling{host: &fakeHost{}, log: slog.New(slog.DiscardHandler)}
	cases := []struct {
		name, method, path, ctype, body string
		code                            int
		reason                          string
	}{
		{"wrong content type", "POST", "/whip/r", "application/json", "{}", 415, "application/sdp"},
		{"no content type", "POST", "/whep/r", "", chromeOffer, 415, "application/sdp"},
		{"not SDP", "POST", "/whip/r", "application/sdp", "hello world", 400, "RFC 8866"},
		{"empty", "POST", "/whip/r", "application/sdp", "", 400, "empty"},
		{"no ICE credentials", "POST", "/whip/r", "application/sdp", strings.ReplaceAll(strings.ReplaceAll(chromeOffer, "a=ice-ufrag:abcd\r\n", ""), "a=ice-pwd:0123456789abcdefghijklmn\r\n", ""), 400, "ice-ufrag"},
		{"no fingerprint", "POST", "/whip/r", "application/sdp", strings.ReplaceAll(chromeOffer, "a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CC:87:32:BE:DD:8C:66:A5:8E:50:55:EA:8C:D3:B6:5C:09:5E:D6:BC\r\n", ""), 400, "fingerprint"},
		{"plain RTP", "POST", "/whip/r", "application/sdp", strings.ReplaceAll(chromeOffer, "UDP/TLS/RTP/SAVPF", "RTP/AVP"), 400, "DTLS"},
		{"unknown path", "POST", "/other/r", "application/sdp", chromeOffer, 404, ""},
		{"bad room", "POST", "/whip/a%20b", "application/sdp", chromeOffer, 404, ""},
		{"dot-dot room", "POST", "/whip/..", "application/sdp", chromeOffer, 404, ""},
		{"escaped dot-dot room", "POST", "/whip/%2e%2e", "application/sdp", chromeOffer, 404, ""},
		{"dot room", "POST", "/whep/.", "application/sdp", chromeOffer, 404, ""},
		{"long room", "POST", "/whip/" + strings.Repeat("a", 65), "application/sdp", chromeOffer, 404, ""},
		{"huge offer", "POST", "/whip/r", "application/sdp", chromeOffer + strings.Repeat("a=x-pad:0123456789\r\n", maxOfferSize/20+1), 413, "larger"},
		{"GET endpoint", "GET", "/whip/r", "", "", 405, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := do(t, sg, c.method, c.path, c.ctype, c.body)
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.code || !strings.Contains(string(b), c.reason) {
				t.Fatalf("status %d body %q, want %d containing %q", resp.StatusCode, b, c.code, c.reason)
			}
		})
	}
}

func TestParseOfferChrome(t *testing.T) {
	o, err := parseOffer([]byte(chromeOffer))
	if err != nil {
		t.Fatal(err)
	}
	if o.Ufrag != "abcd" || len(o.Media) != 3 || o.Setup != "actpass" {
		t.Fatalf("offer %+v", o)
	}
	v := o.Media[1]
	if v.Mid != "1" || v.Direction != "sendonly" || len(v.Codecs) != 4 || v.Codecs[0].Name != "VP8" || len(v.Codecs[0].FB) != 5 {
		t.Fatalf("video %+v", v)
	}
	if len(v.SSRCs) != 2 || v.SSRCs[0] != 2001 || len(v.FIDs) != 1 {
		t.Fatalf("video ssrcs %v fids %v", v.SSRCs, v.FIDs)
	}
	c, ok := chooseReceiveCodec(v)
	if !ok || c.PT != 96 {
		t.Fatalf("chosen video codec %+v", c)
	}
	a, ok := chooseReceiveCodec(o.Media[0])
	if !ok || a.PT != 111 {
		t.Fatalf("chosen audio codec %+v", a)
	}
	if o.Media[2].SCTPPort != 5000 {
		t.Fatalf("sctp port %d", o.Media[2].SCTPPort)
	}
}

// endless is a request body that never ends and counts what was read.
type endless struct{ n int }

func (e *endless) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = 'a'
	}
	e.n += len(b)
	return len(b), nil
}

// An endless offer is refused with 413 after reading at most the limit,
// so a client cannot make the server buffer an arbitrary body.
func TestSignalingBodyLimit(t *testing.T) {
	sg := &signaling{host: &fakeHost{}, log: slog.New(slog.DiscardHandler)}
	body := &endless{}
	req := httptest.NewRequest("POST", "/whip/r", body)
	req.Header.Set("Content-Type", "application/sdp")
	rec := httptest.NewRecorder()
	sg.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", rec.Code)
	}
	if body.n > 2*maxOfferSize {
		t.Fatalf("read %d bytes of an endless body, limit %d", body.n, maxOfferSize)
	}
}
