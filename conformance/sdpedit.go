package conformance

import (
	"bytes"
	"strings"
)

// sdpText is an SDP split into its session part and m= sections, line by
// line, keeping the line ending of the input (RFC 8866 §5 wants CRLF; LF
// is accepted). The derivations edit descriptions at this level so that
// every line they do not touch stays byte for byte as captured.
type sdpText struct {
	eol      string
	head     []string
	sections [][]string // each starts with its m= line
}

func splitSDP(b []byte) sdpText {
	t := sdpText{eol: "\n"}
	if bytes.Contains(b, []byte("\r\n")) {
		t.eol = "\r\n"
	}
	text := strings.TrimSuffix(string(b), t.eol)
	for _, l := range strings.Split(text, t.eol) {
		if strings.HasPrefix(l, "m=") {
			t.sections = append(t.sections, []string{l})
			continue
		}
		if n := len(t.sections); n > 0 {
			t.sections[n-1] = append(t.sections[n-1], l)
		} else {
			t.head = append(t.head, l)
		}
	}
	return t
}

func (t sdpText) bytes() []byte {
	var b strings.Builder
	for _, l := range t.head {
		b.WriteString(l + t.eol)
	}
	for _, s := range t.sections {
		for _, l := range s {
			b.WriteString(l + t.eol)
		}
	}
	return []byte(b.String())
}

// kind is a section's media type (RFC 8866 §5.14).
func sectionKind(s []string) string {
	k, _, _ := strings.Cut(strings.TrimPrefix(s[0], "m="), " ")
	return k
}

// sectionMID is a section's a=mid (RFC 9143 §4), "" if none.
func sectionMID(s []string) string {
	for _, l := range s {
		if v, ok := strings.CutPrefix(l, "a=mid:"); ok {
			return v
		}
	}
	return ""
}

// sectionFormats are the formats of a section's m= line.
func sectionFormats(s []string) []string {
	f := strings.Fields(s[0])
	if len(f) < 4 {
		return nil
	}
	return f[3:]
}

// keepSections keeps the sections for which keep is true and removes the
// others' mids from every a=group line (RFC 5888 §5, RFC 9143 §7).
func (t *sdpText) keepSections(keep func(sec []string) bool) {
	dropped := map[string]bool{}
	var kept [][]string
	for _, s := range t.sections {
		if keep(s) {
			kept = append(kept, s)
		} else if mid := sectionMID(s); mid != "" {
			dropped[mid] = true
		}
	}
	t.sections = kept
	for i, l := range t.head {
		v, ok := strings.CutPrefix(l, "a=group:")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		out := f[:1]
		for _, mid := range f[1:] {
			if !dropped[mid] {
				out = append(out, mid)
			}
		}
		t.head[i] = "a=group:" + strings.Join(out, " ")
	}
}

// replaceLines rewrites every line (session part and sections) equal to old.
func (t *sdpText) replaceLines(old, new string) {
	for i, l := range t.head {
		if l == old {
			t.head[i] = new
		}
	}
	for _, s := range t.sections {
		for i, l := range s {
			if l == old {
				s[i] = new
			}
		}
	}
}

// dropLines removes every session-level line equal to line.
func (t *sdpText) dropSessionLine(line string) {
	var out []string
	for _, l := range t.head {
		if l != line {
			out = append(out, l)
		}
	}
	t.head = out
}

// swapSourceLines moves, section by section, the lines that declare what a
// side sends (a=ssrc, a=ssrc-group (RFC 5576), a=msid (RFC 8830),
// a=simulcast and a=rid (RFC 8853, RFC 8851)) from one description to the
// other. a=simulcast and a=rid name their direction ("send"/"recv") from
// the writer's point of view, so moving them to the other side's
// description is exactly right when that side now sends what they describe.
func swapSourceLines(a, b *sdpText) {
	isSource := func(l string) bool {
		for _, p := range []string{"a=ssrc:", "a=ssrc-group:", "a=msid:", "a=simulcast:", "a=rid:"} {
			if strings.HasPrefix(l, p) {
				return true
			}
		}
		return false
	}
	split := func(s []string) (rest, src []string) {
		for _, l := range s {
			if isSource(l) {
				src = append(src, l)
			} else {
				rest = append(rest, l)
			}
		}
		return rest, src
	}
	for i := 0; i < len(a.sections) && i < len(b.sections); i++ {
		ra, sa := split(a.sections[i])
		rb, sb := split(b.sections[i])
		a.sections[i] = append(ra, sb...)
		b.sections[i] = append(rb, sa...)
	}
}

// swapFingerprints exchanges the two descriptions' a=fingerprint values
// (RFC 8122 §5) wherever they appear, session level or in a section, so
// that each side's description names the certificate it now sends when
// the DTLS traffic is mirrored. Only the first value of each side is
// exchanged (a description with several lists its others unchanged).
func swapFingerprints(a, b *sdpText) {
	first := func(t *sdpText) string {
		for _, l := range t.head {
			if v, ok := strings.CutPrefix(l, "a=fingerprint:"); ok {
				return v
			}
		}
		for _, s := range t.sections {
			for _, l := range s {
				if v, ok := strings.CutPrefix(l, "a=fingerprint:"); ok {
					return v
				}
			}
		}
		return ""
	}
	fa, fb := first(a), first(b)
	if fa == "" || fb == "" {
		return
	}
	a.replaceLines("a=fingerprint:"+fa, "a=fingerprint:"+fb)
	b.replaceLines("a=fingerprint:"+fb, "a=fingerprint:"+fa)
}
