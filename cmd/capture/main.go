// Command capture records one real browser's session with plainrtc's SFU
// as a corpus folder (conformance/testdata/corpus layout):
//
//	go run ./cmd/capture -browser chromium|firefox -scenario NAME -out DIR
//
// It starts the SFU in-process (on 127.0.0.1 for Chromium; for Firefox,
// which gathers no loopback candidates, the whole run re-executes itself
// in a network namespace with the SFU on browsertest.NetnsServerIP),
// serves the room page (internal/roompage), lets a synthetic participant
// (package endpoint) publish Opus and VP8 into the room, drives the
// headless browser through the scenario with the page's test commands,
// and writes the browser's leg as the SFU's Recorder saw it:
// session.pcapng, keylog.txt, every SDP in order (offer.sdp, answer.sdp,
// offer-2.sdp, …), meta.json and, when tshark is installed, truth.json
// (bench/cmd/truth). When dumpcap is installed it also captures the SFU's
// port on the interface and fails unless the kernel saw the same
// datagrams as the Recorder. It fails unless a media scenario has at
// least 100 SRTP packets each way and SRTCP both ways.
//
// Scenarios: av-dc, audio-only, dc-only, renegotiate, ice-restart, loss,
// two-party (scenario.go says what each shows).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/plainrtc/plainrtc/internal/browsertest"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "capture:", err)
		}
		os.Exit(1)
	}
}

type options struct {
	browser, scenario, out string
	truth                  bool
	verbose                bool
}

func parse(args []string, stderr io.Writer) (*options, error) {
	fl := flag.NewFlagSet("capture", flag.ContinueOnError)
	fl.SetOutput(stderr)
	o := &options{}
	fl.StringVar(&o.browser, "browser", "chromium", "chromium or firefox")
	fl.StringVar(&o.scenario, "scenario", "av-dc", "what the session does: "+scenarioNames())
	fl.StringVar(&o.out, "out", "", "folder to write the capture into (created; existing files are replaced)")
	fl.BoolVar(&o.truth, "truth", true, "write truth.json with bench/cmd/truth when tshark is installed")
	fl.BoolVar(&o.verbose, "v", false, "print the SFU's log and the browser's output")
	if err := fl.Parse(args); err != nil {
		return nil, err
	}
	if o.out == "" || fl.NArg() > 0 {
		fl.Usage()
		return nil, fmt.Errorf("want -out DIR and no other arguments")
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := parse(args, os.Stderr)
	if err != nil {
		return err
	}
	k, err := browserKind(o.browser)
	if err != nil {
		return err
	}
	sc, err := lookupScenario(o.scenario)
	if err != nil {
		return err
	}
	if k == browsertest.Firefox && os.Getenv(inNetnsEnv) == "" {
		// The capture itself runs in the namespace; truth.json is written
		// out here (bench's go run needs no namespace).
		inner := append(append([]string{}, args...), "-truth=false")
		if err := runInNetns(inner); err != nil {
			return fmt.Errorf("run in a network namespace: %w", err)
		}
		return writeTruth(o, stdout)
	}
	ip := netip.MustParseAddr("127.0.0.1")
	if k == browsertest.Firefox {
		ip = netip.MustParseAddr(browsertest.NetnsServerIP)
	}
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if err := capture(ctx, o, k, sc, ip, stdout); err != nil {
		return err
	}
	return writeTruth(o, stdout)
}

// capture runs the scenario and writes the folder.
func capture(ctx context.Context, o *options, k browsertest.Kind, sc scenario, ip netip.Addr, stdout io.Writer) (err error) {
	version, tag, err := browserVersion(k)
	if err != nil {
		return err
	}
	r, err := newRig(ctx, k, sc, ip, o.verbose)
	if err != nil {
		return err
	}
	defer func() {
		r.close()
		if err != nil || o.verbose {
			fmt.Fprintf(os.Stderr, "SFU log:\n%s\nbrowser output:\n%s\n", r.logs.String(), r.browserOutput())
		}
	}()
	dump, err := startDumpcap("lo", r.srv.MediaAddr().Port(), r.tmp)
	if err != nil {
		return err
	}
	began := time.Now()
	if err := r.start(); err != nil {
		return err
	}
	if err := sc.run(r); err != nil {
		return err
	}
	stats, err := r.quiesce()
	if err != nil {
		return err
	}
	sfuStats := r.srv.Stats()
	var synthSent int64
	if r.synth != nil {
		synthSent = r.synth.sent.Load()
	}
	r.stop()
	rec := r.recorder()
	if rec == nil {
		return fmt.Errorf("the browser's session was not recorded")
	}
	if st := rec.Stats(); st.Truncated {
		return fmt.Errorf("the recording is truncated: %+v", st)
	}
	snapshotAt := time.Now()
	files := rec.Files()
	dumpNote := "dumpcap not installed: not cross-checked"
	if dump != nil {
		// A datagram is recorded just before its write: let the writes of
		// the last ones recorded reach the wire (later ones are ignored).
		time.Sleep(300 * time.Millisecond)
		wire, err := dump.stop()
		if err != nil {
			return fmt.Errorf("dumpcap: %w", err)
		}
		if dumpNote, err = compareCaptures(files[0].Data, wire, snapshotAt); err != nil {
			return fmt.Errorf("%w (dumpcap: %s)", err, dump.report())
		}
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	var recMeta map[string]any
	for _, f := range files {
		if f.Name == "meta.json" {
			if err := json.Unmarshal(f.Data, &recMeta); err != nil {
				return err
			}
			continue
		}
		if err := os.WriteFile(filepath.Join(o.out, f.Name), f.Data, 0o644); err != nil {
			return err
		}
	}
	counts, s, err := countLeg(o.out)
	if err != nil {
		return fmt.Errorf("the recording does not load as a corpus session: %w", err)
	}
	if err := checkCounts(sc, counts); err != nil {
		return err
	}
	meta := map[string]any{
		"tool":            "cmd/capture",
		"scenario":        sc.name,
		"scenario_doc":    sc.doc,
		"browser_version": version,
		"browser_name":    tag,
		"server":          "plainrtc SFU (sfu package, in-process), ICE-lite, answers the join and offers every later change; the browser answers those",
		"roles": map[string]any{
			"offerer":     s.Roles.Peer(s.Roles.Browser).ICE.Ufrag + " (the browser)",
			"dtls_client": map[bool]string{true: "browser", false: "sfu"}[s.Roles.DTLSClient == s.Roles.Browser],
		},
		"sfu_address":     r.srv.MediaAddr().String(),
		"duration_s":      time.Since(began).Round(100 * time.Millisecond).Seconds(),
		"counts":          counts,
		"recorder":        recMeta["recorder"],
		"dumpcap":         dumpNote,
		"browser_report":  json.RawMessage(stats),
		"sfu_stats":       pick(sfuStats, "drop.test-inbound", "rtp.in", "rtp.out", "nack.in", "nack.out", "pli.in", "pli.out", "srtp.replay", "srtp.auth"),
		"synthetic_peer":  nil,
		"drop_inbound":    sc.drop,
		"dropped_packets": nil,
	}
	if r.synth != nil {
		meta["synthetic_peer"] = map[string]any{
			"what":         "a Go participant (package endpoint) replaying the Opus and VP8 payloads a browser sent in the corpus session " + seedSession + ", with its own SSRCs, sequence numbers and timestamps",
			"rtp_sent":     synthSent,
			"payload_from": seedSession,
		}
	}
	if sc.drop > 0 {
		meta["dropped_packets"] = fmt.Sprintf("%d SRTP packets the SFU read and threw away before decrypting (all participants); they are in session.pcapng, which is recorded at the socket", sfuStats["drop.test-inbound"])
	}
	mb, _ := json.MarshalIndent(meta, "", "  ")
	if err := os.WriteFile(filepath.Join(o.out, "meta.json"), append(mb, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(o.out, "browser-version.txt"), []byte(version+"\n"), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "capture: %s %s -> %s: %d datagrams, SRTP %d from / %d to the browser, SRTCP %d / %d; %s\n",
		tag, sc.name, o.out, counts.Datagrams, counts.SRTPFrom, counts.SRTPTo, counts.SRTCPFrom, counts.SRTCPTo, dumpNote)
	return nil
}

func pick(m map[string]uint64, keys ...string) map[string]uint64 {
	out := map[string]uint64{}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}

// writeTruth runs bench/cmd/truth (tshark's dissection and pion's
// decoders, in the separate bench module) on the folder when tshark is
// installed.
func writeTruth(o *options, stdout io.Writer) error {
	if !o.truth {
		return nil
	}
	if _, err := exec.LookPath("tshark"); err != nil {
		fmt.Fprintln(stdout, "capture: tshark not installed: no truth.json")
		return nil
	}
	bench, err := benchDir()
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(o.out)
	if err != nil {
		return err
	}
	cmd := exec.Command("go", "run", "./cmd/truth", abs)
	cmd.Dir = bench
	cmd.Stdout, cmd.Stderr = stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("bench/cmd/truth: %w", err)
	}
	return nil
}

// benchDir finds the bench module next to this source file, or from the
// working directory.
func benchDir() (string, error) {
	var candidates []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		candidates = append(candidates, filepath.Join(filepath.Dir(file), "..", "..", "bench"))
	}
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			candidates = append(candidates, filepath.Join(dir, "bench"))
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	for _, c := range candidates {
		if _, err := os.Stat(filepath.Join(c, "cmd", "truth")); err == nil {
			return c, nil
		}
	}
	return "", fmt.Errorf("bench/cmd/truth not found (run from the repository)")
}
