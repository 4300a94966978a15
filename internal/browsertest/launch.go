package browsertest

import (
	"bytes"
	"os/exec"
	"sync"
	"syscall"
	"testing"
)

// Process is a running browser started by [Launch].
type Process struct {
	Kind Kind
	cmd  *exec.Cmd
	out  *LockedBuffer
}

// Output returns what the browser has written to stdout and stderr so far
// (useful in failure messages).
func (p *Process) Output() string { return p.out.String() }

// chromiumFlags are the flags from BROWSERS.md: headless, no sandbox (root),
// fake camera and microphone without a permission prompt, 127.0.0.1 host
// candidates instead of mDNS names.
var chromiumFlags = []string{
	"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
	"--no-first-run", "--disable-background-networking",
	"--disable-component-update", "--disable-sync",
	"--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
	"--allow-loopback-in-peer-connection",
	"--disable-features=WebRtcHideLocalIpsWithMdns",
	"--autoplay-policy=no-user-gesture-required",
}

// firefoxPrefs is the profile user.js from BROWSERS.md.
const firefoxPrefs = `user_pref("media.navigator.streams.fake", true);
user_pref("media.navigator.permission.disabled", true);
user_pref("media.peerconnection.ice.obfuscate_host_addresses", false);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("app.update.enabled", false);
user_pref("media.autoplay.default", 0);
user_pref("media.autoplay.blocking_policy", 0);
user_pref("browser.aboutwelcome.enabled", false);
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
`

// Launch starts a headless browser of kind k at url with a fresh profile
// directory. The process (and its process group) is killed by id when the
// test ends. It calls [Require] first, so a missing browser skips or fails.
func Launch(t testing.TB, k Kind, url string) *Process {
	t.Helper()
	return LaunchArgs(t, k, url)
}

// LaunchArgs is [Launch] with more command-line flags for Chromium (e.g.
// --use-file-for-fake-video-capture=FILE.y4m); Firefox takes none.
func LaunchArgs(t testing.TB, k Kind, url string, extra ...string) *Process {
	t.Helper()
	bin := Require(t, k)
	cmd, err := Command(k, bin, t.TempDir(), url, extra...)
	if err != nil {
		t.Fatal(err)
	}
	out := &LockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("browsertest: start %s: %v", bin, err)
	}
	p := &Process{Kind: k, cmd: cmd, out: out}
	pid := cmd.Process.Pid
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		// Kill the group this test created, by its id, then reap.
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-done
	})
	return p
}

// LockedBuffer collects a process's output from several goroutines: safe
// for concurrent use, it keeps the first MiB and drops the rest.
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write implements io.Writer.
func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 { // keep it bounded
		return len(p), nil
	}
	return l.b.Write(p)
}

// String returns what was kept.
func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
