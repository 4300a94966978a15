package browsertest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// Command returns the command that starts a headless browser of kind k at
// url with the profile directory profile (created and, for Firefox, given
// its user.js), in its own process group so that the caller can kill it
// and its helpers by the group's id; extra are more Chromium flags
// (Firefox takes none). [Launch] uses it in tests; programs (cmd/capture)
// start and kill it themselves.
func Command(k Kind, bin, profile, url string, extra ...string) (*exec.Cmd, error) {
	if err := os.MkdirAll(profile, 0o755); err != nil {
		return nil, err
	}
	var args []string
	switch k {
	case Chromium:
		args = append(append(append([]string{}, chromiumFlags...), extra...), "--user-data-dir="+profile, url)
	case Firefox:
		if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(firefoxPrefs), 0o644); err != nil {
			return nil, fmt.Errorf("browsertest: write user.js: %w", err)
		}
		args = []string{"--headless", "--no-remote", "--profile", profile, url}
		if len(extra) > 0 {
			return nil, fmt.Errorf("browsertest: flags %q are for Chromium", extra)
		}
	default:
		return nil, fmt.Errorf("browsertest: unknown browser %q", k)
	}
	cmd := exec.Command(bin, args...)
	// Own process group, so the helpers the browser forks die with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Env = append(os.Environ(), "HOME="+profile, "MOZ_HEADLESS=1")
	return cmd, nil
}

// NetnsCommand returns the command that runs name with args inside a new
// network namespace set up as [InNetns] does (NetnsServerIP on rtc0, its
// veth peer NetnsPeerIP as the default route, lo up).
func NetnsCommand(name string, args ...string) *exec.Cmd {
	return exec.Command("unshare", append([]string{"-n", "sh", "-c", netnsSetup, "sh", name}, args...)...)
}
