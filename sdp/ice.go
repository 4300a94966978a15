package sdp

import (
	"iter"
	"strconv"
	"strings"
)

// ICELite reports a session-level a=ice-lite (RFC 8839 §5.3).
func (s *Session) ICELite() bool { return s.HasAttribute("ice-lite") }

// ICEOptions returns the a=ice-options value (RFC 8839 §5.6), media level
// first when m is not nil, else session level. The value is the
// space-separated option-tag list.
func (s *Session) ICEOptions(m *Media) (string, bool) {
	if m != nil {
		if v, ok := m.Attribute("ice-options"); ok {
			return v, true
		}
	}
	return s.Attribute("ice-options")
}

// ICEOptionTags splits an a=ice-options value into its option tags
// (RFC 8839 §5.6: ice-option-tag *(SP ice-option-tag), each tag
// 1*ice-char, here checked as a token as Validate does). Parts that are
// not tokens are returned in malformed instead, e.g. libdatachannel's
// "ice2,trickle" (comma-separated), so that the caller can ignore them as
// it ignores unknown options. Empty parts (double spaces) are malformed
// too. The strings reference v.
func ICEOptionTags(v string) (tags, malformed []string) {
	for part := range strings.SplitSeq(v, " ") {
		if isToken(part) {
			tags = append(tags, part)
		} else {
			malformed = append(malformed, part)
		}
	}
	return tags, malformed
}

// ICECredentials returns m's own a=ice-ufrag and a=ice-pwd (RFC 8839 §5.4).
func (m *Media) ICECredentials() (ufrag, pwd string, ok bool) {
	return iceCredentials(m.Lines)
}

// Candidate is an a=candidate value (RFC 8839 §5.1):
//
//	candidate:<foundation> <component-id> <transport> <priority>
//	  <connection-address> <port> typ <cand-type>
//	  [raddr <addr>] [rport <port>] *(<extension-att-name> <value>)
//
// Extensions holds the remaining "name value" pairs as written (for
// example "generation 0 network-id 1"); TCPType is extracted from them.
type Candidate struct {
	Foundation string
	Component  int
	Transport  string // "udp", "tcp", case kept as written
	Priority   uint32
	Address    string
	Port       int
	Type       string // host, srflx, prflx, relay
	RelAddr    string
	RelPort    int
	TCPType    string // active, passive, so (RFC 6544 §4.5)
	Extensions string
}

// ParseCandidate parses the value of an a=candidate line (without the
// "candidate:" prefix).
func ParseCandidate(v string) (Candidate, error) {
	var c Candidate
	const rule = "candidate needs <foundation> <component> <transport> <priority> <address> <port> typ <type> (RFC 8839 §5.1)"
	var f [8]string
	rest := v
	for i := range f {
		var ok bool
		f[i], rest, ok = strings.Cut(rest, " ")
		if f[i] == "" || (!ok && i < 7) {
			return c, errorString("sdp: a=candidate:" + v + ": " + rule)
		}
	}
	c.Foundation, c.Transport, c.Address, c.Type = f[0], f[2], f[4], f[7]
	// foundation = 1*32ice-char, component-id = 1*3DIGIT (and 1..256,
	// RFC 8445 §4), priority = 1*10DIGIT, transport and cand-type are
	// tokens, port = 1*5DIGIT (RFC 8839 §5.1, RFC 8866 §9).
	switch {
	case len(c.Foundation) > 32 || !isICEChars(c.Foundation, 1):
		return c, errorString("sdp: a=candidate:" + v + ": foundation must be 1-32 ice-chars (RFC 8839 §5.1)")
	case len(f[1]) > 3 || !isDigits(f[1]):
		return c, errorString("sdp: a=candidate:" + v + ": component-id must be 1-3 digits (RFC 8839 §5.1)")
	case len(f[3]) > 10 || !isDigits(f[3]):
		return c, errorString("sdp: a=candidate:" + v + ": priority must be 1-10 digits (RFC 8839 §5.1)")
	case !isToken(c.Transport) || !isToken(c.Type):
		return c, errorString("sdp: a=candidate:" + v + ": transport and candidate type must be tokens (RFC 8839 §5.1)")
	}
	comp, _ := strconv.Atoi(f[1])
	prio, err := strconv.ParseUint(f[3], 10, 32)
	port, ok := parsePort(f[5])
	if err != nil || comp < 1 || comp > 256 || !ok || f[6] != "typ" {
		return c, errorString("sdp: a=candidate:" + v + ": " + rule)
	}
	c.Component, c.Priority, c.Port = comp, uint32(prio), port
	c.Extensions = rest
	for rest != "" {
		var name, val string
		name, rest, _ = strings.Cut(rest, " ")
		val, rest, _ = strings.Cut(rest, " ")
		if name == "" || val == "" {
			return c, errorString("sdp: a=candidate:" + v + ": extension attributes come as <name> <value> pairs (RFC 8839 §5.1)")
		}
		switch name {
		case "raddr":
			c.RelAddr = val
		case "rport":
			p, ok := parsePort(val)
			if !ok {
				return c, errorString("sdp: a=candidate:" + v + ": rport must be a port number (RFC 8839 §5.1)")
			}
			c.RelPort = p
		case "tcptype":
			c.TCPType = val
		}
	}
	return c, nil
}

// parsePort parses port = 1*5DIGIT (RFC 8866 §9) up to 65535; unlike
// strconv.Atoi it refuses a sign.
func parsePort(v string) (int, bool) {
	if len(v) > 5 || !isDigits(v) {
		return 0, false
	}
	n, _ := strconv.Atoi(v)
	return n, n <= 65535
}

// AppendTo appends the candidate value (without "candidate:").
func (c Candidate) AppendTo(b []byte) []byte {
	b = append(b, c.Foundation...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(c.Component), 10)
	b = append(b, ' ')
	b = append(b, c.Transport...)
	b = append(b, ' ')
	b = strconv.AppendUint(b, uint64(c.Priority), 10)
	b = append(b, ' ')
	b = append(b, c.Address...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(c.Port), 10)
	b = append(b, " typ "...)
	b = append(b, c.Type...)
	if c.Extensions != "" {
		b = append(b, ' ')
		b = append(b, c.Extensions...)
		return b
	}
	if c.RelAddr != "" {
		b = append(b, " raddr "...)
		b = append(b, c.RelAddr...)
		b = append(b, " rport "...)
		b = strconv.AppendInt(b, int64(c.RelPort), 10)
	}
	if c.TCPType != "" {
		b = append(b, " tcptype "...)
		b = append(b, c.TCPType...)
	}
	return b
}

// String returns the candidate value (without "candidate:").
func (c Candidate) String() string { return string(c.AppendTo(nil)) }

// Candidates yields m's a=candidate lines that parse (RFC 8839 §5.1);
// Validate reports the ones that do not.
func (m *Media) Candidates() iter.Seq[Candidate] {
	return func(yield func(Candidate) bool) {
		for _, l := range m.Lines {
			if v, ok := l.attrValue("candidate"); ok {
				if c, err := ParseCandidate(v); err == nil && !yield(c) {
					return
				}
			}
		}
	}
}

// EndOfCandidates reports a=end-of-candidates in m (RFC 8840 §8.2).
func (m *Media) EndOfCandidates() bool { return m.HasAttribute("end-of-candidates") }
