package sdp_test

import (
	"fmt"
	"slices"
	"strings"

	"github.com/plainrtc/plainrtc/sdp"
)

// checkOffer applies the rules of RFC 9429 (JSEP) §5.2.2 for a subsequent
// offer, plus RFC 9143 §7.5 and the attribute RFCs, to offer, generated
// from prevLocal (the description the offerer last applied), prevRemote
// and answer (the most recent answer: prevLocal or prevRemote). It
// returns every broken rule. strict is as for checkAnswer.
func checkOffer(prevLocal, prevRemote, answer, offer *sdp.Session, strict bool) []string {
	var errs []string
	fail := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }

	if re, err := sdp.Parse(offer.Marshal()); err != nil {
		fail("offer does not re-parse: %v", err)
	} else if string(re.Marshal()) != string(offer.Marshal()) {
		fail("offer does not round-trip")
	}
	if err := offer.Validate(); err != nil {
		fail("offer fails Validate: %v", err)
	}
	// JSEP §5.2.2: "The fields of the o= line MUST stay the same except for
	// the <session-version> field, which MUST increment".
	pu, pid, pver, _ := prevLocal.Origin()
	u, id, ver, ok := offer.Origin()
	if !ok || u != pu || id != pid || ver <= pver {
		fail("o= %s %d %d after %s %d %d (RFC 9429 §5.2.2)", u, id, ver, pu, pid, pver)
	}
	// JSEP §5.2.2: "The s= and t= lines MUST stay the same."
	for _, typ := range []byte{'s', 't'} {
		if a, b := sessionLine(prevLocal, typ), sessionLine(offer, typ); a != b {
			fail("%c= changed from %q to %q (RFC 9429 §5.2.2)", typ, a, b)
		}
	}
	// RFC 8839 §5.3: the lite server still says so.
	if !offer.ICELite() {
		fail("no a=ice-lite (RFC 8839 §5.3)")
	}
	if len(offer.Media) < len(prevLocal.Media) {
		fail("offer has %d m= sections, fewer than the %d before (RFC 3264 §8)", len(offer.Media), len(prevLocal.Media))
		return errs
	}
	usedMIDs := map[string]bool{}
	for _, s := range []*sdp.Session{prevLocal, prevRemote} {
		for i := range s.Media {
			if mid, ok := s.Media[i].MID(); ok {
				usedMIDs[mid] = true
			}
		}
	}
	group, hasGroup := offer.BundleGroup("")
	if !hasGroup {
		fail("no a=group:BUNDLE (RFC 9429 §5.2.2)")
	}
	ptConfig := map[string]string{}
	extByID, idByExt := map[int]string{}, map[string]int{}
	prevUfrag, prevPwd, _ := prevLocal.ICECredentials()
	for i := range offer.Media {
		m := &offer.Media[i]
		ml := m.MediaLine()
		mid, _ := m.MID()
		where := fmt.Sprintf("m= section %d (mid %s)", i, mid)
		// JSEP §5.2.2: "An a=bundle-only line MUST NOT be added".
		if m.BundleOnly() {
			fail("%s: a=bundle-only (RFC 9429 §5.2.2)", where)
		}
		recycled, added := false, i >= len(prevLocal.Media)
		if !added {
			pm := &prevLocal.Media[i]
			pmid, _ := pm.MID()
			// JSEP §5.2.2: "Each a=mid line MUST stay the same", unless the
			// section is recycled: only a port-0 section may be, and it gets
			// "a new MID value".
			if pmid != mid {
				recycled = true
				if pm.MediaLine().Port != 0 && prevRemote.Media[i].MediaLine().Port != 0 {
					fail("%s: mid changed from %q but the section was not port 0 (RFC 9429 §5.2.2)", where, pmid)
				}
				if usedMIDs[mid] {
					fail("%s: recycled section reuses mid %q (RFC 9429 §5.2.2)", where, mid)
				}
			} else if pm.MediaLine().Media != ml.Media {
				fail("%s: media changed from %s to %s", where, pm.MediaLine().Media, ml.Media)
			}
		} else if usedMIDs[mid] {
			fail("%s: new section reuses mid %q (RFC 5888 §4)", where, mid)
		}
		if ml.Port == 0 {
			// JSEP §5.2.2: a stopped section has "the port set to zero and all
			// a=msid lines removed"; RFC 9143 §7.5.3: not in the group.
			for range m.MSIDs() {
				fail("%s: stopped section keeps a=msid (RFC 9429 §5.2.2)", where)
			}
			if group.Has(mid) {
				fail("%s: stopped section in a=group:BUNDLE (RFC 9143 §7.5.3)", where)
			}
			continue
		}
		// JSEP §5.2.2: the group holds every live section.
		if !group.Has(mid) {
			fail("%s: live section missing from a=group:BUNDLE (RFC 9429 §5.2.2)", where)
		}
		tagged := mid == group.First()
		u, p, hasICE := m.ICECredentials()
		hasCand := false
		for range m.Candidates() {
			hasCand = true
		}
		if tagged {
			// JSEP §5.2.2: "Each a=ice-ufrag and a=ice-pwd line MUST stay the
			// same" (no ICE restart here).
			if !hasICE || u != prevUfrag || p != prevPwd {
				fail("%s: tagged section ICE %q/%q, want %q/%q (RFC 9429 §5.2.2)", where, u, p, prevUfrag, prevPwd)
			}
			if !m.HasAttribute("fingerprint") {
				fail("%s: tagged section without a=fingerprint (RFC 8122 §5)", where)
			}
			// RFC 8842 §5: keeping the DTLS association keeps the role.
			want, _ := establishedSetup(prevLocal)
			if got, _ := m.Attribute("setup"); got != string(want) {
				fail("%s: a=setup:%s, established role is %s (RFC 8842 §5)", where, got, want)
			}
			if !hasCand || !m.EndOfCandidates() {
				fail("%s: tagged section without candidates and a=end-of-candidates (RFC 9429 §5.2.2)", where)
			}
		} else {
			// JSEP §5.2.2: a bundled section "MUST NOT contain any ICE
			// credentials"; "both a=candidate and a=end-of-candidates MUST be
			// omitted".
			if strict && (hasICE || m.HasAttribute("ice-ufrag")) {
				fail("%s: bundled section carries ICE credentials (RFC 9429 §5.2.2)", where)
			}
			if !strict {
				tm, _ := offer.MediaByMID(group.First())
				checkIdenticalTransport(tm, m, where, fail)
			}
			if hasCand || m.EndOfCandidates() {
				fail("%s: bundled section carries candidates (RFC 9429 §5.2.2)", where)
			}
		}
		if ml.Proto == sdp.ProtoSCTP {
			continue
		}
		if !m.RTCPMux() {
			fail("%s: no a=rtcp-mux (RFC 9429 §5.2.2: as in the most recent answer)", where)
		}
		n := 0
		for _, l := range m.Lines {
			if l.Type == 'a' && sdp.Direction(l.Value).Valid() {
				n++
			}
		}
		if n != 1 {
			fail("%s: %d direction attributes (RFC 3264 §5.1)", where, n)
		}
		dir := offer.Direction(m)
		msids := 0
		for range m.MSIDs() {
			msids++
		}
		if dir.Sends() != (msids > 0) {
			fail("%s: direction %s with %d a=msid (RFC 9429 §5.2.1)", where, dir, msids)
		}
		if added || recycled {
			if dir != sdp.SendOnly {
				fail("%s: new track section is %s, want sendonly", where, dir)
			}
		} else {
			checkAgainstAnswer(&answer.Media[i], m, where, fail)
			// JSEP §5.2.2: a=rid and a=simulcast "MUST stay the same".
			for _, name := range []string{"rid", "simulcast"} {
				if a, b := attrValues(&prevLocal.Media[i], name), attrValues(m, name); !slices.Equal(a, b) {
					fail("%s: a=%s changed from %v to %v (RFC 9429 §5.2.2)", where, name, a, b)
				}
			}
		}
		// RFC 9143 §9.1.1: a PT means one codec configuration in the group.
		for r := range m.RTPMaps() {
			f := fmt.Sprint(r.PayloadType)
			conf := r.String()
			if fm, ok := m.FMTP(f); ok {
				conf += ";" + fm.Params
			}
			if prev, ok := ptConfig[f]; ok && prev != conf {
				fail("%s: PT %s is %q, elsewhere %q (RFC 9143 §9.1.1)", where, f, conf, prev)
			}
			ptConfig[f] = conf
			if !strings.Contains(" "+ml.Formats+" ", " "+f+" ") {
				fail("%s: a=rtpmap for PT %s not on the m= line (RFC 8866 §6.6)", where, f)
			}
		}
		// RFC 8285 §6 within one RTP session: one ID, one URI.
		for e := range offer.ExtMaps(m) {
			if u, ok := extByID[e.ID]; ok && u != e.URI {
				fail("%s: extmap id %d is %s here and %s elsewhere (RFC 8285 §6)", where, e.ID, e.URI, u)
			}
			if id, ok := idByExt[e.URI]; ok && id != e.ID {
				fail("%s: extmap %s has ids %d and %d (RFC 8285 §6)", where, e.URI, e.ID, id)
			}
			extByID[e.ID], idByExt[e.URI] = e.URI, e.ID
		}
	}
	for mid := range group.Each() {
		if m, ok := offer.MediaByMID(mid); !ok || m.MediaLine().Port == 0 {
			fail("a=group:BUNDLE lists %q, not a live section (RFC 9429 §5.2.2)", mid)
		}
	}
	return errs
}

// checkAgainstAnswer: JSEP §5.2.2 adjustments for existing sections:
// formats "in the same order as in the most recent answer", header
// extensions and feedback "only those present in the most recent answer",
// a=rtcp-rsize "MUST NOT be added unless present in the most recent
// answer".
func checkAgainstAnswer(am, m *sdp.Media, where string, fail func(string, ...any)) {
	if m.MediaLine().Formats != am.MediaLine().Formats {
		fail("%s: formats %q, most recent answer %q (RFC 9429 §5.2.2)", where, m.MediaLine().Formats, am.MediaLine().Formats)
	}
	if m.RTCPRsize() && !am.RTCPRsize() {
		fail("%s: a=rtcp-rsize added (RFC 9429 §5.2.2)", where)
	}
	for _, name := range []string{"extmap", "rtcp-fb"} {
		ans := attrValues(am, name)
		for _, v := range attrValues(m, name) {
			if !slices.Contains(ans, v) {
				fail("%s: a=%s:%s not in the most recent answer (RFC 9429 §5.2.2)", where, name, v)
			}
		}
	}
}

func attrValues(m *sdp.Media, name string) []string {
	var out []string
	for _, l := range m.Lines {
		if n, v, _ := l.Attribute(); n == name {
			out = append(out, v)
		}
	}
	return out
}

func sessionLine(s *sdp.Session, typ byte) string {
	for _, l := range s.SessionLines() {
		if l.Type == typ {
			return l.Value
		}
	}
	return ""
}

// establishedSetup is the DTLS role the local side took: its a=setup in
// the description it applied.
func establishedSetup(local *sdp.Session) (sdp.Setup, bool) {
	if s, ok := local.Setup(nil); ok {
		return s, true
	}
	for i := range local.Media {
		if s, ok := local.Media[i].Attribute("setup"); ok {
			return sdp.Setup(s), true
		}
	}
	return "", false
}
