package lint

import (
	"fmt"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/sdp"
)

// Rule is one checked requirement: a name (stable, used in rtclint's
// output), the RFC section it comes from, and what it checks.
type Rule struct {
	Name, RFC, Doc string
}

// The rules, in the order Lint reports them.
var (
	RuleSTUNIntegrity = Rule{"stun-message-integrity", "RFC 8445 §7.2.2",
		"every Binding request and success response carries MESSAGE-INTEGRITY(-SHA256) that verifies with the receiver's (request) or responder's (response) ice-pwd (RFC 8489 §14.5); a signed error response verifies too"}
	RuleSTUNFingerprint = Rule{"stun-fingerprint", "RFC 8445 §7.2.2",
		"every ICE STUN message carries a FINGERPRINT whose CRC-32 matches (RFC 8489 §14.7)"}
	RuleUseCandidate = Rule{"ice-use-candidate-controlling", "RFC 8445 §7.1.2",
		"USE-CANDIDATE only in Binding requests of the controlling agent: never with ICE-CONTROLLED, never from the side whose checks say it is controlled"}
	RuleConsentPace = Rule{"ice-consent-pace", "RFC 7675 §5.1",
		"a full agent sends consent checks on the selected pair every 4–6 s (5 s randomized, SHOULD: warn otherwise) and sends no media more than 30 s after its last answered check (consent expired: MUST stop)"}
	RuleDTLSSetupRole = Rule{"dtls-role-matches-setup", "RFC 8842 §5.3",
		"the side a=setup makes DTLS client (answer active: answerer; passive: offerer) is the one that sent the ClientHello"}
	RuleCertFingerprint = Rule{"dtls-certificate-fingerprint", "RFC 8122 §5",
		"the certificate each side sent in its DTLS Certificate message hashes to one of the a=fingerprint values of its description (RFC 5763 §5, RFC 8827 §6.5)"}
	RuleSRTPProfileOffered = Rule{"dtls-srtp-profile-offered", "RFC 5764 §4.1.1",
		"the use_srtp profile of the ServerHello is one the ClientHello offered"}
	RuleSRTPAuth = Rule{"srtp-authenticates", "RFC 3711 §3.3",
		"every SRTP packet authenticates with its sender's write key (RFC 5764 §4.2) at the index the receiver estimates (RFC 3711 §3.3.1; RFC 7714 §7.2 for AEAD)"}
	RuleSRTCPAuth = Rule{"srtcp-authenticates", "RFC 3711 §3.4",
		"every SRTCP packet authenticates with its sender's write key at its explicit SRTCP index (RFC 7714 §9 for AEAD)"}
	RuleIndexReuse = Rule{"srtp-index-reuse", "RFC 3711 §9.1",
		"no SRTP or SRTCP index is protected twice with different content under one master key: that reuses the keystream (two-time pad), and receivers drop the second packet as a replay (RFC 3711 §3.3.2)"}
	RuleDuplicate = Rule{"srtp-duplicate", "RFC 3711 §3.3.2",
		"the same SRTP/SRTCP packet (same bytes, same index) sent again: no keystream reuse, but the receiver's replay check drops it, so the resend is wasted"}
	RuleROC = Rule{"srtp-roc-rollover", "RFC 3711 §3.3.1",
		"when an SSRC's sequence number wraps, the sender increments its rollover counter: packets after the wrap authenticate with ROC+1, and no stream starts at a ROC other than 0"}
	RulePayloadType = Rule{"rtp-payload-type", "RFC 3264 §6.1, §7",
		"every RTP packet uses a payload type of an accepted m= section of the answer (the negotiated formats; RFC 8843 §9.1 for bundled sections)"}
	RuleHeaderExtension = Rule{"rtp-header-extension-id", "RFC 8285 §4.2, §5",
		"every RFC 8285 header extension element uses an id negotiated with a=extmap in the answer; one-byte elements use ids 1–14 (15 is reserved)"}
	RuleRTCPCompound = Rule{"rtcp-compound-starts-sr-rr", "RFC 5506 §3",
		"every SRTCP compound begins with SR or RR (RFC 3550 §6.1, A.2) unless both descriptions carry a=rtcp-rsize (reduced-size RTCP, RFC 5506 §5)"}
	RuleSRMonotonic = Rule{"rtcp-sr-monotonic", "RFC 3550 §6.4.1",
		"successive SRs of one SSRC advance NTP time (warn otherwise: the wallclock may step) and do not move the RTP timestamp backwards while NTP advances (RTP timestamps increase monotonically, RFC 3550 §5.1)"}
	RuleJSEPMLines = Rule{"jsep-answer-mline-order", "RFC 9429 §5.3.1",
		"the answer has exactly the offer's m= sections, in the same order, of the same media type and a=mid (RFC 3264 §6)"}
	RuleJSEPBundle = Rule{"jsep-answer-bundle", "RFC 9143 §7.3.1",
		"the answer's BUNDLE group names only mids of the offer's group, all of accepted sections; no BUNDLE group in an answer to an offer without one (RFC 9429 §5.3.1)"}
	RuleJSEPRTCPMux = Rule{"jsep-answer-rtcp-mux", "RFC 9429 §5.3.1",
		"every accepted RTP m= section whose offer has a=rtcp-mux carries a=rtcp-mux in the answer (RFC 5761 §5.1.3, RFC 8858)"}
	RuleJSEPSetup = Rule{"jsep-setup-values", "RFC 8842 §5",
		"offers say a=setup:actpass (RFC 8842 §5.2, RFC 9429 §5.2.1); answers say active or passive, never actpass (§5.3)"}
)

// Rules lists every rule Lint checks.
var Rules = []Rule{
	RuleSTUNIntegrity, RuleSTUNFingerprint, RuleUseCandidate, RuleConsentPace,
	RuleDTLSSetupRole, RuleCertFingerprint, RuleSRTPProfileOffered,
	RuleSRTPAuth, RuleSRTCPAuth, RuleIndexReuse, RuleDuplicate, RuleROC,
	RulePayloadType, RuleHeaderExtension, RuleRTCPCompound, RuleSRMonotonic,
	RuleJSEPMLines, RuleJSEPBundle, RuleJSEPRTCPMux, RuleJSEPSetup,
}

// perSide makes one finding per sending side.
func perSide(r Rule) [2]*finding {
	return [2]*finding{newFinding(r, FromOfferer), newFinding(r, FromAnswerer)}
}

// Lint checks every rule on a loaded session and returns one result per
// rule and direction, in the order of Rules.
func Lint(s *conformance.Session) []Result {
	offer, errO := sdp.Parse(s.Offer)
	answer, errA := sdp.Parse(s.Answer)
	l := &linter{s: s, offer: offer, answer: answer}
	if errO != nil || errA != nil {
		l.sdpErr = fmt.Errorf("offer: %v, answer: %v", errO, errA)
	}
	var out []Result
	add := func(fs ...*finding) {
		for _, f := range fs {
			out = append(out, f.result())
		}
	}
	st := l.stun()
	add(st.integrity[:]...)
	add(st.fingerprint[:]...)
	add(st.useCandidate[:]...)
	add(st.consent[:]...)
	add(l.dtlsSetupRole())
	certs := l.certFingerprints()
	add(certs[:]...)
	add(l.srtpProfileOffered())
	sr := l.srtp()
	add(sr.auth[:]...)
	add(sr.rtcpAuth[:]...)
	add(sr.reuse[:]...)
	add(sr.duplicate[:]...)
	add(sr.roc[:]...)
	pt, ext := l.rtpRules(sr.clear)
	add(pt[:]...)
	add(ext[:]...)
	comp, mono := l.rtcpRules(sr.clear)
	add(comp[:]...)
	add(mono[:]...)
	add(l.jsepRules()...)
	return out
}

// linter holds what the rules share.
type linter struct {
	s             *conformance.Session
	offer, answer *sdp.Session
	sdpErr        error
}

// sideSDP returns the description a side sent.
func (l *linter) sideSDP(side conformance.Side) *sdp.Session {
	if side == conformance.Offerer {
		return l.offer
	}
	return l.answer
}

// LintFiles loads a capture folder's contents (conformance.LoadFiles) and
// lints it. The error is the loader's: the input could not be read.
func LintFiles(name string, f conformance.Files) ([]Result, *conformance.Session, error) {
	s, err := conformance.LoadFiles(name, f)
	if err != nil {
		return nil, nil, err
	}
	return Lint(s), s, nil
}

// LintDir reads and lints a capture folder (offer.sdp, answer.sdp,
// session.pcapng or session.pcap, keylog.txt; meta.json and truth.json
// optional). It does not use Load's per-process cache, so a folder that
// changed is read again.
func LintDir(dir string) ([]Result, *conformance.Session, error) {
	f, err := conformance.ReadFiles(dir)
	if err != nil {
		return nil, nil, err
	}
	return LintFiles(dirBase(dir), f)
}
