package sdp

import (
	"iter"
	"strings"
)

// Simulcast is an a=simulcast value (RFC 8853 §5.1):
// "send" SP <alt-list> [SP "recv" SP <alt-list>], or recv first.
// Send and Recv are the simulcast stream lists as written, e.g. "q;h;~f",
// where ';' separates streams, ',' alternatives and '~' marks paused ones.
type Simulcast struct {
	Send string
	Recv string
}

// ParseSimulcast parses an a=simulcast value.
func ParseSimulcast(v string) (Simulcast, error) {
	var s Simulcast
	const rule = "sdp: a=simulcast needs (send|recv) <rid-list> [(recv|send) <rid-list>] (RFC 8853 §5.1)"
	dir1, rest, ok := strings.Cut(v, " ")
	if !ok {
		return s, errorString(rule)
	}
	list1, rest, _ := strings.Cut(rest, " ")
	dir2, list2, two := strings.Cut(rest, " ")
	if list1 == "" || (rest != "" && !two) || (two && (list2 == "" || strings.IndexByte(list2, ' ') >= 0)) {
		return s, errorString(rule)
	}
	set := func(dir, list string) bool {
		switch {
		case dir == "send" && s.Send == "":
			s.Send = list
		case dir == "recv" && s.Recv == "":
			s.Recv = list
		default:
			return false
		}
		return true
	}
	if !set(dir1, list1) || (two && !set(dir2, list2)) {
		return s, errorString(rule)
	}
	for _, list := range [2]string{s.Send, s.Recv} {
		for r := range SimulcastRIDs(list) {
			if !isRIDID(r) {
				return s, errorString("sdp: a=simulcast rid " + r + " is not a rid-id (RFC 8853 §5.1)")
			}
		}
	}
	return s, nil
}

// SimulcastRIDs yields every rid of a simulcast stream list, in order,
// without the paused marker '~'.
func SimulcastRIDs(list string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for list != "" {
			var r string
			i := strings.IndexAny(list, ";,")
			if i < 0 {
				r, list = list, ""
			} else {
				r, list = list[:i], list[i+1:]
			}
			r = strings.TrimPrefix(r, "~")
			if !yield(r) {
				return
			}
		}
	}
}

// Simulcast returns m's a=simulcast, if present and valid.
func (m *Media) Simulcast() (Simulcast, bool) {
	v, ok := m.Attribute("simulcast")
	if !ok {
		return Simulcast{}, false
	}
	s, err := ParseSimulcast(v)
	return s, err == nil
}
