package sdp

import (
	"strconv"
	"strings"
)

// MediaLine is a parsed m= line (RFC 8866 §5.14):
//
//	m=<media> <port>[/<number of ports>] <proto> <fmt> ...
//
// Formats is the space-separated format list, sharing the input.
type MediaLine struct {
	Media    string
	Port     int
	NumPorts int // 0 when absent
	Proto    string
	Formats  string
}

// EachFormat calls fn for each format of the m= line, in order.
func (ml MediaLine) EachFormat(fn func(f string)) {
	f := ml.Formats
	for f != "" {
		var x string
		x, f, _ = strings.Cut(f, " ")
		if x != "" {
			fn(x)
		}
	}
}

// HasFormat reports whether fmt is in the m= line's format list.
func (ml MediaLine) HasFormat(fmt string) bool {
	f := ml.Formats
	for f != "" {
		var x string
		x, f, _ = strings.Cut(f, " ")
		if x == fmt {
			return true
		}
	}
	return false
}

// MediaLine parses m's m= line. Parse has already validated it.
func (m *Media) MediaLine() MediaLine {
	ml, _ := parseMediaLine(m.Lines[0].Value)
	return ml
}

// Rejected reports whether the media section has port 0 (RFC 9429 §5.3.1,
// RFC 8866 §5.14), i.e. it is rejected or stopped. Bundle-only sections
// (a=bundle-only, RFC 9143 §6) also carry port 0 but are not rejected.
func (m *Media) Rejected() bool {
	return m.MediaLine().Port == 0 && !m.HasAttribute("bundle-only")
}

// parseMediaLine parses an m= value; err is the broken rule or "".
func parseMediaLine(v string) (ml MediaLine, err string) {
	const rule = "m= needs <media> <port>[/<count>] <proto> <fmt> ... (RFC 8866 §5.14)"
	media, rest, ok := strings.Cut(v, " ")
	if !ok || !isToken(media) {
		return ml, rule
	}
	port, rest, ok := strings.Cut(rest, " ")
	if !ok {
		return ml, rule
	}
	proto, fmts, ok := strings.Cut(rest, " ")
	if !ok || proto == "" || fmts == "" {
		return ml, rule
	}
	ml.Media, ml.Proto, ml.Formats = media, proto, fmts
	p, count, hasCount := strings.Cut(port, "/")
	if ml.Port, ok = parsePort(p); !ok {
		return ml, "m= port must be a decimal 0-65535 (RFC 8866 §5.14)"
	}
	if hasCount {
		if !isDigits(count) || len(count) > 5 {
			return ml, "m= number of ports must be decimal (RFC 8866 §5.14)"
		}
		ml.NumPorts, _ = strconv.Atoi(count)
	}
	if !isTokenPath(proto) {
		return ml, "m= proto must be token *(\"/\" token) (RFC 8866 §9)"
	}
	// The formats, in one pass: each a token, separated by single spaces
	// (a final space ends the list).
	field := 0 // length of the format being read
	for i := 0; i < len(fmts); i++ {
		c := fmts[i]
		if c == ' ' {
			if field == 0 {
				return ml, "m= fields are separated by single spaces (RFC 8866 §9)"
			}
			field = 0
			continue
		}
		if !tokenChar[c] {
			return ml, "m= formats must be tokens (RFC 8866 §9 fmt)"
		}
		field++
	}
	return ml, ""
}

// isTokenPath reports whether s is token *("/" token) (RFC 8866 §9 proto).
func isTokenPath(s string) bool {
	field := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '/' {
			if field == 0 {
				return false
			}
			field = 0
			continue
		}
		if !tokenChar[c] {
			return false
		}
		field++
	}
	return field > 0
}
