package sdp

import (
	"slices"
	"strconv"
	"strings"
)

// attrLevel says where an attribute may appear, from its defining RFC.
type attrLevel uint8

const (
	levelAny attrLevel = iota
	levelSession
	levelMedia
)

type attrRule struct {
	level attrLevel
	once  bool   // at most one per section
	ref   string // the RFC section defining the attribute
}

// attrRules lists the attributes WebRTC uses, with their usage level
// (the IANA "att-field" registry's usage level, from each RFC).
var attrRules = map[string]attrRule{
	"ice-lite":           {levelSession, true, "RFC 8839 §5.3"},
	"group":              {levelSession, false, "RFC 5888 §5"},
	"msid-semantic":      {levelSession, false, "draft-ietf-mmusic-msid-16 (pre-RFC 8830)"},
	"ice-ufrag":          {levelAny, true, "RFC 8839 §5.4"},
	"ice-pwd":            {levelAny, true, "RFC 8839 §5.4"},
	"ice-options":        {levelAny, true, "RFC 8839 §5.6"},
	"fingerprint":        {levelAny, false, "RFC 8122 §5"},
	"setup":              {levelAny, true, "RFC 4145 §4"},
	"extmap":             {levelAny, false, "RFC 8285 §8"},
	"extmap-allow-mixed": {levelAny, true, "RFC 8285 §6"},
	"end-of-candidates":  {levelAny, true, "RFC 8840 §8.2"},
	"candidate":          {levelMedia, false, "RFC 8839 §5.1"},
	"remote-candidates":  {levelMedia, false, "RFC 8839 §5.2"},
	"ice-mismatch":       {levelMedia, true, "RFC 8839 §5.5"},
	"mid":                {levelMedia, true, "RFC 5888 §4"},
	"msid":               {levelMedia, false, "RFC 8830 §2"},
	"rtcp":               {levelMedia, true, "RFC 3605 §2.1"},
	"rtcp-fb":            {levelMedia, false, "RFC 4585 §4.2"},
	"rtcp-mux":           {levelMedia, true, "RFC 5761 §5.1.1"},
	"rtcp-mux-only":      {levelMedia, true, "RFC 8858 §3"},
	"rtcp-rsize":         {levelMedia, true, "RFC 5506 §5"},
	"rtpmap":             {levelMedia, false, "RFC 8866 §6.6"},
	"fmtp":               {levelMedia, false, "RFC 8866 §6.15"},
	"ptime":              {levelMedia, true, "RFC 8866 §6.4"},
	"maxptime":           {levelMedia, true, "RFC 8866 §6.5"},
	"imageattr":          {levelMedia, false, "RFC 6236 §3.1"},
	"label":              {levelMedia, true, "RFC 4574 §4"},
	"sctpmap":            {levelMedia, false, "draft-ietf-mmusic-sctp-sdp-05"},
	"sctp-port":          {levelMedia, true, "RFC 8841 §5.1"},
	"max-message-size":   {levelMedia, true, "RFC 8841 §6.1"},
	"ssrc":               {levelMedia, false, "RFC 5576 §4.1"},
	"ssrc-group":         {levelMedia, false, "RFC 5576 §4.2"},
	"rid":                {levelMedia, false, "RFC 8851 §10"},
	"simulcast":          {levelMedia, true, "RFC 8853 §5.1"},
	"bundle-only":        {levelMedia, true, "RFC 9143 §6"},
}

// Validate checks the attributes this package gives typed access to,
// beyond the RFC 8866 grammar Parse enforces: each at the level its RFC
// allows, not repeated where its RFC allows one, values that parse, mids
// unique (RFC 5888 §4) and one direction attribute per section (RFC 3264
// §5.1). Unknown attributes pass. The error is a *ParseError naming the
// line.
func (s *Session) Validate() error { return s.ValidateExcept() }

// ValidateExcept is Validate without the value checks of the named
// attributes: their level and repetition are still checked, their values
// not. A server that must work with peers that write an attribute it does
// not use wrongly names it here and reads it with a tolerant accessor: an
// SFU ignores a=ice-options it cannot read (RFC 8839 §5.6 already says to
// ignore unknown options; libdatachannel writes "ice2,trickle"), see
// ICEOptionTags.
func (s *Session) ValidateExcept(attrs ...string) error {
	if err := validateSection(s.SessionLines(), 0, false, attrs); err != nil {
		return err
	}
	var mids map[string]bool
	for i := range s.Media {
		m := &s.Media[i]
		if err := validateSection(m.Lines, m.Start, true, attrs); err != nil {
			return err
		}
		if mid, ok := m.MID(); ok {
			if mids == nil {
				mids = make(map[string]bool, len(s.Media))
			}
			if mids[mid] {
				n := m.Start + 1
				for k, l := range m.Lines {
					if l.IsAttribute("mid") {
						n = m.Start + k + 1
					}
				}
				return lineErr(n, "a=mid:"+mid, "mid "+strconv.Quote(mid)+" repeats an earlier m= section's (RFC 5888 §4)")
			}
			mids[mid] = true
		}
	}
	return nil
}

func validateSection(lines []Line, start int, media bool, skipValue []string) error {
	var seen map[string]bool
	sawDirection := false
	for i, l := range lines {
		if l.Type != 'a' {
			continue
		}
		n := start + i + 1
		name, value, hasValue := l.Attribute()
		if Direction(name).Valid() {
			if hasValue {
				return lineErr(n, l.String(), "a="+name+" takes no value (RFC 8866 §6.7)")
			}
			if sawDirection {
				return lineErr(n, l.String(), "more than one direction attribute (RFC 3264 §5.1)")
			}
			sawDirection = true
			continue
		}
		r, known := attrRules[name]
		if !known {
			continue
		}
		switch {
		case r.level == levelSession && media:
			return lineErr(n, l.String(), "a="+name+" is a session-level attribute ("+r.ref+")")
		case r.level == levelMedia && !media:
			return lineErr(n, l.String(), "a="+name+" is a media-level attribute ("+r.ref+")")
		}
		if r.once {
			if seen[name] {
				return lineErr(n, l.String(), "a="+name+" may appear once per section ("+r.ref+")")
			}
			if seen == nil {
				seen = make(map[string]bool)
			}
			seen[name] = true
		}
		if slices.Contains(skipValue, name) {
			continue
		}
		if msg := checkAttrValue(name, value, hasValue); msg != "" {
			if !strings.Contains(msg, "(RFC") {
				msg += " (" + r.ref + ")"
			}
			return lineErr(n, l.String(), msg)
		}
	}
	return nil
}

// checkAttrValue returns the broken rule for a typed attribute's value, or "".
func checkAttrValue(name, v string, hasValue bool) string {
	errMsg := func(err error) string {
		return strings.TrimPrefix(err.Error(), "sdp: ")
	}
	switch name {
	case "ice-lite", "rtcp-mux", "rtcp-mux-only", "rtcp-rsize", "bundle-only", "end-of-candidates", "ice-mismatch", "extmap-allow-mixed":
		if hasValue {
			return "a=" + name + " takes no value"
		}
	case "ice-ufrag":
		if !isICEChars(v, 4) {
			return "ice-ufrag must be 4-256 ice-chars (ALPHA / DIGIT / + /)"
		}
	case "ice-options":
		// ice-options = "ice-options:" ice-option-tag *(SP ice-option-tag)
		// (RFC 8839 §5.6). The tags are checked as tokens, not 1*ice-char:
		// libwebrtc and JsSIP send "google-ice".
		if !hasValue {
			return "a=ice-options needs one or more option tags"
		}
		for tag := range strings.SplitSeq(v, " ") {
			if !isToken(tag) {
				return "a=ice-options tags are tokens separated by single spaces"
			}
		}
	case "ice-pwd":
		if !isICEChars(v, 22) {
			return "ice-pwd must be 22-256 ice-chars (ALPHA / DIGIT / + /)"
		}
	case "candidate":
		if _, err := ParseCandidate(v); err != nil {
			return errMsg(err)
		}
	case "fingerprint":
		if _, err := ParseFingerprint(v); err != nil {
			return errMsg(err)
		}
	case "setup":
		if !Setup(v).Valid() {
			return "a=setup must be active, passive, actpass or holdconn"
		}
	case "mid":
		if !isToken(v) {
			return "a=mid identification-tag must be a token"
		}
	case "group":
		if _, err := ParseGroup(v); err != nil {
			return errMsg(err)
		}
	case "rtpmap":
		if _, err := ParseRTPMap(v); err != nil {
			return errMsg(err)
		}
	case "fmtp":
		if f, p, ok := strings.Cut(v, " "); !ok || f == "" || p == "" {
			return "a=fmtp needs <format> <format specific parameters>"
		}
	case "rtcp-fb":
		f, t, _ := strings.Cut(v, " ")
		if f != "*" {
			if _, err := parsePT(f); err != nil {
				return "a=rtcp-fb needs a payload type or * then a feedback type"
			}
		}
		if typ, _, _ := strings.Cut(t, " "); !isToken(typ) {
			return "a=rtcp-fb needs a payload type or * then a feedback type"
		}
	case "extmap":
		if _, err := ParseExtMap(v); err != nil {
			return errMsg(err)
		}
	case "msid":
		if !msidOK(v) {
			return "a=msid needs <msid-id> [<msid-appdata>], each 1-64 token chars"
		}
	case "ssrc":
		if _, err := ParseSSRC(v); err != nil {
			return errMsg(err)
		}
	case "ssrc-group":
		sem, ids, _ := strings.Cut(v, " ")
		if !isToken(sem) {
			return "a=ssrc-group needs <semantics> *(SP <ssrc-id>)"
		}
		for id := range fields(ids) {
			if _, err := strconv.ParseUint(id, 10, 32); err != nil {
				return "a=ssrc-group ssrc-id must be a 32-bit decimal"
			}
		}
	case "rid":
		if _, err := ParseRID(v); err != nil {
			return errMsg(err)
		}
	case "simulcast":
		if _, err := ParseSimulcast(strings.TrimLeft(v, " ")); err != nil {
			return errMsg(err)
		}
	case "sctp-port":
		if _, ok := parsePort(v); !ok {
			return "a=sctp-port must be a port number"
		}
	case "max-message-size":
		if !isDigits(v) {
			return "a=max-message-size must be decimal"
		}
	case "imageattr":
		pt, rest, _ := strings.Cut(v, " ")
		dir, _, _ := strings.Cut(strings.TrimLeft(rest, " "), " ")
		if pt != "*" && !isDigits(pt) || dir != "send" && dir != "recv" {
			return "a=imageattr needs <PT or *> (send|recv) ..."
		}
	}
	return ""
}

// isICEChars reports whether s is min..256 ice-chars (RFC 8839 §5.4).
func isICEChars(s string, min int) bool {
	if len(s) < min || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
			return false
		}
	}
	return true
}
