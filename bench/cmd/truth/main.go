// Command truth regenerates a corpus folder's truth.json from tools
// independent of plainrtc (tshark's dissection, pion's decoders; see
// package bench/truth):
//
//	cd bench && go run ./cmd/truth ../conformance/testdata/corpus/*/
//
// writes <folder>/truth.json for each folder given; -check compares
// instead and exits 1 on a difference; -tshark names the binary.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/plainrtc/plainrtc/bench/truth"
)

func main() {
	check := flag.Bool("check", false, "compare with the committed truth.json instead of writing it")
	tshark := flag.String("tshark", "tshark", "tshark binary")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: truth [-check] [-tshark path] corpus-folder...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	status := 0
	for _, dir := range flag.Args() {
		t, err := truth.Compute(dir, *tshark)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", dir, err)
			status = 1
			continue
		}
		b, err := t.Marshal()
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", dir, err)
			status = 1
			continue
		}
		path := filepath.Join(dir, "truth.json")
		if *check {
			old, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(old, b) {
				fmt.Fprintf(os.Stderr, "%s differs from what tshark and pion compute (%v):\n%s", path, err, b)
				status = 1
			}
			continue
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			status = 1
			continue
		}
		fmt.Println("wrote", path)
	}
	os.Exit(status)
}
