package sdp

import (
	"strconv"
	"strings"
)

// Builder assembles a session description line by line, for answers,
// offers and edits. It allocates freely; Session checks the result with
// Parse and Validate so a Builder never produces SDP this package would
// refuse.
type Builder struct {
	lines []Line
}

// Line appends a <typ>=<value> line.
func (b *Builder) Line(typ byte, value string) *Builder {
	b.lines = append(b.lines, Line{Type: typ, Value: value})
	return b
}

// Attr appends a=name:value.
func (b *Builder) Attr(name, value string) *Builder {
	return b.Line('a', name+":"+value)
}

// Flag appends a property attribute a=name (RFC 8866 §5.13).
func (b *Builder) Flag(name string) *Builder { return b.Line('a', name) }

// Lines appends lines as they are (for copying parts of a parsed session).
func (b *Builder) Lines(ls ...Line) *Builder {
	b.lines = append(b.lines, ls...)
	return b
}

// Len returns the number of lines so far.
func (b *Builder) Len() int { return len(b.lines) }

// Session parses the assembled lines into a Session (one backing copy, as
// Parse gives) and validates it. A value holding CR, LF or NUL is refused
// rather than written: it would end its line early and smuggle in lines of
// its own (a CNAME or track id from elsewhere becoming an a=fingerprint).
func (b *Builder) Session() (*Session, error) {
	out := make([]byte, 0, 64*len(b.lines))
	for i, l := range b.lines {
		if strings.ContainsAny(l.Value, "\r\n\x00") {
			return nil, lineErr(i+1, l.String(), "value contains CR, LF or NUL; a line is <type>=<value> CRLF with none inside (RFC 8866 §9)")
		}
		out = append(out, l.Type, '=')
		out = append(out, l.Value...)
		out = append(out, '\r', '\n')
	}
	s, err := Parse(out)
	if err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// Origin returns an o= value (RFC 8866 §5.2) with username "-".
func Origin(sessionID, version uint64, addr string) string {
	return "- " + strconv.FormatUint(sessionID, 10) + " " + strconv.FormatUint(version, 10) + " IN " + addrType(addr) + " " + addr
}

// Connection returns a c= value (RFC 8866 §5.7) for a unicast address.
func Connection(addr string) string { return "IN " + addrType(addr) + " " + addr }

func addrType(addr string) string {
	for i := 0; i < len(addr); i++ {
		if addr[i] == ':' {
			return "IP6"
		}
	}
	return "IP4"
}

// Origin parses the o= line (RFC 8866 §5.2).
func (s *Session) Origin() (username string, sessionID, version uint64, ok bool) {
	for _, l := range s.SessionLines() {
		if l.Type == 'o' {
			var f [6]string
			if !splitExact(l.Value, f[:]) {
				return "", 0, 0, false
			}
			id, err1 := strconv.ParseUint(f[1], 10, 64)
			v, err2 := strconv.ParseUint(f[2], 10, 64)
			return f[0], id, v, err1 == nil && err2 == nil
		}
	}
	return "", 0, 0, false
}

// Edit returns a Builder holding a copy of s's lines, for changing a
// parsed description (the result shares no memory with s).
func (s *Session) Edit() *Builder {
	return &Builder{lines: append([]Line(nil), s.Lines...)}
}

// At returns line i.
func (b *Builder) At(i int) Line { return b.lines[i] }

// Set replaces line i.
func (b *Builder) Set(i int, l Line) *Builder {
	b.lines[i] = l
	return b
}

// Insert inserts lines before index i (i == Len appends).
func (b *Builder) Insert(i int, ls ...Line) *Builder {
	b.lines = append(b.lines[:i], append(append([]Line(nil), ls...), b.lines[i:]...)...)
	return b
}

// Delete removes line i.
func (b *Builder) Delete(i int) *Builder {
	b.lines = append(b.lines[:i], b.lines[i+1:]...)
	return b
}
