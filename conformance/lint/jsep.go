package lint

import (
	"fmt"
	"strings"

	"github.com/plainrtc/plainrtc/sdp"
)

// jsepRules checks the answer against the offer (RFC 9429 §5.3.1).
func (l *linter) jsepRules() []*finding {
	order := newFinding(RuleJSEPMLines, WholeSession)
	bundle := newFinding(RuleJSEPBundle, WholeSession)
	mux := newFinding(RuleJSEPRTCPMux, WholeSession)
	setup := newFinding(RuleJSEPSetup, WholeSession)
	all := []*finding{order, bundle, mux, setup}
	if l.sdpErr != nil {
		for _, f := range all {
			f.checked++
			f.violate(0, "a description does not parse: %v", l.sdpErr)
		}
		return all
	}
	o, a := l.offer, l.answer

	// m= line order, media type and mid (RFC 3264 §6, RFC 9429 §5.3.1).
	order.checked++
	if len(o.Media) != len(a.Media) {
		order.violate(0, "the offer has %d m= sections, the answer %d: an answer has exactly the offer's (RFC 3264 §6)", len(o.Media), len(a.Media))
	}
	for i := range min(len(o.Media), len(a.Media)) {
		om, am := o.Media[i].MediaLine(), a.Media[i].MediaLine()
		if om.Media != am.Media {
			order.violate(0, "m= section %d is %s in the offer, %s in the answer", i, om.Media, am.Media)
		}
		omid, _ := o.Media[i].MID()
		amid, aok := a.Media[i].MID()
		if aok && omid != amid {
			order.violate(0, "m= section %d has a=mid:%s in the offer, a=mid:%s in the answer", i, omid, amid)
		}
	}
	order.passDetail = fmt.Sprintf("%d m= sections, in the offer's order with its media types and mids", len(a.Media))

	// BUNDLE (RFC 9143 §7.3.1): the answer's group is a subset of the
	// offer's, of accepted sections.
	var og, ag *sdp.Group
	for g := range o.Groups() {
		if g.Semantics == "BUNDLE" && og == nil {
			g := g
			og = &g
		}
	}
	for g := range a.Groups() {
		if g.Semantics == "BUNDLE" && ag == nil {
			g := g
			ag = &g
		}
	}
	switch {
	case og == nil && ag == nil:
		bundle.naDetail = "neither description has a BUNDLE group"
	case og == nil:
		bundle.checked++
		bundle.violate(0, "the answer has a=group:BUNDLE %s, the offer none: an answerer may only accept a group offered (RFC 9143 §7.3.1)", ag.Tags)
	case ag == nil:
		bundle.checked++
		bundle.passDetail = "the offer's BUNDLE group was declined (no group in the answer)"
	default:
		bundle.checked++
		n := 0
		for mid := range ag.Each() {
			n++
			if !og.Has(mid) {
				bundle.violate(0, "the answer's BUNDLE group names mid %s, which is not in the offer's group %q", mid, og.Tags)
				continue
			}
			m, ok := a.MediaByMID(mid)
			if !ok {
				bundle.violate(0, "the answer's BUNDLE group names mid %s, which no m= section of the answer has", mid)
			} else if m.MediaLine().Port == 0 && !m.HasAttribute("bundle-only") {
				bundle.violate(0, "the answer's BUNDLE group names mid %s, whose m= section is rejected (port 0, RFC 9143 §7.3.3)", mid)
			}
		}
		bundle.passDetail = fmt.Sprintf("answer BUNDLE %s: %d mids, all offered in %q and accepted", strings.TrimSpace(ag.Tags), n, og.Tags)
	}

	// rtcp-mux (RFC 9429 §5.3.1, RFC 5761 §5.1.3).
	muxed := 0
	for i := range min(len(o.Media), len(a.Media)) {
		om, am := &o.Media[i], &a.Media[i]
		if am.Rejected() || !isRTPProto(am.MediaLine().Proto) || !om.HasAttribute("rtcp-mux") {
			continue
		}
		mux.checked++
		if !am.HasAttribute("rtcp-mux") {
			mid, _ := am.MID()
			mux.violate(0, "m= section %d (mid %s) was offered with a=rtcp-mux, the answer lacks it", i, mid)
		} else {
			muxed++
		}
	}
	mux.passDetail = fmt.Sprintf("%d accepted RTP sections offered with a=rtcp-mux, all answered with it", muxed)
	mux.naDetail = "no accepted RTP m= section offered with a=rtcp-mux"

	// a=setup values (RFC 8842 §5.2, §5.3; RFC 9429 §5.2.1, §5.3.1).
	var offered, answered []string
	for i := range o.Media {
		if v, ok := o.Setup(&o.Media[i]); ok {
			setup.checked++
			offered = append(offered, string(v))
			if v != sdp.SetupActpass {
				setup.violate(0, "the offer's m= section %d says a=setup:%s; an offer says actpass (RFC 8842 §5.2, RFC 9429 §5.2.1)", i, v)
			}
		}
	}
	for i := range a.Media {
		if a.Media[i].Rejected() {
			continue
		}
		if v, ok := a.Setup(&a.Media[i]); ok {
			setup.checked++
			answered = append(answered, string(v))
			if v != sdp.SetupActive && v != sdp.SetupPassive {
				setup.violate(0, "the answer's m= section %d says a=setup:%s; an answer says active or passive (RFC 8842 §5.3)", i, v)
			}
		}
	}
	setup.passDetail = fmt.Sprintf("offer a=setup %s, answer %s", uniq(offered), uniq(answered))
	setup.naDetail = "no a=setup in either description"
	return all
}

func uniq(v []string) string {
	var out []string
	for _, s := range v {
		if len(out) == 0 || out[len(out)-1] != s {
			out = append(out, s)
		}
	}
	return strings.Join(out, ",")
}
