package sdp_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/sdp"
)

// reparse rebuilds a session from edited lines.
func reparse(t *testing.T, lines []sdp.Line) *sdp.Session {
	t.Helper()
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.String() + "\r\n")
	}
	s, err := sdp.Parse([]byte(b.String()))
	if err != nil {
		t.Fatalf("mutated SDP does not parse: %v", err)
	}
	return s
}

// TestAnswerCheckerCatchesBrokenAnswers: the rule checker is only worth
// something if it fails on answers that break JSEP. Each mutation of a
// valid answer must be reported with the named rule.
func TestAnswerCheckerCatchesBrokenAnswers(t *testing.T) {
	forEachCorpusSDP(t, func(t *testing.T, s corpusSDP) {
		offer, err := sdp.Parse(s.browserOffer(t))
		if err != nil {
			t.Fatal(err)
		}
		cfg := testConfig()
		cfg.StrictBundle = true
		good, err := sdp.Answer(offer, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if errs := checkAnswer(offer, good, true, true); len(errs) != 0 {
			t.Fatalf("baseline answer fails: %v", errs)
		}
		edit := func(fn func(l sdp.Line) (sdp.Line, bool)) *sdp.Session {
			var out []sdp.Line
			for _, l := range good.Lines {
				if nl, keep := fn(l); keep {
					out = append(out, nl)
				}
			}
			return reparse(t, out)
		}
		// Mutations need a second m= section, an RTP section or extmap
		// lines only when they touch one; a mutation that leaves the
		// answer as it was is reported as not applicable, not run.
		secondStart := -1
		if len(good.Media) > 1 {
			secondStart = good.Media[1].Start
		}
		insertInSecond := func(l sdp.Line) *sdp.Session {
			if secondStart < 0 {
				return good
			}
			lines := append([]sdp.Line{}, good.Lines[:secondStart+2]...)
			lines = append(lines, l)
			return reparse(t, append(lines, good.Lines[secondStart+2:]...))
		}
		mutations := []struct {
			name, want string
			bad        *sdp.Session
		}{
			{"drop last m= section", "RFC 3264 §6", reparse(t, good.Lines[:good.Media[len(good.Media)-1].Start])},
			{"no ice-lite", "RFC 8839 §5.3", edit(func(l sdp.Line) (sdp.Line, bool) { return l, l.Value != "ice-lite" })},
			{"setup actpass", "active or passive", edit(func(l sdp.Line) (sdp.Line, bool) {
				if l.IsAttribute("setup") {
					l.Value = "setup:actpass"
				}
				return l, true
			})},
			{"proto changed", "RFC 9429 §5.3.1", edit(func(l sdp.Line) (sdp.Line, bool) {
				if l.Type == 'm' {
					l.Value = strings.Replace(l.Value, "UDP/TLS/RTP/SAVPF", "RTP/SAVPF", 1)
				}
				return l, true
			})},
			{"group without the last mid", "missing from the answer group", edit(func(l sdp.Line) (sdp.Line, bool) {
				if l.IsAttribute("group") {
					l.Value = l.Value[:strings.LastIndexByte(l.Value, ' ')]
				}
				return l, true
			})},
			{"format not offered", "was not offered", edit(func(l sdp.Line) (sdp.Line, bool) {
				if l.Type == 'm' && strings.Contains(l.Value, "RTP/SAVPF") {
					l.Value += " 77"
				}
				return l, true
			})},
			{"extmap id changed", "RFC 8285 §6", edit(func(l sdp.Line) (sdp.Line, bool) {
				if strings.HasPrefix(l.Value, "extmap:") {
					l.Value = "extmap:14" + l.Value[strings.IndexByte(l.Value, ' '):]
				}
				return l, true
			})},
			{"ICE credentials in a bundled section", "RFC 9429 §5.3.2", func() *sdp.Session {
				if secondStart < 0 {
					return good
				}
				lines := append([]sdp.Line{}, good.Lines[:secondStart+2]...)
				lines = append(lines, sdp.Line{Type: 'a', Value: "ice-ufrag:srvUfrag"}, sdp.Line{Type: 'a', Value: "ice-pwd:srvPasswordSrvPassword1234"})
				return reparse(t, append(lines, good.Lines[secondStart+2:]...))
			}()},
			{"bundle-only in an answer", "bundle-only", insertInSecond(sdp.Line{Type: 'a', Value: "bundle-only"})},
		}
		if len(good.Media) < 2 {
			// Dropping the only section leaves no m= line to compare.
			mutations = mutations[1:]
		}
		// Without StrictBundle repeated transport attributes must at least
		// match the tagged section's.
		loose, err := sdp.Answer(offer, testConfig())
		if err != nil {
			t.Fatal(err)
		}
		if errs := checkAnswer(offer, loose, true, false); len(errs) != 0 {
			t.Fatalf("baseline non-strict answer fails: %v", errs)
		}
		if len(loose.Media) > 1 {
			var other []sdp.Line
			for i, l := range loose.Lines {
				if i > loose.Media[1].Start && l.IsAttribute("ice-ufrag") {
					l.Value = "ice-ufrag:other"
				}
				other = append(other, l)
			}
			if errs := checkAnswer(offer, reparse(t, other), true, false); !strings.Contains(strings.Join(errs, "\n"), "RFC 8859 §5.2") {
				t.Errorf("differing ufrag in a bundled section: checker said %q", errs)
			}
		}
		for _, m := range mutations {
			if string(m.bad.Marshal()) == string(good.Marshal()) {
				t.Logf("%s: not applicable to this answer (%d m= sections)", m.name, len(good.Media))
				continue
			}
			errs := checkAnswer(offer, m.bad, true, true)
			if !strings.Contains(strings.Join(errs, "\n"), m.want) {
				t.Errorf("%s: checker said %q, want a %q finding", m.name, errs, m.want)
			}
		}
	})
}

// TestOfferCheckerCatchesBrokenOffers: mutations of a valid subsequent
// offer must each be reported.
func TestOfferCheckerCatchesBrokenOffers(t *testing.T) {
	forEachCorpusSDP(t, func(t *testing.T, s corpusSDP) {
		browser, err := sdp.Parse(s.browserOffer(t))
		if err != nil {
			t.Fatal(err)
		}
		cfg := testConfig()
		cfg.StrictBundle = true
		local, err := sdp.Answer(browser, cfg)
		if err != nil {
			t.Fatal(err)
		}
		// Stop the last RTP section (the seeds' video); a session with
		// none (data channel only) stops nothing.
		stopIdx, stopMID := -1, ""
		for i := range local.Media {
			if k := local.Media[i].MediaLine().Media; k == "audio" || k == "video" {
				stopIdx = i
				stopMID, _ = local.Media[i].MID()
			}
		}
		var stop []string
		if stopIdx >= 0 {
			stop = []string{stopMID}
		}
		firstMID, _ := local.Media[0].MID()
		good, err := sdp.Offer(local, browser, cfg, sdp.OfferChanges{
			Add:  []sdp.NewTrack{{Kind: "video", Track: sdp.LocalTrack{StreamID: "s", TrackID: "t"}}},
			Stop: stop,
		})
		if err != nil {
			t.Fatal(err)
		}
		if errs := checkOffer(local, browser, local, good, true); len(errs) != 0 {
			t.Fatalf("baseline offer fails: %v", errs)
		}
		edit := func(fn func(i int, l sdp.Line) (sdp.Line, bool)) *sdp.Session {
			var out []sdp.Line
			for i, l := range good.Lines {
				if nl, keep := fn(i, l); keep {
					out = append(out, nl)
				}
			}
			return reparse(t, out)
		}
		last := good.Media[len(good.Media)-1].Start
		mutations := []struct {
			name, want string
			bad        *sdp.Session
		}{
			{"version not incremented", "o=", edit(func(_ int, l sdp.Line) (sdp.Line, bool) {
				if l.Type == 'o' {
					l = good.Lines[1]
					u, id, v, _ := local.Origin()
					l.Value = fmt.Sprintf("%s %d %d IN IP4 0.0.0.0", u, id, v)
				}
				return l, true
			})},
			{"setup actpass", "established role", edit(func(_ int, l sdp.Line) (sdp.Line, bool) {
				if l.IsAttribute("setup") {
					l.Value = "setup:actpass"
				}
				return l, true
			})},
			{"new ufrag", "RFC 9429 §5.2.2", edit(func(_ int, l sdp.Line) (sdp.Line, bool) {
				if l.IsAttribute("ice-ufrag") {
					l.Value = "ice-ufrag:changed"
				}
				return l, true
			})},
			{"mid of a live section changed", "mid changed", edit(func(_ int, l sdp.Line) (sdp.Line, bool) {
				if l.Value == "mid:"+firstMID {
					l.Value = "mid:zz"
				}
				return l, true
			})},
			{"stopped section keeps msid", "keeps a=msid", func() *sdp.Session {
				if stopIdx < 0 {
					return good
				}
				return build(t, good.Edit().Insert(good.Media[stopIdx].Start+3, sdp.Line{Type: 'a', Value: "msid:s t"}))
			}()},
			{"new section not sendonly", "want sendonly", edit(func(i int, l sdp.Line) (sdp.Line, bool) {
				if i > last && l.Value == "sendonly" {
					l.Value = "sendrecv"
				}
				return l, true
			})},
			{"bundle-only added", "bundle-only", build(t, good.Edit().Insert(last+2, sdp.Line{Type: 'a', Value: "bundle-only"}))},
		}
		for _, m := range mutations {
			if string(m.bad.Marshal()) == string(good.Marshal()) {
				t.Logf("%s: not applicable to this offer", m.name)
				continue
			}
			errs := checkOffer(local, browser, local, m.bad, true)
			if !strings.Contains(strings.Join(errs, "\n"), m.want) {
				t.Errorf("%s: checker said %q, want a %q finding", m.name, errs, m.want)
			}
		}
	})
}

// build re-parses a Builder's lines without Validate, so that tests can
// make descriptions that break the JSEP rules.
func build(t *testing.T, b *sdp.Builder) *sdp.Session {
	t.Helper()
	lines := make([]sdp.Line, b.Len())
	for i := range lines {
		lines[i] = b.At(i)
	}
	return reparse(t, lines)
}
