package browsertest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// NetnsEnv marks the inner run of a test re-executed by [InNetns].
const NetnsEnv = "PLAINRTC_BROWSERTEST_NETNS"

// Addresses inside the namespace made by [InNetns] (BROWSERS.md): the server
// side listens on NetnsServerIP; the veth peer is the default gateway, which
// Firefox needs before it gathers any host candidate.
const (
	NetnsServerIP = "10.99.0.1"
	NetnsPeerIP   = "10.99.0.2"
)

const netnsSetup = `set -e
ip link set lo up
ip link add rtc0 type veth peer name rtc1
ip addr add ` + NetnsServerIP + `/24 dev rtc0
ip addr add ` + NetnsPeerIP + `/24 dev rtc1
ip link set rtc0 up
ip link set rtc1 up
ip route add default via ` + NetnsPeerIP + ` dev rtc0
exec "$@"`

// InNetns runs the calling test inside a fresh network namespace with the
// veth set-up from BROWSERS.md. In the outer run it re-executes the test
// binary (only this test) under `unshare -n`, relays its output, fails the
// test if the inner run failed, and returns false: the caller returns at once.
// In the inner run it returns true and the caller does the real work; the
// namespace has NetnsServerIP and NetnsPeerIP and no route out.
//
// When unshare or ip is missing or not permitted the test is skipped (or
// fails with PLAINRTC_REQUIRE_BROWSER=1).
func InNetns(t *testing.T) bool {
	t.Helper()
	if os.Getenv(NetnsEnv) == t.Name() {
		return true
	}
	for _, tool := range []string{"unshare", "ip"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing(t, "%s not found (%v); the Firefox tests need a network namespace", tool, err)
		}
	}
	if probe := exec.Command("unshare", "-n", "true"); probe.Run() != nil {
		missing(t, "unshare -n is not permitted here (needs root or user namespaces)")
	}
	// The inner run gets a timeout of its own, below the outer test's
	// deadline, so a hung browser fails it with a goroutine dump instead
	// of the outer binary panicking and leaving the namespace's processes
	// behind; the outer kills it (by its pid, via the context) as a last
	// resort.
	inner := 5 * time.Minute
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		if left := time.Until(d) - 30*time.Second; left < inner {
			inner = max(left, 30*time.Second)
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-10*time.Second))
		defer cancel()
	}
	args := []string{"-n", "sh", "-c", netnsSetup, "sh", os.Args[0],
		"-test.run", runPattern(t.Name()), "-test.v", "-test.count=1", "-test.timeout=" + inner.String()}
	cmd := exec.CommandContext(ctx, "unshare", args...)
	cmd.Env = append(os.Environ(), NetnsEnv+"="+t.Name())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	t.Logf("inner run in network namespace:\n%s", indent(out.String()))
	switch {
	case err != nil:
		t.Fatalf("inner run in network namespace failed: %v", err)
	case strings.Contains(out.String(), "--- SKIP: "+t.Name()):
		t.Skip("inner run skipped (see its output above)")
	case !strings.Contains(out.String(), "--- PASS: "+t.Name()):
		t.Fatalf("inner run did not report PASS for %s", t.Name())
	}
	return false
}

// runPattern anchors each element of a (sub)test name for -test.run.
func runPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}
