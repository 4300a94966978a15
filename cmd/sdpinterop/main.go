// Command sdpinterop is a manual browser check of sdp.Answer and sdp.Offer:
// headless Chromium or Firefox applies the answer to its offer and three
// server-initiated renegotiations, and the tool prints what the browser
// reports. README.md beside it gives the commands and the findings.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

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

func main() {
	cfg := &sdp.Config{ICEUfrag: "srvUfrag", ICEPwd: "srvPasswordSrvPassword1234",
		Fingerprints: []sdp.Fingerprint{{Hash: "sha-256", Value: "E9:05:A9:4E:7B:68:9F:E4:59:9C:33:AC:DE:10:71:A3:B2:14:2F:E0:B2:B1:A2:5E:52:98:0C:11:82:47:72:D5"}},
		Candidates:   []sdp.Candidate{{Foundation: "1", Component: 1, Transport: "udp", Priority: 2130706431, Address: "127.0.0.1", Port: 50000, Type: "host"}},
		DataChannel:  true, StrictBundle: os.Getenv("STRICT") != ""}
	var mu sync.Mutex
	var local, remote *sdp.Session
	done := make(chan string, 1)
	stopMID := ""
	h := http.NewServeMux()
	h.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, page) })
	h.HandleFunc("/log", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Println("browser:", string(b))
	})
	h.HandleFunc("/done", func(w http.ResponseWriter, r *http.Request) { b, _ := io.ReadAll(r.Body); done <- string(b) })
	h.HandleFunc("/answer", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		b, _ := io.ReadAll(r.Body)
		offer, err := sdp.Parse(b)
		if err != nil {
			fmt.Println("parse offer:", err)
			return
		}
		// server sends on the first video section
		for i := range offer.Media {
			if offer.Media[i].MediaLine().Media == "video" {
				mid, _ := offer.Media[i].MID()
				cfg.Tracks = map[string]sdp.LocalTrack{mid: {StreamID: "echo", TrackID: "v0", SSRC: 1234, RTXSSRC: 5678, CNAME: "sfu"}}
				break
			}
		}
		ans, err := sdp.Answer(offer, cfg)
		if err != nil {
			fmt.Println("answer:", err)
			return
		}
		local, remote = ans, offer
		if os.Getenv("SHOW") != "" {
			fmt.Println(ans)
		}
		w.Write(ans.Marshal())
	})
	h.HandleFunc("/offer", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		var ch sdp.OfferChanges
		switch r.URL.Query().Get("step") {
		case "add":
			second := "audio"
			if os.Getenv("VIDEOONLY") != "" {
				second = "video"
			}
			ch.Add = []sdp.NewTrack{{Kind: "video", Track: sdp.LocalTrack{StreamID: "peerB", TrackID: "vB", SSRC: 4444, RTXSSRC: 4445, CNAME: "sfu"}},
				{Kind: second, Track: sdp.LocalTrack{StreamID: "peerB", TrackID: "aB", SSRC: 4446, CNAME: "sfu"}}}
		case "stop":
			ch.Stop = []string{stopMID}
			delete(cfg.Tracks, stopMID)
		case "recycle":
			ch.Add = []sdp.NewTrack{{Kind: "video", Track: sdp.LocalTrack{StreamID: "peerC", TrackID: "vC", SSRC: 7777, CNAME: "sfu"}}}
		}
		off, err := sdp.Offer(local, remote, cfg, ch)
		if err != nil {
			fmt.Println("offer:", err)
			return
		}
		if os.Getenv("SHOW") != "" {
			fmt.Println(off)
		}
		local = off
		w.Write(off.Marshal())
	})
	h.HandleFunc("/browseranswer", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		b, _ := io.ReadAll(r.Body)
		a, err := sdp.Parse(b)
		if err != nil {
			fmt.Println("parse browser answer:", err)
			return
		}
		if err := a.Validate(); err != nil {
			fmt.Println("validate browser answer:", err)
		}
		remote = a
		if r.URL.Query().Get("step") == "add" {
			n := len(a.Media)
			stopMID, _ = a.Media[n-2].MID()
			for _, i := range []int{n - 2, n - 1} {
				mid, _ := local.Media[i].MID()
				for m := range local.Media[i].MSIDs() {
					cfg.Tracks[mid] = sdp.LocalTrack{StreamID: m.Stream, TrackID: m.Track}
				}
			}
		}
		if os.Getenv("SHOW") != "" {
			fmt.Println("BROWSER ANSWER\n", a)
		}
	})
	if os.Getenv("VIDEOONLY") != "" { // audio has no common codec: rejected
		for _, c := range sdp.DefaultCodecs() {
			if c.Kind == "video" {
				cfg.Codecs = append(cfg.Codecs, c)
			}
		}
	}
	host := "127.0.0.1"
	if os.Getenv("FF") != "" {
		host = "10.99.0.1"
		cfg.Candidates[0].Address = host
	}
	ln, _ := net.Listen("tcp", "0.0.0.0:0")
	_ = host
	go http.Serve(ln, h)
	dir, _ := os.MkdirTemp("", "chr")
	var cmd *exec.Cmd
	if os.Getenv("FF") != "" {
		os.WriteFile(dir+"/user.js", []byte(`user_pref("media.navigator.streams.fake", true);
user_pref("media.navigator.permission.disabled", true);
user_pref("media.peerconnection.ice.obfuscate_host_addresses", false);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("app.update.enabled", false);
`), 0o644)
		cmd = exec.Command("firefox-esr", "--headless", "--no-remote", "--profile", dir, fmt.Sprintf("http://127.0.0.1:%d/page?%s", ln.Addr().(*net.TCPAddr).Port, os.Getenv("PAGEQUERY")))
	} else {
		cmd = exec.Command("chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--user-data-dir="+dir, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
			"--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns", fmt.Sprintf("http://127.0.0.1:%d/page?%s", ln.Addr().(*net.TCPAddr).Port, os.Getenv("PAGEQUERY")))
	}
	if err := cmd.Start(); err != nil {
		fmt.Println(err)
		return
	}
	defer func() { cmd.Process.Kill(); cmd.Wait(); os.RemoveAll(dir) }()
	select {
	case res := <-done:
		fmt.Println("RESULT:", strings.TrimSpace(res))
	case <-time.After(60 * time.Second):
		fmt.Println("RESULT: timeout")
	}
}
