package lint

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/stun"
)

func dirBase(dir string) string { return filepath.Base(filepath.Clean(dir)) }

// stunFindings are the STUN and ICE rules, per sending side.
type stunFindings struct {
	integrity, fingerprint, useCandidate, consent [2]*finding
}

// Consent pacing of RFC 7675 §5.1: 5 s randomized to 0.8–1.2 of it; consent
// expires 30 s after the last answered check.
const (
	consentMin    = 4 * time.Second
	consentMax    = 6 * time.Second
	consentExpiry = 30 * time.Second
)

// stun checks every STUN message of the capture.
func (l *linter) stun() stunFindings {
	s := l.s
	f := stunFindings{
		integrity: perSide(RuleSTUNIntegrity), fingerprint: perSide(RuleSTUNFingerprint),
		useCandidate: perSide(RuleUseCandidate), consent: perSide(RuleConsentPace),
	}
	var (
		m        stun.Message
		counts   [2]struct{ signed, fp, requests, nominations int }
		requests [2][]conformance.Datagram // Binding requests on the selected pair, by sender
		answered = map[stun.TransactionID]time.Time{}
		reqTID   = map[int]stun.TransactionID{}
	)
	for _, d := range s.Datagrams {
		if demux.Classify(d.Payload) != demux.STUN || m.Unmarshal(d.Payload) != nil || m.Type.Method != stun.MethodBinding {
			continue
		}
		side, ok := s.Roles.Sender(d)
		if !ok {
			continue
		}
		isReq := m.Type.Class == stun.ClassRequest
		// FINGERPRINT: RFC 8445 §7.2.2 requires it on connectivity checks
		// and their responses; indications (keepalives, §11) are checked
		// when they carry one.
		fp := f.fingerprint[side]
		switch err := stun.CheckFingerprint(&m); {
		case err == nil:
			fp.checked++
			counts[side].fp++
		case errors.Is(err, stun.ErrAttributeNotFound):
			if m.Type.Class != stun.ClassIndication {
				fp.checked++
				fp.violate(d.N, "%s without FINGERPRINT", m.Type)
			}
		default:
			fp.checked++
			fp.violate(d.N, "%s FINGERPRINT does not match the CRC-32 of the message (%v)", m.Type, err)
		}
		// MESSAGE-INTEGRITY: requests are signed with the receiver's
		// password, responses with the responder's own (RFC 8445 §7.2.2,
		// §7.3). Unsigned error responses (RFC 8489 §9.1.3's 400/401) pass.
		if m.Type.Class != stun.ClassIndication {
			in := f.integrity[side]
			pwd := s.STUNPassword(d, isReq)
			hasMI := m.Contains(stun.AttrMessageIntegrity) || m.Contains(stun.AttrMessageIntegritySHA256)
			switch {
			case m.Type.Class == stun.ClassErrorResponse && !hasMI:
			case !hasMI:
				in.checked++
				in.violate(d.N, "%s without MESSAGE-INTEGRITY", m.Type)
			default:
				in.checked++
				if err := stun.NewShortTermIntegrity(pwd).Check(&m); err != nil {
					in.violate(d.N, "%s MESSAGE-INTEGRITY does not verify with the %s's ice-pwd (%v)", m.Type, map[bool]string{true: "receiver", false: "responder"}[isReq], err)
				} else {
					counts[side].signed++
				}
			}
		}
		switch m.Type.Class {
		case stun.ClassRequest:
			counts[side].requests++
			reqTID[d.N] = m.TransactionID
			uc := f.useCandidate[side]
			uc.checked++
			_, errCtl := m.ICEControlled()
			_, errCtg := m.ICEControlling()
			if m.UseCandidate() {
				counts[side].nominations++
				switch {
				case errCtl == nil:
					uc.violate(d.N, "USE-CANDIDATE in a request that says ICE-CONTROLLED: only the controlling agent nominates")
				case errCtg != nil:
					uc.violate(d.N, "USE-CANDIDATE in a request without ICE-CONTROLLING (RFC 8445 §7.1.3 requires the role attribute)")
				case s.Roles.ICEControllingKnown && s.Roles.ICEControlling != side:
					uc.violate(d.N, "USE-CANDIDATE from the %s, but the %s controls", side, s.Roles.ICEControlling)
				}
			}
			if onSelectedPair(s, d, side) {
				requests[side] = append(requests[side], d)
			}
		case stun.ClassSuccessResponse:
			if _, seen := answered[m.TransactionID]; !seen {
				answered[m.TransactionID] = d.Time
			}
		}
	}
	for side := range 2 {
		c := counts[side]
		p := s.Roles.Peer(conformance.Side(side))
		f.fingerprint[side].passDetail = fmt.Sprintf("%d STUN messages, every FINGERPRINT matches", c.fp)
		f.fingerprint[side].naDetail = "sent no STUN message"
		f.integrity[side].passDetail = fmt.Sprintf("%d signed STUN messages verify with the ice-pwd RFC 8445 §7.2.2 names", c.signed)
		f.integrity[side].naDetail = "sent no Binding request or response"
		uc := f.useCandidate[side]
		uc.passDetail = fmt.Sprintf("%d requests, %d with USE-CANDIDATE (nominations only with ICE-CONTROLLING, from the controlling side)", c.requests, c.nominations)
		uc.naDetail = fmt.Sprintf("sent no Binding request (ICE-lite: %v)", p.ICELite)
		l.consentPace(f.consent[side], conformance.Side(side), requests[side], answered, reqTID)
	}
	return f
}

// onSelectedPair reports whether d goes between the two sides' media
// addresses (the selected pair), sent by side.
func onSelectedPair(s *conformance.Session, d conformance.Datagram, side conformance.Side) bool {
	return d.Src == s.Roles.Peer(side).MediaAddr && d.Dst == s.Roles.Peer(side.Other()).MediaAddr
}

// consentPace applies RFC 7675 §5.1 to one side's checks on the selected
// pair once the DTLS handshake began (the session is up): intervals
// between checks (retransmissions, same transaction, excluded) of 4–6 s,
// and no SRTP from that side more than 30 s after the last answered one.
func (l *linter) consentPace(f *finding, side conformance.Side, reqs []conformance.Datagram, answered map[stun.TransactionID]time.Time, tid map[int]stun.TransactionID) {
	s := l.s
	var start time.Time
	for _, d := range s.Datagrams {
		if demux.Classify(d.Payload) == demux.DTLS {
			start = d.Time
			break
		}
	}
	if len(reqs) == 0 {
		f.naDetail = "sent no checks on the selected pair (an ICE-lite agent does not run consent checks, RFC 7675 §5.1)"
		return
	}
	var checks []conformance.Datagram
	seen := map[stun.TransactionID]bool{}
	for _, d := range reqs {
		if d.Time.Before(start) || seen[tid[d.N]] {
			continue
		}
		seen[tid[d.N]] = true
		checks = append(checks, d)
	}
	var last time.Time
	for _, d := range s.Datagrams {
		if d.Time.After(last) {
			last = d.Time
		}
	}
	if len(checks) < 2 {
		f.naDetail = fmt.Sprintf("%d consent check(s) after the handshake began, over %v: too few to measure the pace", len(checks), last.Sub(start).Round(time.Millisecond))
		if last.Sub(start) <= consentExpiry {
			return
		}
	}
	var min, max time.Duration
	for i := 1; i < len(checks); i++ {
		gap := checks[i].Time.Sub(checks[i-1].Time)
		f.checked++
		if i == 1 || gap < min {
			min = gap
		}
		if gap > max {
			max = gap
		}
		if gap < consentMin || gap > consentMax {
			f.warn(checks[i].N, "consent check %v after the previous one, outside 4–6 s", gap.Round(time.Millisecond))
		}
	}
	// Consent expiry: media sent more than 30 s after the last answered
	// check (or after the handshake began, before any check was answered).
	fresh := start
	ci := 0
	for _, d := range s.Datagrams {
		for ci < len(checks) && !checks[ci].Time.After(d.Time) {
			if at, ok := answered[tid[checks[ci].N]]; ok && !at.After(d.Time) {
				fresh = checks[ci].Time
			}
			ci++
		}
		// Data channels count as much as media (RFC 7675 §5.1: transmission
		// on the 5-tuple ceases): DTLS records carry the SCTP of a
		// data-only session.
		c := demux.Classify(d.Payload)
		if c != demux.RTP && c != demux.RTCP && c != demux.DTLS {
			continue
		}
		if from, ok := s.Roles.Sender(d); !ok || from != side || d.Time.Before(start) {
			continue
		}
		f.checked++
		if age := d.Time.Sub(fresh); age > consentExpiry {
			what := "media"
			if c == demux.DTLS {
				what = "DTLS (data channel)"
			}
			f.violate(d.N, "%s sent %v after the last answered consent check: consent had expired (30 s), sending MUST stop", what, age.Round(time.Millisecond))
		}
	}
	f.passDetail = fmt.Sprintf("%d consent checks, %v to %v apart", len(checks), min.Round(time.Millisecond), max.Round(time.Millisecond))
}
