package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/plainrtc/plainrtc/conformance/lint"
	"github.com/plainrtc/plainrtc/endpoint/record"
)

// Exit statuses.
const (
	exitClean      = 0 // nothing violated (warnings allowed)
	exitViolated   = 1 // at least one rule violated
	exitUnreadable = 2 // the input could not be read
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rtclint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the results as a JSON array")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rtclint [-json] DIR")
		fmt.Fprintln(stderr, "       rtclint [-json] -whip URL [-out DIR] [-for DURATION]")
		fs.PrintDefaults()
	}
	whipURL := fs.String("whip", "", "join this WHIP endpoint, record the session and lint it")
	out := fs.String("out", "", "with -whip: write the recorded session here (default: a new temporary folder)")
	dur := fs.Duration("for", 3*time.Second, "with -whip: how long to publish")
	if err := fs.Parse(args); err != nil {
		return exitUnreadable
	}
	dir := ""
	switch {
	case *whipURL != "" && fs.NArg() == 0:
		d, err := record.WHIP(*whipURL, *out, *dur, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "rtclint: %v\n", err)
			return exitUnreadable
		}
		fmt.Fprintf(stderr, "rtclint: recorded the session into %s\n", d)
		dir = d
	case *whipURL == "" && fs.NArg() == 1:
		dir = fs.Arg(0)
	default:
		fs.Usage()
		return exitUnreadable
	}
	results, s, err := lint.LintDir(dir)
	if err != nil {
		fmt.Fprintf(stderr, "rtclint: %v\n", err)
		return exitUnreadable
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			fmt.Fprintf(stderr, "rtclint: %v\n", err)
			return exitUnreadable
		}
	} else {
		fmt.Fprintf(stdout, "%s: %d datagrams; %s\n", dir, len(s.Datagrams), oneLine(s.Roles.String()))
		for _, r := range results {
			fmt.Fprintln(stdout, r)
		}
	}
	if lint.Worst(results) == lint.Violated {
		return exitViolated
	}
	return exitClean
}

func oneLine(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '\n' {
			b[i] = ' '
		}
	}
	return string(b)
}
