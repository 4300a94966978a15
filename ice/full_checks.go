package ice

import (
	"io"
	"net/netip"
	"time"

	"github.com/plainrtc/plainrtc/stun"
)

// maxTransactions bounds the checks in flight (RFC 8445 §14.2 paces them,
// so a few dozen cover Rc transmissions of every pair).
const maxTransactions = 64

// transaction is one outstanding Binding request of ours (RFC 8489
// §6.2.1): retransmitted with doubling RTO until a response or Rc
// transmissions and a final wait of Rm*RTO.
type transaction struct {
	id           stun.TransactionID
	pair         int
	role         Role // the role the request claimed (RFC 8445 §7.2.5.1)
	useCandidate bool
	consent      bool
	sends        int
	rto          time.Duration
	next         time.Time // next retransmission, or the timeout
	raw          []byte
}

// sendCheck sends a connectivity check on pair i (RFC 8445 §7.2.4):
// USERNAME "<remote ufrag>:<local ufrag>", PRIORITY of a peer-reflexive
// candidate from this base (§7.1.1), the role attribute with the
// tie-breaker (§7.1.3), USE-CANDIDATE when nominating (§8.1.1),
// MESSAGE-INTEGRITY with the remote password and FINGERPRINT (§7.2.2).
func (a *FullAgent) sendCheck(i int, useCandidate, consent bool, now time.Time) {
	if len(a.txs) >= maxTransactions {
		a.stats.DropQueueFull++
		return
	}
	var id stun.TransactionID
	if _, err := io.ReadFull(a.rand, id[:]); err != nil {
		return
	}
	p := &a.list[i]
	lc := a.candidates[p.local]
	b := &a.builder
	b.Reset(make([]byte, 0, 128), stun.BindingRequest, id)
	b.AddUsername(a.username)
	b.AddPriority(Priority(CandidatePeerReflexive, uint16(lc.Priority>>8), lc.Component))
	if a.role == RoleControlling {
		b.AddICEControlling(a.tieBreaker)
	} else {
		b.AddICEControlled(a.tieBreaker)
	}
	if useCandidate {
		b.AddUseCandidate()
	}
	b.AddMessageIntegrity(a.remoteMI)
	b.AddFingerprint()
	raw, err := b.Bytes()
	if err != nil {
		return
	}
	a.txs = append(a.txs, transaction{id: id, pair: i, role: a.role, useCandidate: useCandidate, consent: consent,
		sends: 1, rto: a.cfg.RTO, next: now.Add(a.cfg.RTO), raw: raw})
	if consent {
		// RFC 7675 §5.1 sends a fresh check every few seconds instead of
		// retransmitting one: a lost one is replaced by the next.
		a.txs[len(a.txs)-1].sends = a.cfg.Rc
		a.txs[len(a.txs)-1].next = now.Add(a.cfg.ConsentTimeout)
		a.stats.ConsentSent++
	} else {
		if !useCandidate || p.state != stateSucceeded {
			p.state = stateInProgress
		}
		a.stats.ChecksSent++
	}
	a.transmit(i, raw)
}

func (a *FullAgent) transmit(i int, raw []byte) {
	p := &a.list[i]
	buf := append(a.tx.next(), raw...)
	a.send(a.candidates[p.local].Address, a.remotes[p.remote].Address, buf)
}

// retransmit handles the transactions due at now (RFC 8489 §6.2.1):
// resend with a doubled RTO while fewer than Rc were sent; after the
// Rc-th, wait Rm*RTO and then the check fails (RFC 8445 §7.2.5.2.4... a
// timeout leaves the pair Failed).
func (a *FullAgent) retransmit(now time.Time) {
	for k := 0; k < len(a.txs); {
		t := &a.txs[k]
		if now.Before(t.next) {
			k++
			continue
		}
		if t.sends < a.cfg.Rc {
			t.sends++
			t.rto *= 2
			if t.sends == a.cfg.Rc {
				t.next = now.Add(rm * a.cfg.RTO)
			} else {
				t.next = now.Add(t.rto)
			}
			a.stats.Retransmits++
			a.transmit(t.pair, t.raw)
			k++
			continue
		}
		done := *t
		a.removeTx(k)
		if done.consent {
			continue
		}
		a.stats.Timeouts++
		a.checkFailed(done.pair, done.useCandidate, now)
	}
}

func (a *FullAgent) removeTx(k int) {
	copy(a.txs[k:], a.txs[k+1:])
	a.txs = a.txs[:len(a.txs)-1]
}

// cancelChecks drops the ordinary transactions of pair i (RFC 8445
// §7.3.1.4: an In-Progress check is cancelled when a triggered check
// replaces it; responses to it are then ignored).
func (a *FullAgent) cancelChecks(i int) {
	for k := 0; k < len(a.txs); {
		if a.txs[k].pair == i && !a.txs[k].consent {
			a.removeTx(k)
			continue
		}
		k++
	}
}

// checkFailed marks pair i Failed; a failed nomination lets the
// controlling agent nominate another pair, and a check list with every
// pair failed and none selected is Failed (RFC 8445 §8.1.2).
func (a *FullAgent) checkFailed(i int, useCandidate bool, now time.Time) {
	a.list[i].state = stateFailed
	a.list[i].valid = false
	if useCandidate && a.nominating == i {
		a.nominating = -1
	}
	if a.selected >= 0 || a.failed {
		return
	}
	for k := range a.list {
		if a.list[k].state != stateFailed {
			return
		}
	}
	if len(a.triggered) > 0 {
		return
	}
	a.failed = true
	a.pushEvent(Event{Kind: EventFailed, Time: now})
}

// handleResponse processes a response to one of our checks (RFC 8445
// §7.2.5): the transaction must be ours, the response signed with the
// remote password, from the address the request went to (§7.2.5.2.1).
func (a *FullAgent) handleResponse(local, from netip.AddrPort, now time.Time) error {
	m := &a.msg
	k := -1
	for j := range a.txs {
		if a.txs[j].id == m.TransactionID {
			k = j
			break
		}
	}
	if k < 0 {
		a.stats.DropUnmatched++
		return ErrUnmatchedResponse
	}
	if !a.hasRemote || (!m.Contains(stun.AttrMessageIntegrity) && !m.Contains(stun.AttrMessageIntegritySHA256)) || a.remoteMI.Check(m) != nil {
		// RFC 8489 §9.1.5: a response failing integrity is discarded as
		// if never received; the transaction goes on.
		a.stats.DropUnauth++
		return ErrResponseIntegrity
	}
	t := a.txs[k]
	a.removeTx(k)
	p := &a.list[t.pair]
	if from != a.remotes[p.remote].Address || (local.IsValid() && !local.Addr().IsUnspecified() && local != a.candidates[p.local].Address) {
		// RFC 8445 §7.2.5.2.1: non-symmetric transport addresses.
		if !t.consent {
			a.checkFailed(t.pair, t.useCandidate, now)
		}
		return ErrAsymmetric
	}
	if m.Type.Class == stun.ClassErrorResponse {
		a.stats.ErrorResponses++
		ec, _ := m.ErrorCode()
		if ec.Code == stun.CodeRoleConflict && !t.consent {
			// RFC 8445 §7.2.5.1: switch role only if the request claimed
			// the role we still hold, and retry as a triggered check.
			if t.role == a.role {
				a.switchRole()
			}
			if a.nominating == t.pair {
				a.nominating = -1
			}
			a.trigger(t.pair)
			return ErrRoleConflictResponse
		}
		if !t.consent {
			a.checkFailed(t.pair, t.useCandidate, now)
		}
		return ErrCheckRejected
	}
	if t.consent {
		if t.pair == a.selected && !a.consentLost {
			a.consentLast = now
			a.stats.ConsentOK++
		}
		return nil
	}
	a.stats.Successes++
	// RFC 8445 §7.2.5.3.1: XOR-MAPPED-ADDRESS naming none of our
	// candidates is a local peer-reflexive candidate; its base is the
	// local candidate the check was sent from, which is what media uses,
	// so the checked pair itself is the valid pair (see doc.go).
	p.state = stateSucceeded
	p.valid = true
	if a.firstValid.IsZero() {
		a.firstValid = now
	}
	a.unfreeze(p.foundation)
	if (t.useCandidate && a.role == RoleControlling) || (p.nominateOnSuccess && a.role == RoleControlled) {
		a.nominate(t.pair, now)
	}
	return nil
}

// switchRole flips the role after a conflict (RFC 8445 §7.2.5.1,
// §7.3.1.1); pair priorities follow from the role.
func (a *FullAgent) switchRole() {
	a.stats.RoleConflicts++
	if a.role == RoleControlling {
		a.role = RoleControlled
	} else {
		a.role = RoleControlling
	}
	a.nominating = -1
}

// nominate records pair i as nominated and selects it (RFC 8445 §8.1.1,
// §8.2: with one component, the first nominated pair completes ICE; a
// later nomination moves the selection).
func (a *FullAgent) nominate(i int, now time.Time) {
	p := &a.list[i]
	p.nominated = true
	a.stats.Nominations++
	if a.nominating == i {
		a.nominating = -1
	}
	if a.consentLost || a.selected == i {
		return
	}
	first := a.selected < 0
	a.selected = i
	a.failed = false
	a.consentLast = now
	a.consentNext = now.Add(a.consentJitter())
	pair, _ := a.SelectedPair()
	if first {
		a.pushEvent(Event{Kind: EventConnected, Pair: pair, Time: now})
	} else {
		a.pushEvent(Event{Kind: EventSelectedPairChanged, Pair: pair, Time: now})
	}
}

// maybeNominate is the controlling agent's regular nomination (RFC 8445
// §8.1.1): once a valid pair exists and either no better pair can still
// succeed or NominationWait has passed, it sends a check with
// USE-CANDIDATE on the best valid pair.
// It reports whether it sent one (which takes the Ta slot, §14.2).
func (a *FullAgent) maybeNominate(now time.Time) bool {
	if a.role != RoleControlling || a.selected >= 0 || a.nominating >= 0 || a.consentLost {
		return false
	}
	best := a.bestValid()
	if best < 0 {
		return false
	}
	if a.betterPending(best) && now.Before(a.firstValid.Add(a.cfg.NominationWait)) {
		return false
	}
	a.nominating = best
	a.sendCheck(best, true, false, now)
	return true
}
