package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"time"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
)

type options struct {
	json                  bool
	offerPath, answerPath string
	keylogPath            string
}

// dumper decodes the frames of one capture.
type dumper struct {
	// roles says which side sent each datagram, who is the browser and
	// who the DTLS client (conformance.DeriveRoles: the same logic the
	// corpus tests use); sides are unknown for a capture without ICE checks.
	roles conformance.Roles
	hello *conformance.DTLSHello
	sdp   *sdpInfo
	stun  stunState
	srtp  *srtpState // nil without -keylog
	sum   summary
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
	if opts.offerPath != "" {
		if d.sdp, err = loadSDPs(opts.offerPath, opts.answerPath); err != nil {
			return err
		}
	}
	d.stun = newSTUNState(d.sdp)
	if h, err := conformance.FindDTLSHello(datagrams); err == nil {
		d.hello = &h
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
	if d.roles, err = conformance.DeriveRoles(datagrams, offer, answer, d.hello, nil); err != nil {
		return err
	}
	if opts.keylogPath != "" {
		if d.srtp, err = newSRTPState(opts.keylogPath, d.hello); err != nil {
			return err
		}
	}
	w := bufio.NewWriter(out)
	defer w.Flush()
	var emit func(*record) error
	if opts.json {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		emit = func(r *record) error { return enc.Encode(r) }
	} else {
		emit = func(r *record) error { return writeText(w, r) }
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
	d.sum.finish()
	if opts.json {
		if err := json.NewEncoder(w).Encode(struct {
			Summary *summary `json:"summary"`
		}{&d.sum}); err != nil {
			return err
		}
	} else {
		writeSummary(w, &d.sum)
	}
	if capErr != nil {
		w.Flush()
		return capErr
	}
	return w.Flush()
}

func skippedRecord(s conformance.SkippedFrame) *record {
	return &record{N: s.N, Class: "skipped", Reason: s.Reason}
}

// direction names who sent a datagram, when the capture shows who is who
// (conformance.Roles: sides by the ICE checks' USERNAMEs, the browser by
// a=ice-lite or, failing that, as the offerer).
func (d *dumper) direction(dg conformance.Datagram) string {
	side, ok := d.roles.Sender(dg)
	switch {
	case !ok:
		return ""
	case side == d.roles.Browser:
		return "browser>server"
	}
	return "server>browser"
}

// decode classifies a datagram (RFC 7983) and decodes it by class.
func (d *dumper) decode(dg conformance.Datagram) *record {
	c := demux.Classify(dg.Payload)
	r := &record{
		N: dg.N, Src: dg.Src.String(), Dst: dg.Dst.String(), Dir: d.direction(dg),
		Len: len(dg.Payload), Class: c.String(),
	}
	if !dg.Time.IsZero() {
		r.Time = dg.Time.Format(time.RFC3339Nano)
	}
	var err error
	switch c {
	case demux.STUN:
		r.STUN, err = d.stun.decode(dg.Payload)
		if r.STUN != nil {
			d.sum.stun(r.STUN)
		}
	case demux.DTLS:
		r.DTLS, err = decodeDTLS(dg.Payload)
	case demux.RTP:
		err = d.decodeRTP(r, dg)
	case demux.RTCP:
		err = d.decodeRTCP(r, dg)
	}
	if err != nil {
		r.Error = err.Error()
	}
	d.sum.add(r)
	return r
}

func (d *dumper) profile() uint16 {
	if d.hello == nil {
		return 0
	}
	return d.hello.SRTPProfile
}

// decodeRTP fills the clear header, and with keys decrypts and reads the payload.
func (d *dumper) decodeRTP(r *record, dg conformance.Datagram) error {
	var err error
	if r.RTP, _, err = decodeRTPHeader(dg.Payload, d.sdp); err != nil {
		return err
	}
	if d.srtp != nil {
		return d.srtp.rtp(r, dg, d)
	}
	return nil
}

// decodeRTCP fills the clear header, and with keys decrypts the compound.
func (d *dumper) decodeRTCP(r *record, dg conformance.Datagram) error {
	var err error
	if r.RTCP, err = decodeRTCPHeader(dg.Payload, d.profile()); err != nil {
		return err
	}
	if d.srtp != nil {
		return d.srtp.rtcp(r, dg, d)
	}
	return nil
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
