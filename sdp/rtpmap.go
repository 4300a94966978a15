package sdp

import (
	"iter"
	"strconv"
	"strings"
)

// RTPMap is an a=rtpmap value (RFC 8866 §6.6):
// <payload type> <encoding name>/<clock rate>[/<encoding parameters>].
type RTPMap struct {
	PayloadType uint8
	Encoding    string // e.g. "opus", "VP8" (compare case-insensitively)
	ClockRate   uint32
	Params      string // channels for audio, "" when absent
}

// ParseRTPMap parses an a=rtpmap value.
func ParseRTPMap(v string) (RTPMap, error) {
	const rule = "sdp: a=rtpmap needs <payload type> <encoding name>/<clock rate>[/<encoding parameters>] (RFC 8866 §6.6)"
	pt, rest, ok := strings.Cut(v, " ")
	if !ok {
		return RTPMap{}, errorString(rule)
	}
	p, err := parsePT(pt)
	if err != nil {
		return RTPMap{}, err
	}
	enc, rest, ok := strings.Cut(rest, "/")
	if !ok || enc == "" {
		return RTPMap{}, errorString(rule)
	}
	rate, params, _ := strings.Cut(rest, "/")
	r, err := strconv.ParseUint(rate, 10, 32)
	if err != nil || r == 0 {
		return RTPMap{}, errorString(rule)
	}
	return RTPMap{PayloadType: p, Encoding: enc, ClockRate: uint32(r), Params: params}, nil
}

func parsePT(s string) (uint8, error) {
	n, err := strconv.ParseUint(s, 10, 8)
	if err != nil || n > 127 {
		return 0, errorString("sdp: payload type " + strconv.Quote(s) + " must be 0-127 (RFC 3550 §5.1)")
	}
	return uint8(n), nil
}

// String returns the a=rtpmap value.
func (r RTPMap) String() string {
	s := strconv.Itoa(int(r.PayloadType)) + " " + r.Encoding + "/" + strconv.FormatUint(uint64(r.ClockRate), 10)
	if r.Params != "" {
		s += "/" + r.Params
	}
	return s
}

// FMTP is an a=fmtp value (RFC 8866 §6.15): <format> <format specific
// parameters>. Params is kept as written.
type FMTP struct {
	Format string
	Params string
}

// Param returns the value of a key=value parameter in a ';'-separated
// parameter list (RFC 4855 §3, media type parameters). Keys compare
// case-insensitively; whitespace around items is ignored.
func (f FMTP) Param(key string) (string, bool) {
	p := f.Params
	for p != "" {
		var item string
		item, p, _ = strings.Cut(p, ";")
		k, v, _ := strings.Cut(strings.TrimSpace(item), "=")
		if strings.EqualFold(strings.TrimSpace(k), key) {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// RTCPFB is an a=rtcp-fb value (RFC 4585 §4.2): <pt or *> <type> [<param>].
type RTCPFB struct {
	Format string // payload type or "*"
	Type   string // "nack", "ccm", "goog-remb", "transport-cc", ...
	Param  string // "pli", "fir", "" ...
}

// String returns the a=rtcp-fb value.
func (f RTCPFB) String() string {
	s := f.Format + " " + f.Type
	if f.Param != "" {
		s += " " + f.Param
	}
	return s
}

// RTPMaps yields m's a=rtpmap lines that parse.
func (m *Media) RTPMaps() iter.Seq[RTPMap] {
	return func(yield func(RTPMap) bool) {
		for _, l := range m.Lines {
			if v, ok := l.attrValue("rtpmap"); ok {
				if r, err := ParseRTPMap(v); err == nil && !yield(r) {
					return
				}
			}
		}
	}
}

// RTPMap returns the a=rtpmap for payload type pt.
func (m *Media) RTPMap(pt uint8) (RTPMap, bool) {
	for r := range m.RTPMaps() {
		if r.PayloadType == pt {
			return r, true
		}
	}
	return RTPMap{}, false
}

// FMTP returns the a=fmtp for format f (the first, if repeated).
func (m *Media) FMTP(f string) (FMTP, bool) {
	for _, l := range m.Lines {
		if v, ok := l.attrValue("fmtp"); ok {
			format, params, _ := strings.Cut(v, " ")
			if format == f {
				return FMTP{Format: format, Params: params}, true
			}
		}
	}
	return FMTP{}, false
}

// RTCPFeedback yields m's a=rtcp-fb lines that apply to format f, including
// the wildcard "*" ones (RFC 4585 §4.2).
func (m *Media) RTCPFeedback(f string) iter.Seq[RTCPFB] {
	return func(yield func(RTCPFB) bool) {
		for _, l := range m.Lines {
			if v, ok := l.attrValue("rtcp-fb"); ok {
				format, rest, _ := strings.Cut(v, " ")
				if format != f && format != "*" {
					continue
				}
				typ, param, _ := strings.Cut(rest, " ")
				if typ != "" && !yield(RTCPFB{Format: format, Type: typ, Param: param}) {
					return
				}
			}
		}
	}
}
