package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run parses the command line and dumps the capture; it returns the exit
// status: 0 done, 1 the capture or an input file was bad, 2 usage.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rtcdump", flag.ContinueOnError)
	fs.SetOutput(stderr)
	jsonOut := fs.Bool("json", false, "write one JSON object per frame instead of text")
	sdps := fs.String("sdp", "", "offer.sdp,answer.sdp: ICE passwords, payload types and header extensions")
	keylog := fs.String("keylog", "", "NSS key log (CLIENT_RANDOM lines): decrypt SRTP/SRTCP")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rtcdump [-json] [-sdp offer.sdp,answer.sdp] [-keylog keylog.txt] capture.pcapng")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	opts := options{json: *jsonOut}
	if *sdps != "" {
		offer, answer, ok := strings.Cut(*sdps, ",")
		if !ok {
			fmt.Fprintln(stderr, "rtcdump: -sdp wants offer.sdp,answer.sdp")
			return 2
		}
		opts.offerPath, opts.answerPath = offer, answer
	}
	opts.keylogPath = *keylog
	if err := dumpFile(fs.Arg(0), opts, stdout); err != nil {
		fmt.Fprintf(stderr, "rtcdump: %v\n", err)
		return 1
	}
	return 0
}
