package sdp

import (
	"iter"
	"strings"
)

// MID returns m's a=mid value (RFC 5888 §4, RFC 9143).
func (m *Media) MID() (string, bool) { return m.Attribute("mid") }

// Group is an a=group value (RFC 5888 §5): semantics and the
// space-separated identification-tag list.
type Group struct {
	Semantics string // "BUNDLE", "LS", ...
	Tags      string // "0 1 2"
}

// ParseGroup parses an a=group value.
func ParseGroup(v string) (Group, error) {
	sem, tags, _ := strings.Cut(v, " ")
	if !isToken(sem) {
		return Group{}, errorString("sdp: a=group needs <semantics> *(SP <identification-tag>) (RFC 5888 §5)")
	}
	for t := range fields(tags) {
		if !isToken(t) {
			return Group{}, errorString("sdp: a=group identification-tag must be a token (RFC 5888 §5)")
		}
	}
	return Group{Semantics: sem, Tags: tags}, nil
}

// Each yields the group's identification-tags in order.
func (g Group) Each() iter.Seq[string] { return fields(g.Tags) }

// First returns the first identification-tag: for BUNDLE the tagged
// m= section (RFC 9143 §7.2.1).
func (g Group) First() string {
	f, _, _ := strings.Cut(strings.TrimLeft(g.Tags, " "), " ")
	return f
}

// Has reports whether mid is in the group.
func (g Group) Has(mid string) bool {
	for t := range fields(g.Tags) {
		if t == mid {
			return true
		}
	}
	return false
}

// Groups yields the session-level a=group lines that parse.
func (s *Session) Groups() iter.Seq[Group] {
	return func(yield func(Group) bool) {
		for _, l := range s.SessionLines() {
			if v, ok := l.attrValue("group"); ok {
				if g, err := ParseGroup(v); err == nil && !yield(g) {
					return
				}
			}
		}
	}
}

// BundleGroup returns the BUNDLE group that contains mid, or the first
// BUNDLE group when mid is "" (RFC 9143 §5).
func (s *Session) BundleGroup(mid string) (Group, bool) {
	for g := range s.Groups() {
		if g.Semantics == "BUNDLE" && (mid == "" || g.Has(mid)) {
			return g, true
		}
	}
	return Group{}, false
}

// MediaByMID returns the media section with a=mid:mid.
func (s *Session) MediaByMID(mid string) (*Media, bool) {
	for i := range s.Media {
		if v, ok := s.Media[i].MID(); ok && v == mid {
			return &s.Media[i], true
		}
	}
	return nil, false
}

// fields yields the space-separated non-empty fields of v.
func fields(v string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for v != "" {
			var f string
			f, v, _ = strings.Cut(v, " ")
			if f != "" && !yield(f) {
				return
			}
		}
	}
}
