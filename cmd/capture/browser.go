package main

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"

	"github.com/plainrtc/plainrtc/internal/browsertest"
)

// browserKind maps the -browser flag to the binary package browsertest
// starts.
func browserKind(name string) (browsertest.Kind, error) {
	switch name {
	case "chromium":
		return browsertest.Chromium, nil
	case "firefox":
		return browsertest.Firefox, nil
	}
	return "", fmt.Errorf("-browser %q: want chromium or firefox", name)
}

// browserVersion is the browser's own version line and the folder-name
// tag made of it: "chromium-156", "firefox-153esr".
func browserVersion(k browsertest.Kind) (line, tag string, err error) {
	bin, err := exec.LookPath(string(k))
	if err != nil {
		return "", "", err
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		return "", "", fmt.Errorf("%s --version: %w", bin, err)
	}
	line = strings.TrimSpace(string(out))
	m := regexp.MustCompile(`(\d+)\.[\d.]*(esr)?`).FindStringSubmatch(line)
	if m == nil {
		return line, "", fmt.Errorf("%s --version: no version in %q", bin, line)
	}
	name := "chromium"
	if k == browsertest.Firefox {
		name = "firefox"
	}
	return line, name + "-" + m[1] + m[2], nil
}

// browser is one headless browser showing the room page.
type browser struct {
	cmd  *exec.Cmd
	out  *browsertest.LockedBuffer
	done chan struct{}
}

// launchBrowser opens base/r/room as name with the page's test mode on
// (report=1) and extra query parameters.
func launchBrowser(k browsertest.Kind, profile, base, room, name, extra string) (*browser, error) {
	bin, err := exec.LookPath(string(k))
	if err != nil {
		return nil, err
	}
	u := fmt.Sprintf("%s/r/%s?name=%s&autojoin=1&report=1%s", base, url.PathEscape(room), url.QueryEscape(name), extra)
	cmd, err := browsertest.Command(k, bin, profile, u)
	if err != nil {
		return nil, err
	}
	b := &browser{cmd: cmd, out: &browsertest.LockedBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = b.out, b.out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = cmd.Wait(); close(b.done) }()
	return b, nil
}

// kill ends the browser's process group (it was started in its own) by
// its id, and reaps it.
func (b *browser) kill() {
	_ = syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
	<-b.done
}

// inNetnsEnv marks the run of cmd/capture re-executed inside a network
// namespace for Firefox (browsertest.NetnsCommand).
const inNetnsEnv = "PLAINRTC_CAPTURE_NETNS"

// runInNetns re-executes this program with the same arguments inside a new
// network namespace and relays its output and exit status.
func runInNetns(args []string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := browsertest.NetnsCommand(self, args...)
	cmd.Env = append(os.Environ(), inNetnsEnv+"=1")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}
