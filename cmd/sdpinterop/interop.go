package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/plainrtc/plainrtc/sdp"
)

const page = `<html><body><script>
async function post(p, b) { const r = await fetch(p, {method:'POST', body:b}); return r.text(); }
(async () => {
 try {
  const pc = new RTCPeerConnection();
  const s = await navigator.mediaDevices.getUserMedia({audio:true, video:true});
  if (location.search.includes('sim')) {
    pc.addTransceiver(s.getAudioTracks()[0], {streams: [s]});
    pc.addTransceiver(s.getVideoTracks()[0], {streams: [s], sendEncodings: [
      {rid: 'q', scaleResolutionDownBy: 4}, {rid: 'h', scaleResolutionDownBy: 2}, {rid: 'f'}]});
  } else {
    s.getTracks().forEach(t => pc.addTrack(t, s));
  }
  pc.createDataChannel('dc');
  const o = await pc.createOffer(); await pc.setLocalDescription(o);
  const a = await post('/answer', pc.localDescription.sdp);
  await pc.setRemoteDescription({type:'answer', sdp:a});
  await post('/log', 'answer accepted: ' + pc.signalingState + ' transceivers=' + pc.getTransceivers().length +
    ' video encodings=' + pc.getTransceivers().filter(t => t.receiver.track.kind == 'video')[0].sender.getParameters().encodings.map(e => e.rid || '-').join(','));
  for (const step of ['add', 'stop', 'recycle']) {
    const off = await post('/offer?step=' + step, '');
    await pc.setRemoteDescription({type:'offer', sdp:off});
    const ans = await pc.createAnswer();
    try { await pc.setLocalDescription(ans); } catch (e) { await post('/log', 'createAnswer gave:\n' + ans.sdp); throw e; }
    await post('/browseranswer?step=' + step, pc.localDescription.sdp);
    await post('/log', step + ' offer accepted: ' + pc.signalingState + ' transceivers=' + pc.getTransceivers().map(t => t.mid + ':' + t.currentDirection).join(','));
  }
  await post('/done', 'ok');
 } catch (e) { await post('/done', 'ERROR ' + e); }
})();
</script></body></html>`

// options select what the server answers and offers.
type options struct {
	strict    bool   // sdp.Config.StrictBundle
	videoOnly bool   // no audio codec: audio rejected, its slot recycled
	host      string // candidate address in the answer
	show      bool   // print every description
}

// interop is the server side of the check: it answers the browser's offer
// with sdp.Answer, then offers three renegotiations with sdp.Offer (add a
// video and a second track, stop the first added, add a track that
// recycles the stopped slot) and reads the browser's answers.
type interop struct {
	mu      sync.Mutex
	opts    options
	cfg     *sdp.Config
	local   *sdp.Session
	remote  *sdp.Session
	stopMID string
	logf    func(format string, args ...any)
	done    chan string // the page's final word: "ok" or "ERROR ..."
	// Problems found on this side (a browser answer that does not parse
	// or validate, an offer or answer we could not make).
	errs []string
}

func newInterop(opts options, logf func(string, ...any)) *interop {
	cfg := &sdp.Config{ICEUfrag: "srvUfrag", ICEPwd: "srvPasswordSrvPassword1234",
		Fingerprints: []sdp.Fingerprint{{Hash: "sha-256", Value: "E9:05:A9:4E:7B:68:9F:E4:59:9C:33:AC:DE:10:71:A3:B2:14:2F:E0:B2:B1:A2:5E:52:98:0C:11:82:47:72:D5"}},
		Candidates:   []sdp.Candidate{{Foundation: "1", Component: 1, Transport: "udp", Priority: 2130706431, Address: opts.host, Port: 50000, Type: "host"}},
		DataChannel:  true, StrictBundle: opts.strict}
	if opts.videoOnly {
		for _, c := range sdp.DefaultCodecs() {
			if c.Kind == "video" {
				cfg.Codecs = append(cfg.Codecs, c)
			}
		}
	}
	return &interop{opts: opts, cfg: cfg, logf: logf, done: make(chan string, 1)}
}

func (s *interop) fail(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.errs = append(s.errs, msg)
	s.logf("%s", msg)
}

// Errors returns what went wrong on the server side.
func (s *interop) Errors() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.errs...)
}

func (s *interop) handler() http.Handler {
	h := http.NewServeMux()
	h.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, page) })
	h.HandleFunc("/log", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.logf("browser: %s", b)
	})
	h.HandleFunc("/done", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		select {
		case s.done <- strings.TrimSpace(string(b)):
		default:
		}
	})
	h.HandleFunc("/answer", s.answer)
	h.HandleFunc("/offer", s.offer)
	h.HandleFunc("/browseranswer", s.browserAnswer)
	return h
}

func (s *interop) answer(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, _ := io.ReadAll(r.Body)
	offer, err := sdp.Parse(b)
	if err != nil {
		s.fail("parse offer: %v", err)
		return
	}
	// The server sends on the first video section.
	for i := range offer.Media {
		if offer.Media[i].MediaLine().Media == "video" {
			mid, _ := offer.Media[i].MID()
			s.cfg.Tracks = map[string]sdp.LocalTrack{mid: {StreamID: "echo", TrackID: "v0", SSRC: 1234, RTXSSRC: 5678, CNAME: "sfu"}}
			break
		}
	}
	ans, err := sdp.Answer(offer, s.cfg)
	if err != nil {
		s.fail("answer: %v", err)
		return
	}
	s.local, s.remote = ans, offer
	if s.opts.show {
		s.logf("%s", ans)
	}
	w.Write(ans.Marshal())
}

func (s *interop) offer(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ch sdp.OfferChanges
	switch r.URL.Query().Get("step") {
	case "add":
		second := "audio"
		if s.opts.videoOnly {
			second = "video"
		}
		ch.Add = []sdp.NewTrack{{Kind: "video", Track: sdp.LocalTrack{StreamID: "peerB", TrackID: "vB", SSRC: 4444, RTXSSRC: 4445, CNAME: "sfu"}},
			{Kind: second, Track: sdp.LocalTrack{StreamID: "peerB", TrackID: "aB", SSRC: 4446, CNAME: "sfu"}}}
	case "stop":
		ch.Stop = []string{s.stopMID}
		delete(s.cfg.Tracks, s.stopMID)
	case "recycle":
		ch.Add = []sdp.NewTrack{{Kind: "video", Track: sdp.LocalTrack{StreamID: "peerC", TrackID: "vC", SSRC: 7777, CNAME: "sfu"}}}
	}
	if s.local == nil {
		s.fail("offer before an answer")
		return
	}
	off, err := sdp.Offer(s.local, s.remote, s.cfg, ch)
	if err != nil {
		s.fail("offer: %v", err)
		return
	}
	if s.opts.show {
		s.logf("%s", off)
	}
	s.local = off
	w.Write(off.Marshal())
}

func (s *interop) browserAnswer(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, _ := io.ReadAll(r.Body)
	a, err := sdp.Parse(b)
	if err != nil {
		s.fail("parse browser answer: %v", err)
		return
	}
	if err := a.Validate(); err != nil {
		s.fail("validate browser answer: %v", err)
	}
	s.remote = a
	if r.URL.Query().Get("step") == "add" {
		n := len(a.Media)
		if n < 2 || s.local == nil || len(s.local.Media) != n {
			s.fail("browser answer to the add offer has %d m= sections", n)
			return
		}
		s.stopMID, _ = a.Media[n-2].MID()
		for _, i := range []int{n - 2, n - 1} {
			mid, _ := s.local.Media[i].MID()
			for m := range s.local.Media[i].MSIDs() {
				s.cfg.Tracks[mid] = sdp.LocalTrack{StreamID: m.Stream, TrackID: m.Track}
			}
		}
	}
	if s.opts.show {
		s.logf("BROWSER ANSWER\n%s", a)
	}
}
