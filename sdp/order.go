package sdp

// Line order of RFC 8866 §5 / §9:
//
//	session:  v o s [i] [u] *e *p [c] *b 1*time-description [k] *a
//	time-description:  t [1*r [z]]
//	media:    m [i] *c *b [k] *a
//
// Unlike RFC 4566, whose one z= followed all time descriptions, RFC 8866
// §9 puts z= inside a time description, after at least one r= line
// (repeat-description = 1*repeat-field [zone-field]); so t r z t is valid
// and t z is not. k= is obsolete (§5.12) but still grammar: it is kept in
// its place and round-trips.
//
// Each letter gets a rank; ranks may not decrease, and a letter that may
// appear once may not repeat. §5: "when present, they must appear in exactly
// the order given here". t, r and z share the time-description rank.
var sessionRank = [256]int8{'v': 1, 'o': 2, 's': 3, 'i': 4, 'u': 5, 'e': 6, 'p': 7, 'c': 8, 'b': 9, 't': 10, 'r': 10, 'z': 10, 'k': 11, 'a': 12}

var mediaRank = [256]int8{'m': 1, 'i': 2, 'c': 3, 'b': 4, 'k': 5, 'a': 6}

// repeatable letters may occur more than once in their section.
var repeatable = [256]bool{'e': true, 'p': true, 'b': true, 't': true, 'r': true, 'a': true, 'c': true}

type orderState struct {
	inMedia bool
	last    byte // type of the previous line in this section
	rank    int8
	sawT    bool
}

func (st *orderState) next(n int, l Line) error {
	if l.Type == 'a' && st.last == 'a' {
		return nil // the common case: another attribute
	}
	text := l.String
	if st.last == 0 && !st.inMedia {
		if l.Type != 'v' {
			return lineErr(n, text(), "first line must be v= (RFC 8866 §5.1)")
		}
		if l.Value != "0" {
			return lineErr(n, text(), "v= must be 0 (RFC 8866 §5.1)")
		}
		st.last, st.rank = 'v', 1
		return nil
	}
	if l.Type == 'm' {
		if !st.inMedia {
			if err := st.sessionDone(n, l); err != nil {
				return err
			}
		}
		st.inMedia, st.last, st.rank = true, 'm', 1
		return nil
	}
	table := &sessionRank
	section := "session"
	if st.inMedia {
		table, section = &mediaRank, "media"
	}
	r := table[l.Type]
	if r == 0 {
		if knownLetter(l.Type) {
			return lineErr(n, text(), string(l.Type)+"= is not allowed at "+section+" level (RFC 8866 §5)")
		}
		return lineErr(n, text(), "unknown type letter "+string(l.Type)+"; a parser must not accept it (RFC 8866 §5)")
	}
	switch {
	case st.rank < 2 && !st.inMedia && l.Type != 'o':
		return lineErr(n, text(), "second line must be o= (RFC 8866 §5.2)")
	case st.rank < 3 && !st.inMedia && l.Type != 'o' && l.Type != 's':
		return lineErr(n, text(), "third line must be s= (RFC 8866 §5.3)")
	case r < st.rank:
		return lineErr(n, text(), string(l.Type)+"= after "+string(st.last)+"= breaks the line order (RFC 8866 §5)")
	case r == st.rank && l.Type == st.last && !repeatable[l.Type]:
		return lineErr(n, text(), "repeated "+string(l.Type)+"= line (RFC 8866 §5)")
	case r == st.rank && l.Type != st.last && !(l.Type == 't' || l.Type == 'r' || l.Type == 'z'):
		return lineErr(n, text(), string(l.Type)+"= after "+string(st.last)+"= breaks the line order (RFC 8866 §5)")
	case l.Type == 'r' && st.last != 't' && st.last != 'r':
		return lineErr(n, text(), "r= must follow a t= line (RFC 8866 §5.10)")
	case l.Type == 'z' && st.last != 'r':
		return lineErr(n, text(), "z= must follow the r= lines of its t= (RFC 8866 §9 repeat-description = 1*repeat-field [zone-field])")
	case !st.inMedia && r > sessionRank['t'] && !st.sawT:
		return lineErr(n, text(), "missing t= line before "+string(l.Type)+"= (RFC 8866 §5.9)")
	}
	if l.Type == 't' {
		st.sawT = true
	}
	st.last, st.rank = l.Type, r
	return nil
}

func (st *orderState) sessionDone(n int, l Line) error {
	rule := ""
	switch {
	case st.rank < 2:
		rule = "second line must be o= (RFC 8866 §5.2)"
	case st.rank < 3:
		rule = "third line must be s= (RFC 8866 §5.3)"
	case !st.sawT:
		rule = "missing t= line in the session section (RFC 8866 §5.9)"
	default:
		return nil
	}
	text := ""
	if l.Type != 0 {
		text = l.String()
	}
	return lineErr(n, text, rule)
}

func (st *orderState) end(n int) error {
	if st.inMedia {
		return nil
	}
	return st.sessionDone(n, Line{})
}

func knownLetter(c byte) bool { return sessionRank[c] != 0 || mediaRank[c] != 0 }
