package sdp

import "strings"

// Parse parses a session description (RFC 8866 §5, grammar in §9). Lines may
// end in CRLF or a bare LF (§5: parsers SHOULD accept LF); the last line may
// lack a terminator. The input is copied once; the returned Session's strings
// share that copy, so b may be reused afterwards.
//
// Parse checks the line syntax and order of §9 and the fields of the lines
// whose structure the rest of the package relies on (v, o, s, t, r, z, k, c, b, m,
// a); attribute values are checked only by the accessors that read them.
// Errors are *ParseError naming the 1-based line number and the rule.
func Parse(b []byte) (*Session, error) {
	if len(b) == 0 {
		return nil, lineErr(1, "", "empty session description; want v=0 first (RFC 8866 §5)")
	}
	raw := string(b)
	nLF := strings.Count(raw, "\n")
	lines := make([]Line, 0, nLF+1)
	p := lineParser{hasNUL: strings.IndexByte(raw, 0) >= 0}
	switch strings.Count(raw, "\r") {
	case 0:
		p.cr = crNone
	case nLF:
		p.cr = crEndsOnly // every CR may be the CR of a CRLF ending
	default:
		p.cr = crAny
	}
	lines, nMedia, err := p.parse(raw, lines)
	if err != nil && p.cr == crEndsOnly {
		// The fast path assumed no bare CR; find the first error exactly.
		p.cr = crAny
		lines, nMedia, err = p.parse(raw, lines[:0])
	}
	if err != nil {
		return nil, err
	}
	if nMedia == 0 {
		return &Session{Lines: lines}, nil
	}
	// The Session and a few Media in one allocation (browser offers have
	// one to a handful of m= sections).
	var s *Session
	if nMedia <= len(sessionWithMedia{}.media) {
		sm := &sessionWithMedia{}
		s = &sm.s
		s.Media = sm.media[:0:nMedia]
	} else {
		s = &Session{Media: make([]Media, 0, nMedia)}
	}
	s.Lines = lines
	if nMedia <= len(p.mStart) {
		for _, start := range p.mStart[:nMedia] {
			s.Media = append(s.Media, Media{Start: start})
		}
	} else {
		for i, l := range lines {
			if l.Type == 'm' {
				s.Media = append(s.Media, Media{Start: i})
			}
		}
	}
	for i := range s.Media {
		end := len(lines)
		if i+1 < len(s.Media) {
			end = s.Media[i+1].Start
		}
		s.Media[i].Lines = lines[s.Media[i].Start:end]
	}
	return s, nil
}

// sessionWithMedia lets Parse allocate a Session and its Media together.
type sessionWithMedia struct {
	s     Session
	media [4]Media
}

// How a lineParser looks for bare CRs (RFC 8866 §9: no CR inside a line).
const (
	crNone     = iota // the input has no CR at all
	crEndsOnly        // as many CRs as LFs: fine if every LF line ends in CR
	crAny             // check every line
)

// errBareCR makes the crEndsOnly fast path fall back to crAny.
var errBareCR = errorString("sdp: bare CR")

type lineParser struct {
	hasNUL bool
	cr     int
	mStart [8]int // indices of the first m= lines, as parse meets them
}

// parse splits raw into lines, checks each and appends them to lines. It
// returns the number of m= lines.
func (p *lineParser) parse(raw string, lines []Line) ([]Line, int, error) {
	var st orderState
	lineNo, nMedia := 0, 0
	fast := !p.hasNUL && p.cr != crAny
	for len(raw) > 0 {
		lineNo++
		var text string
		terminated := false
		if i := strings.IndexByte(raw, '\n'); i >= 0 {
			text, raw, terminated = raw[:i], raw[i+1:], true
		} else {
			text, raw = raw, ""
		}
		if n := len(text); n > 0 && text[n-1] == '\r' {
			text = text[:n-1]
		} else if terminated && p.cr == crEndsOnly {
			return lines, 0, errBareCR // a CR is somewhere else
		}
		// The common line: another a= line after an a= line, with no NUL
		// or stray CR possible. Only its attribute name needs a check
		// (checkLine, orderState.next).
		if fast && len(text) >= 2 && text[0] == 'a' && text[1] == '=' && st.last == 'a' && attrNameOK(text[2:]) {
			lines = append(lines, Line{Type: 'a', Value: text[2:]})
			continue
		}
		if len(text) < 2 || text[1] != '=' {
			if text == "" {
				return lines, 0, lineErr(lineNo, text, "empty line; every line is <type>=<value> (RFC 8866 §5)")
			}
			if p.cr != crAny || strings.IndexByte(text, '\r') < 0 {
				return lines, 0, lineErr(lineNo, text, "line is not <type>=<value> with a one-letter type (RFC 8866 §5)")
			}
		}
		if p.hasNUL && strings.IndexByte(text, 0) >= 0 {
			return lines, 0, lineErr(lineNo, text, "NUL byte in line (RFC 8866 §9 byte-string)")
		}
		if p.cr == crAny && strings.IndexByte(text, '\r') >= 0 {
			return lines, 0, lineErr(lineNo, text, "bare CR inside line; lines end with CRLF or LF (RFC 8866 §5)")
		}
		l := Line{Type: text[0], Value: text[2:]}
		if err := st.next(lineNo, l); err != nil {
			return lines, 0, err
		}
		if err := checkLine(lineNo, l); err != nil {
			return lines, 0, err
		}
		if l.Type == 'm' {
			if nMedia < len(p.mStart) {
				p.mStart[nMedia] = len(lines)
			}
			nMedia++
		}
		lines = append(lines, l)
	}
	return lines, nMedia, st.end(lineNo)
}
