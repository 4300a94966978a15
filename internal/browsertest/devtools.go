package browsertest

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"
)

// DevTools is a headless Chromium driven over the Chrome DevTools Protocol
// through --remote-debugging-pipe: the browser reads commands from its
// file descriptor 3 and writes answers and events to 4, each a JSON
// object ended by a NUL byte. No websocket and no port are involved.
// It is what takes screenshots of a page that must first settle (a
// joined WebRTC room), which --screenshot cannot.
type DevTools struct {
	cmd  *exec.Cmd
	out  *LockedBuffer
	w    *os.File
	mu   sync.Mutex
	next int
	wait map[int]chan cdpAnswer
	err  error // set once the pipe is gone
}

type cdpAnswer struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// LaunchDevTools starts headless Chromium with the fake devices of
// [Launch], a fresh profile and a window of width×height, driven over
// the DevTools pipe, and extra flags. The process group is killed when
// the test ends.
func LaunchDevTools(t testing.TB, width, height int, extra ...string) *DevTools {
	t.Helper()
	bin := Require(t, Chromium)
	profile := t.TempDir()
	args := append(append(append([]string{}, chromiumFlags...), extra...), "--user-data-dir="+profile,
		"--remote-debugging-pipe", fmt.Sprintf("--window-size=%d,%d", width, height),
		"--hide-scrollbars", "--force-device-scale-factor=1", "about:blank")
	// Our ends: we write commands to toChrome, read answers from fromChrome.
	inR, toChrome, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	fromChrome, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.ExtraFiles = []*os.File{inR, outW} // fd 3 and 4 in the browser
	out := &LockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Env = append(os.Environ(), "HOME="+profile)
	if err := cmd.Start(); err != nil {
		t.Fatalf("browsertest: start %s: %v", bin, err)
	}
	inR.Close()
	outW.Close()
	d := &DevTools{cmd: cmd, out: out, w: toChrome, wait: map[int]chan cdpAnswer{}}
	pid := cmd.Process.Pid
	done := make(chan struct{})
	go d.read(fromChrome)
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		toChrome.Close()
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-done
		fromChrome.Close()
	})
	return d
}

// Output is what the browser wrote to stdout and stderr so far.
func (d *DevTools) Output() string { return d.out.String() }

func (d *DevTools) read(f *os.File) {
	r := bufio.NewReaderSize(f, 1<<20)
	for {
		msg, err := r.ReadBytes(0)
		if err != nil {
			d.mu.Lock()
			d.err = fmt.Errorf("devtools pipe: %w", err)
			for id, c := range d.wait {
				close(c)
				delete(d.wait, id)
			}
			d.mu.Unlock()
			return
		}
		var m struct {
			ID int `json:"id"`
			cdpAnswer
		}
		if json.Unmarshal(msg[:len(msg)-1], &m) != nil || m.ID == 0 {
			continue // an event: not used
		}
		d.mu.Lock()
		c := d.wait[m.ID]
		delete(d.wait, m.ID)
		d.mu.Unlock()
		if c != nil {
			c <- m.cdpAnswer
		}
	}
}

// Call sends one command (to the page attached as session, or to the
// browser when session is "") and unmarshals its result into result
// (when not nil).
func (d *DevTools) Call(session, method string, params, result any) error {
	d.mu.Lock()
	if d.err != nil {
		d.mu.Unlock()
		return d.err
	}
	d.next++
	id := d.next
	c := make(chan cdpAnswer, 1)
	d.wait[id] = c
	d.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	b, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	if _, err := d.w.Write(append(b, 0)); err != nil {
		return fmt.Errorf("devtools %s: %w", method, err)
	}
	select {
	case a, ok := <-c:
		if !ok {
			return fmt.Errorf("devtools %s: the browser went away", method)
		}
		if a.Error != nil {
			return fmt.Errorf("devtools %s: %d %s", method, a.Error.Code, a.Error.Message)
		}
		if result != nil {
			return json.Unmarshal(a.Result, result)
		}
		return nil
	case <-time.After(60 * time.Second):
		return fmt.Errorf("devtools %s: no answer within 60 s", method)
	}
}

// Page is one tab of a [DevTools] browser.
type Page struct {
	d       *DevTools
	session string
}

// Open makes a new tab of width×height at url and attaches to it.
func (d *DevTools) Open(url string, width, height int) (*Page, error) {
	var target struct{ TargetID string }
	if err := d.Call("", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return nil, err
	}
	var att struct{ SessionID string }
	if err := d.Call("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att); err != nil {
		return nil, err
	}
	p := &Page{d: d, session: att.SessionID}
	if err := p.SetViewport(width, height, false); err != nil {
		return nil, err
	}
	if err := d.Call(p.session, "Page.navigate", map[string]any{"url": url}, nil); err != nil {
		return nil, err
	}
	return p, nil
}

// SetViewport makes the page's window width×height CSS pixels, as a
// phone's (touch, mobile viewport) when mobile.
func (p *Page) SetViewport(width, height int, mobile bool) error {
	if err := p.d.Call(p.session, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}, nil); err != nil {
		return err
	}
	return p.d.Call(p.session, "Emulation.setTouchEmulationEnabled", map[string]any{"enabled": mobile}, nil)
}

// Eval evaluates a JavaScript expression in the page (awaiting a promise)
// as if from a user's gesture (a click may start sound) and unmarshals
// its value into result (when not nil).
func (p *Page) Eval(expr string, result any) error { return p.eval(expr, true, result) }

// EvalNoGesture is [Page.Eval] without a user gesture: what the page's
// own scripts may do (autoplay policies apply).
func (p *Page) EvalNoGesture(expr string, result any) error { return p.eval(expr, false, result) }

func (p *Page) eval(expr string, gesture bool, result any) error {
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	if err := p.d.Call(p.session, "Runtime.evaluate", map[string]any{
		"expression": expr, "returnByValue": true, "awaitPromise": true, "userGesture": gesture}, &r); err != nil {
		return err
	}
	if e := r.ExceptionDetails; e != nil {
		return fmt.Errorf("evaluate %q: %s %s", expr, e.Text, e.Exception.Description)
	}
	if result != nil && len(r.Result.Value) > 0 {
		return json.Unmarshal(r.Result.Value, result)
	}
	return nil
}

// WaitFor evaluates expr every 200 ms until it is true (or a promise
// of true), or fails after timeout.
func (p *Page) WaitFor(expr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		var ok bool
		if last = p.EvalNoGesture("Promise.resolve(("+expr+")).then(v => !!v)", &ok); last == nil && ok {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	if last != nil {
		return fmt.Errorf("waiting for %s: %w", expr, last)
	}
	return errors.New("waiting for " + expr + ": still false after " + timeout.String())
}

// Screenshot captures the page's viewport as PNG.
func (p *Page) Screenshot() ([]byte, error) {
	var r struct{ Data string }
	if err := p.d.Call(p.session, "Page.captureScreenshot", map[string]any{"format": "png"}, &r); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(r.Data)
}
