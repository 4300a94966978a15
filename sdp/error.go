package sdp

import "strconv"

// ParseError reports a line that breaks a rule. Line is 1-based and counts
// every line of the input, as an editor would.
type ParseError struct {
	Line int    // 1-based line number
	Text string // the offending line (truncated), or "" at end of input
	Rule string // the rule broken, ending with its RFC reference
}

func (e *ParseError) Error() string {
	s := "sdp: line " + strconv.Itoa(e.Line)
	if e.Text != "" {
		t := e.Text
		if len(t) > 60 {
			t = t[:60] + "..."
		}
		s += " " + strconv.Quote(t)
	}
	return s + ": " + e.Rule
}

func lineErr(n int, text, rule string) error {
	return &ParseError{Line: n, Text: text, Rule: rule}
}

// ErrShortBuffer is returned by MarshalTo when the buffer is too small.
var ErrShortBuffer = errorString("sdp: buffer too short for MarshalSize")

type errorString string

func (e errorString) Error() string { return string(e) }
