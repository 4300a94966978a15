package sdp

import (
	"iter"
	"strconv"
	"strings"
)

// MSID is an a=msid value (RFC 8830 §2): <stream id> [<track id>].
type MSID struct {
	Stream string // "-" means no stream (RFC 8830 §2)
	Track  string // appdata; "" when absent
}

// MSIDs yields m's a=msid lines.
func (m *Media) MSIDs() iter.Seq[MSID] {
	return func(yield func(MSID) bool) {
		for _, l := range m.Lines {
			if v, ok := l.attrValue("msid"); ok {
				st, tr, _ := strings.Cut(v, " ")
				if !yield(MSID{Stream: st, Track: tr}) {
					return
				}
			}
		}
	}
}

// msidOK checks msid-value = msid-id [SP msid-appdata], each 1*64token-char
// (RFC 8830 §2).
func msidOK(v string) bool {
	id, app, hasApp := strings.Cut(v, " ")
	return isToken(id) && len(id) <= 64 && (!hasApp || isToken(app) && len(app) <= 64)
}

// msid returns the a=msid value for t: "<stream id> <track id>", or the
// stream id alone when t has no track id (msid-appdata is optional,
// RFC 8830 §2). A missing stream id is "-", no stream (RFC 8830 §2).
func (t LocalTrack) msid() string {
	s := t.StreamID
	if s == "" {
		s = "-"
	}
	if t.TrackID != "" {
		s += " " + t.TrackID
	}
	return s
}

// SSRC is an a=ssrc value (RFC 5576 §4.1): <ssrc-id> <attribute>[:<value>].
type SSRC struct {
	ID        uint32
	Attribute string // "cname", "msid", ...
	Value     string
}

// ParseSSRC parses an a=ssrc value.
func ParseSSRC(v string) (SSRC, error) {
	id, rest, _ := strings.Cut(v, " ")
	n, err := strconv.ParseUint(id, 10, 32)
	if err != nil {
		return SSRC{}, errorString("sdp: a=ssrc id must be a 32-bit decimal (RFC 5576 §4.1)")
	}
	name, val, _ := strings.Cut(rest, ":")
	if !isToken(name) {
		return SSRC{}, errorString("sdp: a=ssrc needs <ssrc-id> <attribute>[:<value>] (RFC 5576 §4.1)")
	}
	return SSRC{ID: uint32(n), Attribute: name, Value: val}, nil
}

// SSRCs yields m's a=ssrc lines that parse.
func (m *Media) SSRCs() iter.Seq[SSRC] {
	return func(yield func(SSRC) bool) {
		for _, l := range m.Lines {
			if v, ok := l.attrValue("ssrc"); ok {
				if s, err := ParseSSRC(v); err == nil && !yield(s) {
					return
				}
			}
		}
	}
}

// SSRCGroup is an a=ssrc-group value (RFC 5576 §4.2):
// <semantics> *(SP <ssrc-id>).
type SSRCGroup struct {
	Semantics string // "FID" (RFC 4588 §8.1 / RFC 5576), "SIM", "FEC-FR"
	IDs       string // space-separated SSRCs as written
}

// Each yields the group's SSRCs.
func (g SSRCGroup) Each() iter.Seq[uint32] {
	return func(yield func(uint32) bool) {
		for f := range fields(g.IDs) {
			n, err := strconv.ParseUint(f, 10, 32)
			if err == nil && !yield(uint32(n)) {
				return
			}
		}
	}
}

// SSRCGroups yields m's a=ssrc-group lines.
func (m *Media) SSRCGroups() iter.Seq[SSRCGroup] {
	return func(yield func(SSRCGroup) bool) {
		for _, l := range m.Lines {
			if v, ok := l.attrValue("ssrc-group"); ok {
				sem, ids, _ := strings.Cut(v, " ")
				if !yield(SSRCGroup{Semantics: sem, IDs: ids}) {
					return
				}
			}
		}
	}
}
