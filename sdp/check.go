package sdp

import "strings"

// checkLine checks the fields of the lines whose structure the package
// relies on, per the grammar of RFC 8866 §9.
func checkLine(n int, l Line) error {
	v := l.Value
	switch l.Type {
	case 'o':
		// origin-field = "o=" username SP sess-id SP sess-version SP
		//                nettype SP addrtype SP unicast-address
		var f [6]string
		if !splitExact(v, f[:]) {
			return lineErr(n, l.String(), "o= needs 6 space-separated fields: username sess-id sess-version nettype addrtype address (RFC 8866 §5.2)")
		}
		if !isDigits(f[1]) || !isDigits(f[2]) {
			return lineErr(n, l.String(), "o= sess-id and sess-version must be digits (RFC 8866 §5.2)")
		}
	case 's':
		// session-name-field = "s=" text; text is 1*byte
		if v == "" {
			return lineErr(n, l.String(), "s= must not be empty; use s=- or s= (RFC 8866 §5.3)")
		}
	case 't':
		// time-fields = "t=" start-time SP stop-time
		a, b, ok := strings.Cut(v, " ")
		if !ok || !isDigits(a) || !isDigits(b) {
			return lineErr(n, l.String(), "t= needs <start-time> <stop-time>, both decimal (RFC 8866 §5.9)")
		}
	case 'r':
		// repeat-field = "r=" repeat-interval SP typed-time 1*(SP typed-time)
		fields := 0
		for f := range strings.SplitSeq(v, " ") {
			if !isTypedTime(f) {
				fields = 0
				break
			}
			fields++
		}
		if fields < 3 {
			return lineErr(n, l.String(), "r= needs <repeat interval> <active duration> <offsets>, each digits with an optional d/h/m/s (RFC 8866 §5.10)")
		}
	case 'z':
		// zone-field = "z=" time SP ["-"] typed-time *(SP time SP ["-"] typed-time)
		ok := v != ""
		for rest := v; ok && rest != ""; {
			var t, off string
			var more bool
			t, rest, _ = strings.Cut(rest, " ")
			off, rest, more = strings.Cut(rest, " ")
			ok = (!more || rest != "") && isDigits(t) && isTypedTime(strings.TrimPrefix(off, "-"))
		}
		if !ok {
			return lineErr(n, l.String(), "z= needs <adjustment time> [-]<offset> pairs (RFC 8866 §5.11)")
		}
	case 'k':
		// key-type = "prompt" / "clear:" text / "base64:" base64 / "uri:" uri
		// (RFC 8866 §5.12, obsolete but still grammar)
		method, key, hasKey := strings.Cut(v, ":")
		if !(v == "prompt" || hasKey && key != "" && (method == "clear" || method == "base64" || method == "uri")) {
			return lineErr(n, l.String(), "k= must be prompt, clear:, base64: or uri: (RFC 8866 §5.12)")
		}
	case 'c':
		// connection-field = "c=" nettype SP addrtype SP connection-address
		var f [3]string
		if !splitExact(v, f[:]) {
			return lineErr(n, l.String(), "c= needs <nettype> <addrtype> <connection-address> (RFC 8866 §5.7)")
		}
	case 'b':
		// bandwidth-field = "b=" bwtype ":" bandwidth
		t, bw, ok := strings.Cut(v, ":")
		if !ok || !isToken(t) || !isDigits(bw) {
			return lineErr(n, l.String(), "b= needs <bwtype>:<bandwidth> with a decimal bandwidth (RFC 8866 §5.8)")
		}
	case 'm':
		if _, err := parseMediaLine(v); err != "" {
			return lineErr(n, l.String(), err)
		}
	case 'a':
		// attribute = attribute-name [":" attribute-value]
		if !attrNameOK(v) {
			return lineErr(n, l.String(), "a= attribute name must be a non-empty token (RFC 8866 §5.13, §9)")
		}
	}
	return nil
}

// splitExact splits v at single spaces into exactly len(f) non-empty fields.
func splitExact(v string, f []string) bool {
	for i := range f {
		if i == len(f)-1 {
			if v == "" || strings.IndexByte(v, ' ') >= 0 {
				return false
			}
			f[i] = v
			return true
		}
		j := strings.IndexByte(v, ' ')
		if j <= 0 {
			return false
		}
		f[i], v = v[:j], v[j+1:]
	}
	return false
}

// isTypedTime reports typed-time = 1*DIGIT [fixed-len-time-unit], the unit
// one of d h m s (RFC 8866 §9).
func isTypedTime(s string) bool {
	if n := len(s); n > 1 && strings.IndexByte("dhms", s[n-1]) >= 0 {
		s = s[:n-1]
	}
	return isDigits(s)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// attrNameOK reports whether v starts with a non-empty token ended by ':'
// or the end of v, in one pass.
func attrNameOK(v string) bool {
	i := 0
	for i < len(v) && tokenChar[v[i]] { // one test per byte: ':' is no token-char
		i++
	}
	return i > 0 && (i == len(v) || v[i] == ':')
}

// tokenChar is token-char of RFC 8866 §9.
var tokenChar = func() (t [256]bool) {
	for c := 0x21; c < 0x7f; c++ {
		t[c] = true
	}
	for _, c := range "\"(),/:;<=>?@[\\]" {
		t[c] = false
	}
	return t
}()

// isToken reports whether s is a token (RFC 8866 §9: 1*token-char, i.e.
// visible ASCII except " ( ) , / : ; < = > ? @ [ \ ]).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenChar[s[i]] {
			return false
		}
	}
	return true
}
