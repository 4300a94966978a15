package main

import (
	"crypto/sha256"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/browsertest"
)

// dumpcapRun is dumpcap capturing the SFU's UDP port on an interface, to
// check the Recorder against the kernel's view of the same datagrams.
type dumpcapRun struct {
	cmd  *exec.Cmd
	file string
	out  *browsertest.LockedBuffer
	done chan error
}

// startDumpcap captures UDP port port on iface into a file of dir; it
// returns nil, nil when dumpcap is not installed.
func startDumpcap(iface string, port uint16, dir string) (*dumpcapRun, error) {
	bin, err := exec.LookPath("dumpcap")
	if err != nil {
		return nil, nil
	}
	d := &dumpcapRun{file: filepath.Join(dir, "dumpcap.pcapng"), out: &browsertest.LockedBuffer{}, done: make(chan error, 1)}
	d.cmd = exec.Command(bin, "-q", "-i", iface, "-f", fmt.Sprintf("udp port %d", port), "-w", d.file)
	d.cmd.Stdout, d.cmd.Stderr = d.out, d.out
	if err := d.cmd.Start(); err != nil {
		return nil, fmt.Errorf("dumpcap: %w", err)
	}
	go func() { d.done <- d.cmd.Wait() }()
	// dumpcap says "Capturing on 'lo'" once the filter is installed.
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(d.out.String(), "Capturing on"); {
		select {
		case err := <-d.done:
			return nil, fmt.Errorf("dumpcap exited: %v: %s", err, d.out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			d.stop()
			return nil, fmt.Errorf("dumpcap did not start capturing: %s", d.out.String())
		}
	}
	return d, nil
}

// stop ends the capture (SIGTERM: dumpcap finishes the file) and waits.
func (d *dumpcapRun) stop() ([]byte, error) {
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(10 * time.Second):
		_ = d.cmd.Process.Kill()
		<-d.done
	}
	b, err := os.ReadFile(d.file)
	os.Remove(d.file)
	return b, err
}

// report is what dumpcap printed (its packet and drop counts on exit).
func (d *dumpcapRun) report() string {
	return strings.TrimSpace(d.out.String())
}

type datagramKey struct {
	src, dst netip.AddrPort
	sum      [32]byte
}

// compareCaptures checks that dumpcap's capture, restricted to the
// recorded session's address pairs and to what the wire carried before
// the recording was taken (at snapshot: the SFU may send reports to the
// stopped browser after it), has exactly the recorder's datagrams (same
// 5-tuples and payloads, as many times each). It returns what it
// compared, or an error naming the first differences.
func compareCaptures(recorded, dumped []byte, snapshot time.Time) (string, error) {
	rec, _, err := conformance.ParseCapture(recorded)
	if err != nil {
		return "", fmt.Errorf("recorder capture: %w", err)
	}
	dump, _, err := conformance.ParseCapture(dumped)
	if err != nil {
		return "", fmt.Errorf("dumpcap capture: %w", err)
	}
	pairs := map[[2]netip.AddrPort]bool{}
	count := map[datagramKey]int{}
	for _, d := range rec {
		pairs[[2]netip.AddrPort{d.Src, d.Dst}] = true
		count[datagramKey{d.Src, d.Dst, sha256.Sum256(d.Payload)}]++
	}
	n, late := 0, 0
	var extra []string
	for _, d := range dump {
		if !pairs[[2]netip.AddrPort{d.Src, d.Dst}] {
			continue // another participant's traffic on the same port
		}
		k := datagramKey{d.Src, d.Dst, sha256.Sum256(d.Payload)}
		if d.Time.After(snapshot) && count[k] == 0 {
			late++ // sent after the recording was taken
			continue
		}
		n++
		if count[k] == 0 {
			if len(extra) < 5 {
				extra = append(extra, fmt.Sprintf("frame %d %v->%v %d bytes", d.N, d.Src, d.Dst, len(d.Payload)))
			}
			continue
		}
		count[k]--
	}
	var missing int
	var lost []string
	for _, d := range rec {
		k := datagramKey{d.Src, d.Dst, sha256.Sum256(d.Payload)}
		if count[k] > 0 {
			missing++
			count[k]--
			if len(lost) < 5 {
				lost = append(lost, fmt.Sprintf("frame %d %s %v->%v %d bytes", d.N, d.Time.Format("15:04:05.000"), d.Src, d.Dst, len(d.Payload)))
			}
		}
	}
	if missing > 0 || len(extra) > 0 {
		return "", fmt.Errorf("dumpcap saw %d datagrams of the session, the recorder %d: %d recorded ones not on the wire %v, on the wire but not recorded: %v",
			n, len(rec), missing, lost, extra)
	}
	return fmt.Sprintf("dumpcap saw the same %d datagrams as the recorder (and %d sent after the recording was taken)", n, late), nil
}
