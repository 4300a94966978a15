package sdp

import "strings"

// Session is a parsed session description. Lines holds every line in input
// order; the session-level section is Lines[:Media[0].Start] (or all lines
// when there is no m= line). Every string shares one copy of the input.
type Session struct {
	Lines []Line
	Media []Media
}

// Media is one media description: Lines is the sub-slice of Session.Lines
// from its m= line up to the next m= line (RFC 8866 §5.14).
type Media struct {
	Start int    // index of the m= line in Session.Lines
	Lines []Line // Session.Lines[Start:next m= or end]
}

// SessionLines returns the session-level lines (before the first m= line).
func (s *Session) SessionLines() []Line {
	if len(s.Media) == 0 {
		return s.Lines
	}
	return s.Lines[:s.Media[0].Start]
}

// Attribute returns the value of the first session-level a=name[:value]
// line; ok is false when there is none.
func (s *Session) Attribute(name string) (value string, ok bool) {
	return attribute(s.SessionLines(), name)
}

// HasAttribute reports whether a session-level a=name line exists.
func (s *Session) HasAttribute(name string) bool {
	_, ok := attribute(s.SessionLines(), name)
	return ok
}

// Attribute returns the value of the first a=name[:value] line of m.
func (m *Media) Attribute(name string) (value string, ok bool) {
	return attribute(m.Lines, name)
}

// HasAttribute reports whether m has an a=name line.
func (m *Media) HasAttribute(name string) bool {
	_, ok := attribute(m.Lines, name)
	return ok
}

func attribute(lines []Line, name string) (string, bool) {
	for _, l := range lines {
		if l.IsAttribute(name) {
			if len(l.Value) == len(name) {
				return "", true
			}
			return l.Value[len(name)+1:], true
		}
	}
	return "", false
}

// ICECredentials returns a=ice-ufrag and a=ice-pwd (RFC 8839 §5.4): the
// session-level pair when both are present there, else the first media
// section that has both. ok is false when no such pair exists.
func (s *Session) ICECredentials() (ufrag, pwd string, ok bool) {
	if u, p, ok := iceCredentials(s.SessionLines()); ok {
		return u, p, true
	}
	for i := range s.Media {
		if u, p, ok := iceCredentials(s.Media[i].Lines); ok {
			return u, p, true
		}
	}
	return "", "", false
}

func iceCredentials(lines []Line) (ufrag, pwd string, ok bool) {
	var hasU, hasP bool
	for _, l := range lines {
		if v, ok := l.attrValue("ice-ufrag"); ok && !hasU {
			ufrag, hasU = strings.TrimSpace(v), true
		} else if v, ok := l.attrValue("ice-pwd"); ok && !hasP {
			pwd, hasP = strings.TrimSpace(v), true
		}
	}
	return ufrag, pwd, hasU && hasP
}
