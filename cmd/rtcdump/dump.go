package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/plainrtc/plainrtc/annotate"
	"github.com/plainrtc/plainrtc/conformance"
)

type options struct {
	json                  bool
	offerPath, answerPath string
	laterPaths            []string // offer-2.sdp, answer-2.sdp, … in pairs
	keylogPath            string
}

// dumper walks the frames of one capture through an annotate.Annotator.
type dumper struct {
	// roles says which side sent each datagram, who is the browser and
	// who the DTLS client (conformance.DeriveRoles: the same logic the
	// corpus tests use); sides are unknown for a capture without ICE checks.
	roles conformance.Roles
	hello *conformance.DTLSHello
	ann   *annotate.Annotator
	sum   annotate.Summary
}

// dumpFile reads a capture and writes one text block or JSON object per
// frame, then a summary. A malformed capture is dumped up to the damage and
// reported as an error.
func dumpFile(path string, opts options, out io.Writer) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	datagrams, stats, capErr := conformance.ParseCapture(b)
	d := &dumper{}
	var cfg annotate.Config
	if opts.offerPath != "" {
		if cfg.SDP, err = loadSDPs(opts.offerPath, opts.answerPath, opts.laterPaths...); err != nil {
			return err
		}
	}
	if h, err := conformance.FindDTLSHello(datagrams); err == nil {
		d.hello = &h
		cfg.Profile = h.SRTPProfile
	}
	var offer, answer []byte
	if opts.offerPath != "" {
		if offer, err = os.ReadFile(opts.offerPath); err != nil {
			return err
		}
		if answer, err = os.ReadFile(opts.answerPath); err != nil {
			return err
		}
	}
	var later []conformance.Exchange
	for i := 0; i+1 < len(opts.laterPaths); i += 2 {
		x := conformance.Exchange{N: i/2 + 2}
		if x.Offer, err = os.ReadFile(opts.laterPaths[i]); err != nil {
			return err
		}
		if x.Answer, err = os.ReadFile(opts.laterPaths[i+1]); err != nil {
			return err
		}
		later = append(later, x)
	}
	if d.roles, err = conformance.DeriveRolesExchanges(datagrams, offer, answer, later, d.hello, nil); err != nil {
		return err
	}
	if opts.keylogPath != "" {
		k, err := keysFromKeyLog(opts.keylogPath, d.hello)
		if err != nil {
			return err
		}
		cfg.Keys = &k
	}
	if d.ann, err = annotate.New(cfg); err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	defer w.Flush()
	var emit func(*annotate.Record) error
	if opts.json {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		emit = func(r *annotate.Record) error { return enc.Encode(r) }
	} else {
		emit = func(r *annotate.Record) error { return annotate.WriteText(w, r) }
		writeHeader(w, path, stats, d)
	}
	skipped := stats.Skipped
	for _, dg := range datagrams {
		for len(skipped) > 0 && skipped[0].N < dg.N {
			if err := emit(skippedRecord(skipped[0])); err != nil {
				return err
			}
			skipped = skipped[1:]
		}
		if err := emit(d.decode(dg)); err != nil {
			return err
		}
	}
	for _, s := range skipped {
		if err := emit(skippedRecord(s)); err != nil {
			return err
		}
	}
	d.sum.Frames, d.sum.Skipped = stats.Frames, len(stats.Skipped)
	d.sum.Finish()
	if opts.json {
		if err := json.NewEncoder(w).Encode(struct {
			Summary *annotate.Summary `json:"summary"`
		}{&d.sum}); err != nil {
			return err
		}
	} else {
		annotate.WriteSummary(w, &d.sum)
	}
	if capErr != nil {
		w.Flush()
		return capErr
	}
	return w.Flush()
}

// loadSDPs reads the offer and answer files into an annotate.SDPInfo, the
// answer first: its payload types and extension IDs are what was negotiated.
// later are the later exchanges' files in pairs (offer-2.sdp,
// answer-2.sdp, …): the latest go first, since a renegotiation may give
// an id the earlier answers left unused a new meaning.
func loadSDPs(offerPath, answerPath string, later ...string) (*annotate.SDPInfo, error) {
	info := annotate.NewSDPInfo()
	var order []string
	for i := len(later) - 2; i >= 0; i -= 2 {
		order = append(order, later[i+1], later[i])
	}
	for _, p := range append(order, answerPath, offerPath) {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if err := info.Add(p, b); err != nil {
			return nil, err
		}
	}
	return info, nil
}

// keysFromKeyLog derives the session's SRTP keys from the capture's DTLS
// randoms and the master secret in an NSS key log (RFC 5705 exporter, RFC
// 5764 §4.2).
func keysFromKeyLog(path string, hello *conformance.DTLSHello) (annotate.Keys, error) {
	if hello == nil {
		return annotate.Keys{}, errors.New("-keylog: the capture has no DTLS ClientHello/ServerHello, so no randoms to derive keys from")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return annotate.Keys{}, err
	}
	kl, err := conformance.ParseKeyLog(b)
	if err != nil {
		return annotate.Keys{}, err
	}
	k, err := conformance.DeriveSRTPKeys(*hello, kl)
	if err != nil {
		return annotate.Keys{}, err
	}
	return annotate.Keys{
		Profile: k.Profile, ClientKey: k.ClientKey, ClientSalt: k.ClientSalt,
		ServerKey: k.ServerKey, ServerSalt: k.ServerSalt,
	}, nil
}

func skippedRecord(s conformance.SkippedFrame) *annotate.Record {
	return &annotate.Record{N: s.N, Class: "skipped", Reason: s.Reason}
}

// direction names who sent a datagram, when the capture shows who is who
// (conformance.Roles: sides by the ICE checks' USERNAMEs, the browser by
// a=ice-lite or, failing that, as the offerer).
func (d *dumper) direction(dg conformance.Datagram) annotate.Direction {
	side, ok := d.roles.Sender(dg)
	switch {
	case !ok:
		return annotate.DirUnknown
	case side == d.roles.Browser:
		return annotate.FromBrowser
	}
	return annotate.ToBrowser
}

// decode explains one datagram and counts it in the summary.
func (d *dumper) decode(dg conformance.Datagram) *annotate.Record {
	r := d.ann.Annotate(annotate.Datagram{
		N: dg.N, Time: dg.Time, Src: dg.Src, Dst: dg.Dst, Dir: d.direction(dg),
		FromDTLSClient: d.fromDTLSClient(dg), Payload: dg.Payload,
	})
	d.sum.Add(r)
	return r
}

// fromDTLSClient reports whether dg was sent by the DTLS client: by the
// side the roles tie its addresses to (so every address of a side, e.g. a
// second candidate, counts), else by the hello's addresses.
func (d *dumper) fromDTLSClient(dg conformance.Datagram) bool {
	if d.hello == nil {
		return false
	}
	if side, ok := d.roles.Sender(dg); ok && d.roles.DTLSClientKnown {
		return side == d.roles.DTLSClient
	}
	return dg.Src == d.hello.Client || (dg.Src != d.hello.Server && dg.Dst == d.hello.Server)
}

// writeHeader prints what the capture is and who is who.
func writeHeader(w io.Writer, path string, st conformance.CaptureStats, d *dumper) {
	fmt.Fprintf(w, "%s: %s, %d frames, %d UDP, %d skipped\n", path, st.Format, st.Frames, st.UDP, len(st.Skipped))
	if b, v := d.roles.BrowserPeer(), d.roles.ServerPeer(); len(b.Addrs) > 0 && len(v.Addrs) > 0 {
		fmt.Fprintf(w, "browser %v, server %v; %s\n", b.MediaAddr, v.MediaAddr, d.roles.String())
	}
	if d.hello != nil {
		fmt.Fprintf(w, "DTLS client %v, server %v, cipher suite 0x%04x, %s (RFC 5764 §4.1.2)\n",
			d.hello.Client, d.hello.Server, d.hello.CipherSuite, conformance.SRTPProfileName(d.hello.SRTPProfile))
	}
	fmt.Fprintln(w)
}
