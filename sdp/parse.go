package sdp

import "strings"

// Parse parses a session description (RFC 8866 §5, grammar in §9). Lines may
// end in CRLF or a bare LF (§5: parsers SHOULD accept LF); the last line may
// lack a terminator. The input is copied once; the returned Session's strings
// share that copy, so b may be reused afterwards.
//
// Parse checks the line syntax and order of §9 and the fields of the lines
// whose structure the rest of the package relies on (v, o, s, t, c, b, m,
// a); attribute values are checked only by the accessors that read them.
// Errors are *ParseError naming the 1-based line number and the rule.
func Parse(b []byte) (*Session, error) {
	if len(b) == 0 {
		return nil, lineErr(1, "", "empty session description; want v=0 first (RFC 8866 §5)")
	}
	raw := string(b)
	nLines := strings.Count(raw, "\n") + 1
	nMedia := strings.Count(raw, "\nm=")
	s := &Session{Lines: make([]Line, 0, nLines)}
	if nMedia > 0 {
		s.Media = make([]Media, 0, nMedia)
	}
	hasNUL := strings.IndexByte(raw, 0) >= 0
	var st orderState
	lineNo := 0
	for len(raw) > 0 {
		lineNo++
		var text string
		if i := strings.IndexByte(raw, '\n'); i >= 0 {
			text, raw = raw[:i], raw[i+1:]
		} else {
			text, raw = raw, ""
		}
		if n := len(text); n > 0 && text[n-1] == '\r' {
			text = text[:n-1]
		}
		if len(text) < 2 || text[1] != '=' {
			if text == "" {
				return nil, lineErr(lineNo, text, "empty line; every line is <type>=<value> (RFC 8866 §5)")
			}
			return nil, lineErr(lineNo, text, "line is not <type>=<value> with a one-letter type (RFC 8866 §5)")
		}
		l := Line{Type: text[0], Value: text[2:]}
		if hasNUL && strings.IndexByte(text, 0) >= 0 {
			return nil, lineErr(lineNo, text, "NUL byte in line (RFC 8866 §9 byte-string)")
		}
		if strings.IndexByte(text, '\r') >= 0 {
			return nil, lineErr(lineNo, text, "bare CR inside line; lines end with CRLF or LF (RFC 8866 §5)")
		}
		if err := st.next(lineNo, l); err != nil {
			return nil, err
		}
		if err := checkLine(lineNo, l); err != nil {
			return nil, err
		}
		if l.Type == 'm' {
			if n := len(s.Media); n > 0 {
				s.Media[n-1].Lines = s.Lines[s.Media[n-1].Start:len(s.Lines)]
			}
			s.Media = append(s.Media, Media{Start: len(s.Lines)})
		}
		s.Lines = append(s.Lines, l)
	}
	if err := st.end(lineNo); err != nil {
		return nil, err
	}
	if n := len(s.Media); n > 0 {
		s.Media[n-1].Lines = s.Lines[s.Media[n-1].Start:]
	}
	return s, nil
}
