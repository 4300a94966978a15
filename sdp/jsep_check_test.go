package sdp_test

import (
	"fmt"
	"slices"
	"strings"

	"github.com/plainrtc/plainrtc/sdp"
)

// checkAnswer applies the rules an answer must follow, written from
// RFC 9429 (JSEP) §5.3.1/§5.3.2, RFC 3264 §6, RFC 9143 §7.3 and the
// attribute RFCs, independently of how Answer builds it. It returns every
// broken rule. iceLite says the answerer claims to be ICE-lite. strict
// applies JSEP's "MUST NOT contain any ICE credentials" to bundled
// sections; otherwise they may repeat the tagged section's transport
// attributes, but only with identical values (RFC 8859 §5.2, IDENTICAL
// and TRANSPORT categories).
func checkAnswer(offer, answer *sdp.Session, iceLite, strict bool) []string {
	var errs []string
	fail := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }

	// The answer must itself be valid SDP that round-trips.
	if re, err := sdp.Parse(answer.Marshal()); err != nil {
		fail("answer does not re-parse: %v", err)
	} else if string(re.Marshal()) != string(answer.Marshal()) {
		fail("answer does not round-trip")
	}
	if err := answer.Validate(); err != nil {
		fail("answer fails Validate: %v", err)
	}

	// RFC 3264 §6: "The answer MUST contain exactly the same number of
	// "m=" lines as the offer", in the same order, same media type.
	if len(answer.Media) != len(offer.Media) {
		fail("answer has %d m= sections, offer %d (RFC 3264 §6)", len(answer.Media), len(offer.Media))
		return errs
	}
	// RFC 8839 §5.3: a lite implementation MUST include a=ice-lite at
	// session level.
	if iceLite && !answer.ICELite() {
		fail("no session-level a=ice-lite (RFC 8839 §5.3)")
	}

	offGroup, offBundled := offer.BundleGroup("")
	ansGroup, ansBundled := answer.BundleGroup("")
	// RFC 9143 §7.3: "The answerer is only allowed to include a BUNDLE
	// group in an initial BUNDLE answer if the offerer requested" it.
	if ansBundled && !offBundled {
		fail("answer has a BUNDLE group the offer did not request (RFC 9143 §7.3)")
	}
	taggedMID := ""
	if ansBundled {
		taggedMID = ansGroup.First()
		// RFC 9143 §7.3.1: the answerer takes the first mid of the offered
		// list that it accepts and that has a non-zero port as the offerer-
		// tagged section, marks it answerer-tagged and lists it first.
		want := ""
		for mid := range offGroup.Each() {
			om, ok1 := offer.MediaByMID(mid)
			am, ok2 := answer.MediaByMID(mid)
			if ok1 && ok2 && om.MediaLine().Port != 0 && am.MediaLine().Port != 0 {
				want = mid
				break
			}
		}
		if taggedMID != want {
			fail("answer BUNDLE tag %q, want %q: the first accepted non-zero-port mid of the offer's list (RFC 9143 §7.3.1)", taggedMID, want)
		}
	}
	accepted := map[string]bool{}
	ptConfig := map[string]string{} // RFC 9143 §9.1.1: one PT, one codec config

	for i := range offer.Media {
		om, am := &offer.Media[i], &answer.Media[i]
		oml, aml := om.MediaLine(), am.MediaLine()
		where := fmt.Sprintf("m= section %d", i)
		if oml.Media != aml.Media {
			fail("%s: media %q, offered %q (RFC 3264 §6)", where, aml.Media, oml.Media)
		}
		// JSEP §5.3.1: "The <proto> field MUST be set to exactly match the
		// <proto> field for the corresponding m= line in the offer."
		if oml.Proto != aml.Proto {
			fail("%s: proto %q, offered %q (RFC 9429 §5.3.1)", where, aml.Proto, oml.Proto)
		}
		// JSEP §5.3.1: "If and only if present in the offer, an a=mid line
		// ... The mid value MUST match that specified in the offer."
		omid, ohas := om.MID()
		amid, ahas := am.MID()
		if ohas != ahas || omid != amid {
			fail("%s: mid %q/%v, offered %q/%v (RFC 9429 §5.3.1)", where, amid, ahas, omid, ohas)
		}
		// JSEP §5.3.1: "no m= sections in the answer should have an
		// a=bundle-only line".
		if am.BundleOnly() {
			fail("%s: a=bundle-only in an answer (RFC 9429 §5.3.1)", where)
		}
		if aml.Port == 0 {
			// RFC 9143 §7.3.3: a rejected section is not in the BUNDLE group.
			if ansBundled && ahas && ansGroup.Has(amid) {
				fail("%s: rejected (port 0) but in a=group:BUNDLE (RFC 9143 §7.3.3)", where)
			}
			// RFC 3264 §6: "At least one [format] MUST be present".
			if aml.Formats == "" {
				fail("%s: rejected section without a format (RFC 3264 §6)", where)
			}
			continue
		}
		accepted[amid] = true
		// RFC 9143 §7.3: bundled sections in the answer must have been
		// bundled in the offer.
		if ansBundled && ansGroup.Has(amid) && !offGroup.Has(amid) {
			fail("%s: answer bundles mid %q the offer did not (RFC 9143 §7.3)", where, amid)
		}
		if offBundled && ahas && offGroup.Has(amid) && !ansGroup.Has(amid) {
			fail("%s: accepted bundled section %q missing from the answer group (RFC 9429 §5.3.1)", where, amid)
		}
		// An ICE-lite server with one transport accepts only what it bundles.
		if offBundled && !offGroup.Has(omid) {
			fail("%s: accepted a section outside the BUNDLE group (max-bundle, RFC 9429 §4.1.1)", where)
		}
		// JSEP §5.3.1: the m= line "MUST be followed immediately by a c=
		// line" (after the optional i=, RFC 8866 §5).
		if len(am.Lines) < 2 || am.Lines[1].Type != 'c' {
			fail("%s: m= not followed by c= (RFC 9429 §5.3.1)", where)
		}

		tagged := amid == taggedMID
		u, p, hasICE := am.ICECredentials()
		hasCand := false
		for range am.Candidates() {
			hasCand = true
		}
		setup, hasSetup := am.Attribute("setup")
		hasFP := am.HasAttribute("fingerprint")
		if tagged || !ansBundled {
			// JSEP §5.3.1: each m= section not bundled into another MUST
			// contain ice-ufrag, ice-pwd, fingerprint, setup (session-level
			// copies count: "any session-level attributes ... are considered
			// to be present in each m= section").
			if !hasICE {
				if su, sp, ok := answer.ICECredentials(); ok {
					u, p, hasICE = su, sp, true
				}
			}
			if !hasICE || len(u) < 4 || len(p) < 22 {
				fail("%s: tagged section lacks a=ice-ufrag/a=ice-pwd (RFC 9429 §5.3.1, RFC 8839 §5.4)", where)
			}
			if !hasFP && !answer.HasAttribute("fingerprint") {
				fail("%s: tagged section lacks a=fingerprint (RFC 9429 §5.3.1, RFC 8122 §5)", where)
			}
			if !hasSetup {
				s, ok := answer.Setup(nil)
				setup, hasSetup = string(s), ok
			}
			// JSEP §5.3.1: "The role value in the answer MUST be "active" or
			// "passive"." RFC 5763 §5: consistent with the offer.
			offSetup, _ := offer.Setup(om)
			switch {
			case !hasSetup || setup != "active" && setup != "passive":
				fail("%s: a=setup:%s, want active or passive (RFC 9429 §5.3.1)", where, setup)
			case offSetup == sdp.SetupActive && setup != "passive", offSetup == sdp.SetupPassive && setup != "active":
				fail("%s: a=setup:%s does not complement the offer's %s (RFC 5763 §5)", where, setup, offSetup)
			}
			if iceLite && !hasCand {
				fail("%s: ICE-lite answer without candidates (RFC 8445 §2.5: lite agents only have host candidates, signalled here)", where)
			}
			if iceLite && !am.EndOfCandidates() {
				fail("%s: ICE-lite answer without a=end-of-candidates (RFC 8840 §8.2)", where)
			}
		} else {
			// JSEP §5.3.2: "If the m= section is bundled into another m=
			// section, it still MUST NOT contain any ICE credentials", and
			// "both a=candidate and a=end-of-candidates MUST be omitted".
			if strict && (hasICE || am.HasAttribute("ice-ufrag") || am.HasAttribute("ice-pwd")) {
				fail("%s: bundled section carries ICE credentials (RFC 9429 §5.3.2)", where)
			}
			if !strict {
				tm, _ := answer.MediaByMID(taggedMID)
				checkIdenticalTransport(tm, am, where, fail)
			}
			if hasCand || am.EndOfCandidates() {
				fail("%s: bundled section carries candidates (RFC 9429 §5.3.2)", where)
			}
		}

		if aml.Proto == "UDP/DTLS/SCTP" {
			// JSEP §5.3.1: for data "the <proto> and <fmt> fields MUST be set
			// to exactly match the fields in the offer", with a=sctp-port and
			// a=max-message-size.
			if aml.Formats != oml.Formats {
				fail("%s: data fmt %q, offered %q (RFC 9429 §5.3.1)", where, aml.Formats, oml.Formats)
			}
			if _, ok := am.SCTPPort(); !ok {
				fail("%s: data section without a=sctp-port (RFC 8841 §5.1)", where)
			}
			if _, ok := am.MaxMessageSize(); !ok {
				fail("%s: data section without a=max-message-size (RFC 9429 §5.3.1, RFC 8841 §6.1)", where)
			}
			continue
		}
		checkRTPAnswer(offer, answer, om, am, where, ptConfig, fail)
	}
	if offBundled && ansBundled {
		for mid := range ansGroup.Each() {
			if !accepted[mid] {
				fail("BUNDLE group lists %q, which is not an accepted section (RFC 9143 §7.3.3)", mid)
			}
		}
	}
	return errs
}

// checkIdenticalTransport: transport attributes a bundled section repeats
// must equal the tagged section's (RFC 8859 §5.2: IDENTICAL; RFC 9143
// §7.1.3: the tagged section's values apply to the whole group).
func checkIdenticalTransport(tagged, m *sdp.Media, where string, fail func(string, ...any)) {
	if tagged == nil {
		fail("%s: no tagged section", where)
		return
	}
	for _, name := range []string{"ice-ufrag", "ice-pwd", "fingerprint", "setup"} {
		got := attrValues(m, name)
		if len(got) > 0 && !slices.Equal(got, attrValues(tagged, name)) {
			fail("%s: a=%s %v differs from the tagged section's %v (RFC 8859 §5.2)", where, name, got, attrValues(tagged, name))
		}
	}
}

func checkRTPAnswer(offer, answer *sdp.Session, om, am *sdp.Media, where string, ptConfig map[string]string, fail func(string, ...any)) {
	oml, aml := om.MediaLine(), am.MediaLine()
	// JSEP §5.3.1 (RFC 5761 §5.1.3): "If present in the offer, an
	// a=rtcp-mux line". Our server requires it (RFC 8834 §4.5).
	if !am.RTCPMux() {
		fail("%s: accepted RTP section without a=rtcp-mux (RFC 9429 §5.3.1)", where)
	}
	// JSEP §5.3.1: a=rtcp-rsize only "if present in the offer".
	if am.RTCPRsize() && !om.RTCPRsize() {
		fail("%s: a=rtcp-rsize not offered (RFC 9429 §5.3.1)", where)
	}
	// JSEP §5.3.1: formats "in the same order as those offered ...
	// excluding any currently unsupported formats", at least one offered.
	pos := -1
	offered := strings.Fields(oml.Formats)
	for f := range strings.FieldsSeq(aml.Formats) {
		j := indexOf(offered, f)
		if j < 0 {
			fail("%s: format %s was not offered (RFC 9429 §5.3.1)", where, f)
			continue
		}
		if j < pos {
			fail("%s: format %s out of offer order (RFC 9429 §5.3.1)", where, f)
		}
		pos = j
		r, ok := rtpmapOf(am, f)
		if !ok {
			fail("%s: format %s has no a=rtpmap (RFC 9429 §5.3.1)", where, f)
			continue
		}
		if or, ok := rtpmapOf(om, f); !ok || !strings.EqualFold(or.Encoding, r.Encoding) || or.ClockRate != r.ClockRate {
			fail("%s: format %s rtpmap %v differs from the offer's %v", where, f, r, or)
		}
		cfg := r.String()
		if fm, ok := am.FMTP(f); ok {
			cfg += ";" + fm.Params
		}
		if prev, ok := ptConfig[f]; ok && prev != cfg {
			fail("%s: PT %s is %q here and %q in another bundled section (RFC 9143 §9.1.1)", where, f, cfg, prev)
		}
		ptConfig[f] = cfg
		if strings.EqualFold(r.Encoding, "rtx") {
			// RFC 4588 §8.1 / JSEP §5.3.1: rtx references its primary codec.
			fm, _ := am.FMTP(f)
			apt, ok := fm.Param("apt")
			if !ok || indexOf(strings.Fields(aml.Formats), apt) < 0 {
				fail("%s: rtx %s apt=%q is not an answered format (RFC 4588 §8.1)", where, f, apt)
			}
		}
		// JSEP §5.3.1: "For each supported RTCP feedback mechanism that is
		// present in the offer".
		for fb := range am.RTCPFeedback(f) {
			found := false
			for ofb := range om.RTCPFeedback(f) {
				found = found || ofb.Type == fb.Type && ofb.Param == fb.Param
			}
			if !found {
				fail("%s: a=rtcp-fb:%s not offered (RFC 9429 §5.3.1)", where, fb)
			}
		}
	}
	// RFC 3264 §6.1 direction rules, intersected with the transceiver.
	od, ad := offer.Direction(om), answer.Direction(am)
	n := 0
	for _, l := range am.Lines {
		if l.Type == 'a' && sdp.Direction(l.Value).Valid() {
			n++
		}
	}
	if n != 1 {
		fail("%s: %d direction attributes, want 1 (RFC 9429 §5.3.1)", where, n)
	}
	if ad.Sends() && !od.Receives() || ad.Receives() && !od.Sends() {
		fail("%s: answer %s to an offer of %s (RFC 3264 §6.1)", where, ad, od)
	}
	// JSEP §5.3.1: msid only when the answerer sends.
	hasMSID := false
	for range am.MSIDs() {
		hasMSID = true
	}
	if hasMSID != ad.Sends() {
		fail("%s: a=msid present=%v with direction %s (RFC 9429 §5.3.1)", where, hasMSID, ad)
	}
	// JSEP §5.3.1: "For each supported RTP header extension that is present
	// in the offer, an a=extmap line"; we keep the offer's IDs.
	offExt := map[string]int{}
	for e := range offer.ExtMaps(om) {
		offExt[e.URI] = e.ID
	}
	hasMIDExt := false
	for e := range answer.ExtMaps(am) {
		id, ok := offExt[e.URI]
		if !ok {
			fail("%s: extmap %s not offered (RFC 9429 §5.3.1)", where, e.URI)
		} else if id != e.ID {
			fail("%s: extmap %s id %d, offered %d (RFC 8285 §6)", where, e.URI, e.ID, id)
		}
		hasMIDExt = hasMIDExt || e.URI == sdp.ExtMID
	}
	// RFC 9143 §9.1: the MID extension "MUST be enabled ... in each bundled
	// RTP-based m= section in every offer and answer" (when offered).
	if _, offered := offExt[sdp.ExtMID]; offered && !hasMIDExt {
		fail("%s: no MID header extension (RFC 9143 §9.1)", where)
	}
	// RFC 8853 §5.3: the answer reverses the offered simulcast direction,
	// listing only offered rids, each with a=rid:<id> recv.
	if as, ok := am.Simulcast(); ok {
		os, ook := om.Simulcast()
		if !ook || as.Send != "" || as.Recv == "" {
			fail("%s: answer simulcast %+v to offered %+v (RFC 8853 §5.3)", where, as, os)
		}
		offeredSend := map[string]bool{}
		for r := range sdp.SimulcastRIDs(os.Send) {
			offeredSend[r] = true
		}
		recvRID := map[string]bool{}
		for r := range am.RIDs() {
			recvRID[r.ID] = r.Direction == "recv"
		}
		for r := range sdp.SimulcastRIDs(as.Recv) {
			if !offeredSend[r] || !recvRID[r] {
				fail("%s: simulcast rid %s not offered for sending or without a=rid:%s recv (RFC 8853 §5.3, RFC 8851 §7.2)", where, r, r)
			}
		}
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// rtpmapOf returns the rtpmap of format f, with the RFC 3551 static types.
func rtpmapOf(m *sdp.Media, f string) (sdp.RTPMap, bool) {
	for r := range m.RTPMaps() {
		if fmt.Sprint(r.PayloadType) == f {
			return r, true
		}
	}
	switch f {
	case "0":
		return sdp.RTPMap{Encoding: "PCMU", ClockRate: 8000}, true
	case "8":
		return sdp.RTPMap{Encoding: "PCMA", ClockRate: 8000}, true
	case "9":
		return sdp.RTPMap{PayloadType: 9, Encoding: "G722", ClockRate: 8000}, true
	}
	return sdp.RTPMap{}, false
}
