package annotate

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Line is one explained field of a Record: what it is, its value, the
// document section that defines it and a link to that section.
type Line struct {
	Depth int    `json:"depth"` // 0 the datagram, 1 its message or header, 2 and 3 nested parts
	Name  string `json:"name"`
	Value string `json:"value"`
	Ref   string `json:"ref,omitempty"` // "RFC 8489 §14.5"
	URL   string `json:"url,omitempty"` // "https://www.rfc-editor.org/rfc/rfc8489#section-14.5"
}

var refPattern = regexp.MustCompile(`(RFC ([0-9]+)|(draft-[a-z0-9-]+))(?: §([A-Z]?)\.?([0-9][0-9.]*[0-9]|[0-9]))?`)

// RefURL links the first RFC or Internet-Draft a reference names ("RFC 8489
// §14.5", "unknown (RFC 8489 §14)", "draft-holmer-rmcat-… §3.1") to its
// section on rfc-editor.org or datatracker.ietf.org: appendix sections
// ("RFC 3550 §A.3") as #appendix-A.3. A reference to no RFC or draft
// (3GPP, webrtc.org) has no URL: "".
func RefURL(ref string) string {
	m := refPattern.FindStringSubmatch(ref)
	if m == nil {
		return ""
	}
	var u string
	if m[2] != "" {
		u = "https://www.rfc-editor.org/rfc/rfc" + m[2]
	} else {
		u = "https://datatracker.ietf.org/doc/html/" + m[3]
	}
	switch {
	case m[4] != "" && m[5] != "":
		u += "#appendix-" + m[4] + "." + m[5]
	case m[4] != "":
		u += "#appendix-" + m[4]
	case m[5] != "":
		u += "#section-" + m[5]
	}
	return u
}

type explainer struct{ lines []Line }

func (e *explainer) add(depth int, name, value, ref string) {
	e.lines = append(e.lines, Line{Depth: depth, Name: name, Value: value, Ref: ref, URL: RefURL(ref)})
}

// Explain lists every field of the record, in the order rtcdump prints
// them, each with the section that defines it and its URL.
func (r *Record) Explain() []Line {
	e := &explainer{}
	if r.Class == "skipped" {
		e.add(0, "frame", r.Reason, "")
		return e.lines
	}
	head := fmt.Sprintf("%s > %s", r.Src, r.Dst)
	if r.Dir != "" {
		head += " " + r.Dir
	}
	e.add(0, r.Class, fmt.Sprintf("%s, %d bytes", head, r.Len), "RFC 7983 §7")
	switch {
	case r.STUN != nil:
		e.stun(r.STUN)
	case r.DTLS != nil:
		e.dtls(r.DTLS)
	case r.RTP != nil:
		e.rtp(r)
	case r.RTCP != nil:
		e.rtcp(r)
	}
	if r.Error != "" {
		e.add(1, "error", r.Error, refIn(r.Error))
	}
	return e.lines
}

// refIn is the "RFC n §x" an error message cites, if any.
func refIn(s string) string {
	if m := refPattern.FindString(s); m != "" {
		return m
	}
	return ""
}

func (e *explainer) stun(s *STUN) {
	e.add(1, "message", s.Type, "RFC 8489 §5")
	e.add(1, "transaction_id", s.TransactionID, "RFC 8489 §5")
	e.add(1, "length", strconv.Itoa(s.Length), "RFC 8489 §5")
	for _, a := range s.Attrs {
		e.add(2, a.Name, a.Value, a.Ref)
	}
	integ := "RFC 8489 §14.5"
	for _, a := range s.Attrs {
		if a.Name == "MESSAGE-INTEGRITY-SHA256" {
			integ = "RFC 8489 §14.6"
		}
	}
	e.add(1, "integrity", s.Integrity, integ)
	e.add(1, "fingerprint", s.Fingerprint, "RFC 8489 §14.7")
}

func (e *explainer) dtls(d *DTLS) {
	for _, rec := range d.Records {
		v := fmt.Sprintf("%s %s epoch %d seq %d length %d", rec.ContentType, rec.Version, rec.Epoch, rec.Sequence, rec.Length)
		if rec.Encrypted {
			v += " encrypted"
		}
		e.add(1, "record", v, "RFC 6347 §4.1")
		for _, h := range rec.Handshake {
			e.add(2, h.Type, fmt.Sprintf("length %d message_seq %d fragment %d+%d", h.Length, h.MessageSeq, h.FragmentOffset, h.FragmentLength), "RFC 6347 §4.2.2")
			if h.Random != "" {
				e.add(3, "random", h.Random, "RFC 5246 §7.4.1.2")
			}
			if h.CipherSuite != "" {
				e.add(3, "cipher_suite", h.CipherSuite, "RFC 5246 §7.4.1.3")
			}
			if len(h.SRTPProfiles) > 0 {
				e.add(3, "use_srtp", strings.Join(h.SRTPProfiles, ","), "RFC 5764 §4.1.1")
			}
		}
	}
}

func (e *explainer) rtp(r *Record) {
	p := r.RTP
	const hdr = "RFC 3550 §5.1"
	e.add(1, "version", strconv.Itoa(int(p.Version)), hdr)
	e.add(1, "padding", strconv.FormatBool(p.Padding), hdr)
	e.add(1, "extension", strconv.FormatBool(p.Extension), hdr)
	e.add(1, "marker", strconv.FormatBool(p.Marker), hdr)
	e.add(1, "payload_type", strconv.Itoa(int(p.PT)), hdr)
	if p.Codec != "" {
		e.add(1, "codec", p.Codec, "RFC 8866 §6.6")
	}
	e.add(1, "sequence_number", strconv.Itoa(int(p.Seq)), hdr)
	e.add(1, "timestamp", u32(p.Timestamp), hdr)
	e.add(1, "ssrc", u32(p.SSRC), hdr)
	for _, c := range p.CSRC {
		e.add(1, "csrc", u32(c), hdr)
	}
	if p.ExtProfile != "" {
		e.add(1, "extension_profile", p.ExtProfile, "RFC 8285 §4")
	}
	for _, x := range p.Ext {
		ref := x.Ref
		if ref == "" {
			ref = "RFC 8285 §4"
		}
		e.add(2, x.Name, fmt.Sprintf("id %d: %s", x.ID, x.Value), ref)
	}
	e.add(1, "header_length", strconv.Itoa(p.HeaderLen), hdr)
	e.add(1, "payload_length", strconv.Itoa(p.PayloadLen), hdr)
	e.srtp(r.SRTP)
	if p.Keyframe != nil {
		e.add(1, "keyframe", strconv.FormatBool(*p.Keyframe), keyframeRef(p.Codec))
	}
}

func (e *explainer) srtp(s *SRTP) {
	if s == nil {
		return
	}
	v := s.Auth
	if s.Error != "" {
		v += ": " + s.Error
	}
	e.add(1, "auth", v, "RFC 3711 §3.3")
	if s.Replay {
		e.add(1, "replayed_index", "true", "RFC 3711 §3.3.2")
	}
}

func (e *explainer) rtcp(r *Record) {
	c := r.RTCP
	ref := "RFC 3550 §6.1"
	if n, ok := rtcpTypeNames[c.PT]; ok {
		ref = n[1]
	}
	e.add(1, "packet_type", fmt.Sprintf("%d %s", c.PT, c.Type), ref)
	e.add(1, "count", strconv.Itoa(int(c.Count)), "RFC 3550 §6.4.1")
	e.add(1, "length", strconv.Itoa(c.Length), "RFC 3550 §6.4.1")
	e.add(1, "ssrc", u32(c.SSRC), ref)
	if c.Index != nil {
		e.add(1, "srtcp_e", strconv.FormatBool(*c.Encrypted), "RFC 3711 §3.4")
		e.add(1, "srtcp_index", u32(*c.Index), "RFC 3711 §3.4")
	}
	e.srtp(r.SRTP)
	for _, p := range c.Packets {
		e.add(2, p.Type, fmt.Sprintf("PT=%d count/FMT %d", p.PT, p.Count), p.Ref)
		doc, _, _ := strings.Cut(p.Ref, " §")
		for _, f := range p.Fields {
			fr := f.Ref
			if strings.HasPrefix(fr, "§") { // TWCC fields cite sections of the packet's draft
				fr = doc + " " + fr
			}
			e.add(3, f.Name, f.Value, fr)
		}
	}
}
