package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden.sha256 from the current output")

// goldenFile holds one SHA-256 per (capture, flags, format): the digest of
// rtcdump's standard output, standard error and exit status with the
// capture's folder replaced by its name, so that the file does not depend
// on where the tree is checked out. It was written by the rtcdump of
// package main before its annotator moved into package annotate; the test
// proves the move (and any later change) leaves every byte of the text and
// -json output as it was. Regenerate with -update-golden only for an
// intended change of output, and say so in the commit.
const goldenFile = "testdata/golden.sha256"

// goldenFlagSets are the flag combinations dumped for each capture.
var goldenFlagSets = []struct {
	name      string
	sdp, keys bool
}{
	{"plain", false, false},
	{"sdp", true, false},
	{"keylog", false, true},
	{"sdp+keylog", true, true},
}

// goldenDigest runs rtcdump on the capture in dir and digests its output.
func goldenDigest(t *testing.T, dir, capture, name string, json, sdp, keys bool) string {
	t.Helper()
	var args []string
	if json {
		args = append(args, "-json")
	}
	if sdp {
		arg := filepath.Join(dir, "offer.sdp") + "," + filepath.Join(dir, "answer.sdp")
		for n := 2; ; n++ { // the later exchanges, when the session has them
			o, a := filepath.Join(dir, fmt.Sprintf("offer-%d.sdp", n)), filepath.Join(dir, fmt.Sprintf("answer-%d.sdp", n))
			if _, err := os.Stat(o); err != nil {
				break
			}
			arg += "," + o + "," + a
		}
		args = append(args, "-sdp", arg)
	}
	if keys {
		args = append(args, "-keylog", filepath.Join(dir, "keylog.txt"))
	}
	args = append(args, filepath.Join(dir, capture))
	out, errOut, code := runDump(t, args...)
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d", strings.ReplaceAll(out, dir, "<"+name+">"), strings.ReplaceAll(errOut, dir, "<"+name+">"), code)
	return hex.EncodeToString(h.Sum(nil))
}

// TestGoldenOutput compares rtcdump's text and -json output on every corpus
// session and every derived variant (roles swapped, full ICE, media
// dropped) with the digests in testdata/golden.sha256. A capture the file
// does not list (a corpus folder added since) is logged, not compared.
func TestGoldenOutput(t *testing.T) {
	want := map[string]string{}
	if b, err := os.ReadFile(goldenFile); err == nil {
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), " "); ok {
				want[k] = v
			}
		}
	} else if !*updateGolden {
		t.Fatal(err)
	}
	var mu sync.Mutex
	got := map[string]string{}
	check := func(t *testing.T, dir, capture, name string) {
		for _, fs := range goldenFlagSets {
			for _, json := range []bool{false, true} {
				format := "text"
				if json {
					format = "json"
				}
				key := name + "/" + fs.name + "/" + format
				d := goldenDigest(t, dir, capture, name, json, fs.sdp, fs.keys)
				mu.Lock()
				got[key] = d
				mu.Unlock()
				w, ok := want[key]
				switch {
				case *updateGolden:
				case !ok:
					t.Logf("%s: not in %s (a capture added since it was written): not compared", key, goldenFile)
				case w != d:
					t.Errorf("%s: output digest %s, golden %s: rtcdump's output changed", key, d, w)
				}
			}
		}
	}
	dirs, err := conformance.Sessions()
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) { check(t, dir, "session.pcapng", name) })
	}
	t.Run("derived", func(t *testing.T) {
		conformance.ForEachDerived(t, func(t *testing.T, s *conformance.Session) {
			dir, _ := writeDerived(t, s)
			check(t, dir, "session.pcap", s.Name)
		})
	})
	if *updateGolden {
		keys := make([]string, 0, len(got))
		for k := range got {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			fmt.Fprintf(&b, "%s %s\n", k, got[k])
		}
		if err := os.WriteFile(goldenFile, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d digests to %s", len(keys), goldenFile)
	}
}
