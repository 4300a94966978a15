package lint

import (
	"fmt"
	"sort"
	"strings"
)

// Verdict is a rule's outcome for one direction.
type Verdict string

// The verdicts, in rising severity. The strings are part of rtclint's JSON
// output.
const (
	NotApplicable Verdict = "n/a"      // the session has nothing the rule is about
	Pass          Verdict = "pass"     // the rule held for everything it applies to
	Warn          Verdict = "warn"     // a SHOULD was not followed
	Violated      Verdict = "violated" // a MUST was broken
)

func (v Verdict) severity() int {
	switch v {
	case Pass:
		return 1
	case Warn:
		return 2
	case Violated:
		return 3
	}
	return 0
}

// Result is one rule's verdict for one direction. The JSON field names are
// rtclint's output contract.
type Result struct {
	Rule string `json:"rule"`
	RFC  string `json:"rfc"`
	// Direction is "offerer->answerer", "answerer->offerer" (the sender's
	// datagrams), or "session" for rules about the descriptions or the
	// handshake as a whole.
	Direction string  `json:"direction"`
	Verdict   Verdict `json:"verdict"`
	// Packets are the frame numbers (as Wireshark numbers them) of the
	// datagrams that broke the rule, or of the ones that warned.
	Packets []int  `json:"packets"`
	Detail  string `json:"detail"`
}

func (r Result) String() string {
	s := fmt.Sprintf("%-9s %-30s %-18s %-22s %s", r.Verdict, r.Rule, r.Direction, r.RFC, r.Detail)
	if len(r.Packets) > 0 {
		s += " (frames " + frames(r.Packets, 12) + ")"
	}
	return s
}

// frames lists up to n frame numbers.
func frames(p []int, n int) string {
	var b strings.Builder
	for i, f := range p {
		if i == n {
			fmt.Fprintf(&b, ", … %d more", len(p)-n)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, f)
	}
	return b.String()
}

// Direction labels.
const (
	FromOfferer  = "offerer->answerer"
	FromAnswerer = "answerer->offerer"
	WholeSession = "session"
)

// finding collects what one rule saw in one direction.
type finding struct {
	rule       Rule
	dir        string
	violations []note
	warnings   []note
	checked    int    // items the rule applied to
	passDetail string // what held, for a pass
	naDetail   string // why nothing applied
}

type note struct {
	frame  int
	detail string
}

func newFinding(r Rule, dir string) *finding { return &finding{rule: r, dir: dir} }

func (f *finding) violate(frame int, format string, a ...any) {
	f.violations = append(f.violations, note{frame, fmt.Sprintf(format, a...)})
}

func (f *finding) warn(frame int, format string, a ...any) {
	f.warnings = append(f.warnings, note{frame, fmt.Sprintf(format, a...)})
}

// maxDetails is how many distinct findings a detail spells out.
const maxDetails = 3

func (f *finding) result() Result {
	r := Result{Rule: f.rule.Name, RFC: f.rule.RFC, Direction: f.dir, Packets: []int{}}
	pick := func(ns []note, what string) string {
		var parts []string
		seen := map[string]bool{}
		for _, n := range ns {
			if n.frame > 0 {
				r.Packets = append(r.Packets, n.frame)
			}
			if !seen[n.detail] && len(parts) < maxDetails {
				seen[n.detail] = true
				parts = append(parts, n.detail)
			}
		}
		sort.Ints(r.Packets)
		r.Packets = compactInts(r.Packets)
		s := fmt.Sprintf("%d %s: %s", len(ns), what, strings.Join(parts, "; "))
		if len(seen) > len(parts) || len(ns) > len(parts) {
			s += "; …"
		}
		return s
	}
	switch {
	case len(f.violations) > 0:
		r.Verdict = Violated
		r.Detail = pick(f.violations, "violation(s)")
	case len(f.warnings) > 0:
		r.Verdict = Warn
		r.Detail = pick(f.warnings, "deviation(s) from a SHOULD")
	case f.checked > 0:
		r.Verdict = Pass
		r.Detail = f.passDetail
	default:
		r.Verdict = NotApplicable
		r.Detail = f.naDetail
	}
	return r
}

func compactInts(s []int) []int {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// Worst returns the most severe verdict among results (NotApplicable for none).
func Worst(results []Result) Verdict {
	w := NotApplicable
	for _, r := range results {
		if r.Verdict.severity() > w.severity() {
			w = r.Verdict
		}
	}
	return w
}

// ByRule returns the results of one rule.
func ByRule(results []Result, rule string) []Result {
	var out []Result
	for _, r := range results {
		if r.Rule == rule {
			out = append(out, r)
		}
	}
	return out
}

// Passing lists the rules that passed in at least one direction and were
// violated or warned in none.
func Passing(results []Result) []string {
	worst := map[string]Verdict{}
	var order []string
	for _, r := range results {
		w, ok := worst[r.Rule]
		if !ok {
			order = append(order, r.Rule)
			w = NotApplicable
		}
		if r.Verdict.severity() > w.severity() {
			worst[r.Rule] = r.Verdict
		} else {
			worst[r.Rule] = w
		}
	}
	var out []string
	for _, name := range order {
		if worst[name] == Pass {
			out = append(out, name)
		}
	}
	return out
}
