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
	sdps := fs.String("sdp", "", "offer.sdp,answer.sdp[,offer-2.sdp,answer-2.sdp,…]: ICE passwords, payload types and header extensions (later pairs: renegotiations and ICE restarts, in order)")
	keylog := fs.String("keylog", "", "NSS key log (CLIENT_RANDOM lines): decrypt SRTP/SRTCP")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rtcdump [-json] [-sdp offer.sdp,answer.sdp[,offer-2.sdp,answer-2.sdp,…]] [-keylog keylog.txt] capture.pcapng")
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
		paths := strings.Split(*sdps, ",")
		if len(paths) < 2 || len(paths)%2 != 0 {
			fmt.Fprintln(stderr, "rtcdump: -sdp wants offer.sdp,answer.sdp[,offer-2.sdp,answer-2.sdp,…]")
			return 2
		}
		opts.offerPath, opts.answerPath = paths[0], paths[1]
		opts.laterPaths = paths[2:]
	}
	opts.keylogPath = *keylog
	if err := dumpFile(fs.Arg(0), opts, stdout); err != nil {
		fmt.Fprintf(stderr, "rtcdump: %v\n", err)
		return 1
	}
	return 0
}
