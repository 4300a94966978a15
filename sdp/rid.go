package sdp

import (
	"iter"
	"strings"
)

// RID is an a=rid value (RFC 8851 §10):
// <rid-id> SP ("send" / "recv") [SP <rid-pt-param-list>].
type RID struct {
	ID        string
	Direction string // "send" or "recv"
	Params    string // "pt=97;max-width=1280", kept as written
}

// ParseRID parses an a=rid value.
func ParseRID(v string) (RID, error) {
	id, rest, _ := strings.Cut(v, " ")
	dir, params, _ := strings.Cut(rest, " ")
	if !isRIDID(id) {
		return RID{}, errorString("sdp: a=rid id must be 1*(ALPHA / DIGIT / \"-\" / \"_\") (RFC 8851 §10)")
	}
	if dir != "send" && dir != "recv" {
		return RID{}, errorString("sdp: a=rid direction must be send or recv (RFC 8851 §10)")
	}
	if rest != "" && strings.HasSuffix(rest, " ") || params != "" && !ridParamsOK(params) {
		return RID{}, errorString("sdp: a=rid restrictions must be [pt=<fmt>*(,<fmt>)] then ;-separated <name>[=<value>] (RFC 8851 §10)")
	}
	return RID{ID: id, Direction: dir, Params: params}, nil
}

// ridParamsOK checks rid-pt-param-list / rid-param-list (RFC 8851 §10):
// an optional leading "pt=" fmt *("," fmt), then rid-params
// 1*(ALPHA / DIGIT / "-") ["=" param-val], param-val printable without ';'.
// The numeric restrictions of §5 (max-width, max-height, max-fs, max-br,
// max-pps) must be decimal.
func ridParamsOK(params string) bool {
	for i, p := range strings.Split(params, ";") {
		name, val, _ := strings.Cut(p, "=")
		if name == "" || !isRIDParamName(name) {
			return false
		}
		for j := 0; j < len(val); j++ {
			if val[j] < 0x20 || val[j] > 0x7e {
				return false
			}
		}
		switch name {
		case "pt":
			if i != 0 {
				return false // §10: rid-fmt-list comes first
			}
			for f := range strings.SplitSeq(val, ",") {
				if !isToken(f) {
					return false
				}
			}
		case "max-width", "max-height", "max-fs", "max-br", "max-pps":
			if !isDigits(val) {
				return false
			}
		}
	}
	return true
}

func isRIDParamName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// PayloadTypes returns the formats of the rid's "pt=" restriction
// (RFC 8851 §4), "" when it has none.
func (r RID) PayloadTypes() string {
	if v, ok := strings.CutPrefix(r.Params, "pt="); ok {
		v, _, _ = strings.Cut(v, ";")
		return v
	}
	return ""
}

func isRIDID(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// RIDs yields m's a=rid lines that parse.
func (m *Media) RIDs() iter.Seq[RID] {
	return func(yield func(RID) bool) {
		for _, l := range m.Lines {
			if v, ok := l.attrValue("rid"); ok {
				if r, err := ParseRID(v); err == nil && !yield(r) {
					return
				}
			}
		}
	}
}
