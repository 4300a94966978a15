package sdp

import (
	"iter"
	"strconv"
	"strings"
)

// ExtMap is an a=extmap value (RFC 8285 §8):
// <value>["/"<direction>] <URI> [<extensionattributes>].
type ExtMap struct {
	ID         int    // 1-14 one-byte, 1-255 two-byte (RFC 8285 §4.2, §4.3)
	Direction  string // "" or sendrecv/sendonly/recvonly/inactive
	URI        string
	Attributes string
}

// ParseExtMap parses an a=extmap value.
func ParseExtMap(v string) (ExtMap, error) {
	const rule = "sdp: a=extmap needs <id>[/<direction>] <URI> (RFC 8285 §8)"
	idDir, rest, ok := strings.Cut(v, " ")
	if !ok {
		return ExtMap{}, errorString(rule)
	}
	idS, dir, _ := strings.Cut(idDir, "/")
	id, err := strconv.Atoi(idS)
	if err != nil || !isDigits(idS) || id < 1 || id > 255 || id == 15 {
		return ExtMap{}, errorString("sdp: a=extmap id must be 1-14 or 16-255 (RFC 8285 §5)")
	}
	if dir != "" && !Direction(dir).Valid() {
		return ExtMap{}, errorString("sdp: a=extmap direction must be sendonly, recvonly, sendrecv or inactive (RFC 8285 §8)")
	}
	uri, attrs, _ := strings.Cut(rest, " ")
	if uri == "" {
		return ExtMap{}, errorString(rule)
	}
	return ExtMap{ID: id, Direction: dir, URI: uri, Attributes: attrs}, nil
}

// String returns the a=extmap value.
func (e ExtMap) String() string {
	s := strconv.Itoa(e.ID)
	if e.Direction != "" {
		s += "/" + e.Direction
	}
	s += " " + e.URI
	if e.Attributes != "" {
		s += " " + e.Attributes
	}
	return s
}

// ExtMaps yields the a=extmap lines that apply to m: session-level ones
// first, then m's own (RFC 8285 §8 allows both levels).
func (s *Session) ExtMaps(m *Media) iter.Seq[ExtMap] {
	return func(yield func(ExtMap) bool) {
		for _, lines := range [2][]Line{s.SessionLines(), m.Lines} {
			for _, l := range lines {
				if v, ok := l.attrValue("extmap"); ok {
					if e, err := ParseExtMap(v); err == nil && !yield(e) {
						return
					}
				}
			}
		}
	}
}

// ExtMapAllowMixed reports a=extmap-allow-mixed at session level or in m
// (RFC 8285 §6). m may be nil.
func (s *Session) ExtMapAllowMixed(m *Media) bool {
	return s.HasAttribute("extmap-allow-mixed") || m != nil && m.HasAttribute("extmap-allow-mixed")
}
