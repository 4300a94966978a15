package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/plainrtc/plainrtc/internal/browsertest"
	"github.com/plainrtc/plainrtc/internal/roompage"
	"github.com/plainrtc/plainrtc/sfu"
)

// recordedName is the display name of the browser whose leg is recorded;
// peerName the second browser's in two-party; syntheticName the Go
// participant's.
const (
	recordedName  = "Browser"
	peerName      = "Peer"
	syntheticName = "Synthetic"
	roomName      = "capture"
)

// rig is one scenario's run: the SFU, the room page's HTTP server, the
// browsers, the synthetic participant and what the pages report.
type rig struct {
	ctx  context.Context
	kind browsertest.Kind
	sc   scenario
	ip   netip.Addr // the SFU's (and the synthetic participant's) address
	srv  *sfu.Server
	hs   *http.Server
	base string
	col  *browsertest.Collector
	cmds *browsertest.Commands
	logs *browsertest.LockedBuffer

	recMu sync.Mutex
	rec   *sfu.Recorder

	synth    *synthetic
	browsers []*browser
	tmp      string
	verbose  bool
}

func newRig(ctx context.Context, k browsertest.Kind, sc scenario, ip netip.Addr, verbose bool) (*rig, error) {
	r := &rig{ctx: ctx, kind: k, sc: sc, ip: ip, col: browsertest.NewCollector(), cmds: browsertest.NewCommands(), logs: &browsertest.LockedBuffer{}, verbose: verbose}
	var err error
	if r.tmp, err = os.MkdirTemp("", "plainrtc-capture-"); err != nil {
		return nil, err
	}
	r.srv, err = sfu.New(sfu.Config{
		UDP:         netip.AddrPortFrom(ip, 0),
		Logger:      slog.New(slog.NewTextHandler(r.logs, nil)),
		DropInbound: sc.drop,
		Record: func(si sfu.SessionInfo) *sfu.Recorder {
			if si.Kind != sfu.KindParticipant || si.Name != recordedName {
				return nil
			}
			r.recMu.Lock()
			defer r.recMu.Unlock()
			if r.rec != nil {
				return nil // a rejoin would be a second session: keep the first
			}
			r.rec = sfu.NewRecorder(24 << 20)
			return r.rec
		},
	})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		r.srv.Close()
		return nil, err
	}
	r.hs = &http.Server{Handler: roompage.Handler(r.srv, r.cmds.Handler(r.col)), ReadHeaderTimeout: 10 * time.Second}
	go r.hs.Serve(ln)
	r.base = "http://" + ln.Addr().String()
	return r, nil
}

// start joins the synthetic participant, then opens the browsers and
// waits until the recorded one is connected and, with a synthetic
// participant, has answered the room's offer of its tracks.
func (r *rig) start() error {
	if r.sc.synthetic {
		src, err := loadMediaSource()
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(r.ctx, 15*time.Second)
		defer cancel()
		if r.synth, err = joinSynthetic(ctx, r.base, roomName, syntheticName, r.ip, slog.New(slog.NewTextHandler(r.logs, nil))); err != nil {
			return err
		}
		r.synth.publish(src)
	}
	names := []string{recordedName}
	if r.sc.peer {
		names = append(names, peerName)
	}
	for i, name := range names {
		query := r.sc.query
		if i > 0 {
			query = ""
		}
		b, err := launchBrowser(r.kind, filepath.Join(r.tmp, "profile-"+name), r.base, roomName, name, query)
		if err != nil {
			return err
		}
		r.browsers = append(r.browsers, b)
	}
	for _, name := range names {
		if _, err := r.wait(name, "state", 0, 30*time.Second, func(p pageReport) bool { return p.State == "connected" }); err != nil {
			return err
		}
	}
	if r.sc.synthetic || r.sc.peer {
		// The room's offer of the other participant's tracks, answered.
		if _, err := r.wait(recordedName, "offer", 0, 20*time.Second, nil); err != nil {
			return err
		}
	}
	return nil
}

// pageReport is the part of room.js's reports the tool reads.
type pageReport struct {
	Kind, Name, State string
	Cmd               map[string]any
	Inbound           []map[string]any
	Outbound          []map[string]any
}

// mark is the number of reports so far: wait(…, since=mark) looks only
// at later ones.
func (r *rig) mark() int { return len(r.col.All()) }

// wait returns the first report of kind from page name after the since-th
// report that ok accepts; an "error" report from any page fails it.
func (r *rig) wait(name, kind string, since int, timeout time.Duration, ok func(pageReport) bool) (pageReport, error) {
	var got pageReport
	i := 0
	rep, found := r.col.Wait(timeout, func(rep browsertest.Report) bool {
		i++
		if i <= since {
			return false
		}
		if rep.Kind == "error" || rep.Kind == "bad-offer" {
			return true
		}
		var p pageReport
		if rep.Kind != kind || rep.Decode(&p) != nil || p.Name != name {
			return false
		}
		if ok == nil || ok(p) {
			got = p
			return true
		}
		return false
	})
	if !found {
		return got, fmt.Errorf("no %q report from %s within %v", kind, name, timeout)
	}
	if rep.Kind == "error" || rep.Kind == "bad-offer" {
		return got, fmt.Errorf("a page reported an error: %s", rep.Raw)
	}
	return got, nil
}

func (r *rig) push(name string, cmd map[string]any) {
	_ = r.cmds.Push(name, cmd)
}

func (r *rig) sleep(d time.Duration) error {
	select {
	case <-time.After(d):
	case <-r.ctx.Done():
		return r.ctx.Err()
	}
	if r.synth != nil {
		return r.synth.Err()
	}
	return nil
}

// mediaAndChat lets media flow for d, with a chat message from the
// recorded page every second (data channel traffic both ways: the room
// relays it back).
func (r *rig) mediaAndChat(d time.Duration) error {
	for i := 0; time.Duration(i)*time.Second < d; i++ {
		if i < 5 {
			r.push(recordedName, map[string]any{"do": "chat", "text": fmt.Sprintf("capture %d", i+1)})
		}
		if err := r.sleep(time.Second); err != nil {
			return err
		}
	}
	return nil
}

// commandThenOffer runs a page command that makes the room offer again
// and waits until the page answered that offer.
func (r *rig) commandThenOffer(cmd map[string]any) error {
	mark := r.mark()
	r.push(recordedName, cmd)
	if _, err := r.wait(recordedName, "done", mark, 15*time.Second, nil); err != nil {
		return err
	}
	_, err := r.wait(recordedName, "offer", mark, 15*time.Second, nil)
	return err
}

// quiesce stops the media sent to the recorded browser (the synthetic
// participant's, the peer browser's) and returns the recorded page's
// getStats summary from after that, so its inbound counts cover every
// packet of the recording.
func (r *rig) quiesce() (json.RawMessage, error) {
	if r.synth != nil {
		r.synth.stopMedia()
	}
	if len(r.browsers) > 1 {
		for _, b := range r.browsers[1:] {
			b.kill()
		}
		r.browsers = r.browsers[:1]
	}
	time.Sleep(1200 * time.Millisecond) // the last packets arrive and are counted
	mark := r.mark()
	if _, err := r.wait(recordedName, "stats", mark, 5*time.Second, nil); err != nil {
		return nil, err
	}
	rep, _ := r.col.Last(func(rep browsertest.Report) bool {
		var p pageReport
		return rep.Kind == "stats" && rep.Decode(&p) == nil && p.Name == recordedName
	})
	return rep.Raw, nil
}

// stop ends the session's traffic before the recording is taken: the
// browsers are killed and (once the SFU has read what they sent last) the
// synthetic participant leaves. The SFU stays open until the recording
// and the dumpcap capture are taken: a datagram its sender workers record
// while the socket closes under them never reaches the wire.
func (r *rig) stop() {
	for _, b := range r.browsers {
		b.kill()
	}
	r.browsers = nil
	time.Sleep(300 * time.Millisecond)
	if r.synth != nil {
		r.synth.Close()
	}
	time.Sleep(200 * time.Millisecond)
}

func (r *rig) close() {
	r.stop()
	r.srv.Close()
	r.hs.Close()
	os.RemoveAll(r.tmp)
}

func (r *rig) recorder() *sfu.Recorder {
	r.recMu.Lock()
	defer r.recMu.Unlock()
	return r.rec
}

// browserOutput is what the browsers printed (for failure messages).
func (r *rig) browserOutput() string {
	var s string
	for _, b := range r.browsers {
		s += b.out.String()
	}
	return s
}
