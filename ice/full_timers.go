package ice

import "time"

// EventFailed: every candidate pair failed before one was nominated
// (RFC 8445 §8.1.2); the full agent reports it, the lite agent never does.
const EventFailed EventKind = EventRestarted + 1

// consentJitter is the interval to the next consent check: the mean
// ConsentInterval times a uniform factor in [0.8, 1.2] (RFC 7675 §5.1,
// so that checks of many sessions do not synchronise).
func (a *FullAgent) consentJitter() time.Duration {
	return time.Duration(float64(a.cfg.ConsentInterval) * (0.8 + 0.4*a.randomFraction()))
}

// NextTimeout returns when HandleTimeout must next be called: the next
// paced check (RFC 8445 §14.2), retransmission (RFC 8489 §6.2.1),
// nomination deadline, consent check or consent expiry (RFC 7675 §5.1).
// ok is false when nothing is pending.
func (a *FullAgent) NextTimeout() (t time.Time, ok bool) {
	at := func(c time.Time) {
		if !ok || c.Before(t) {
			t, ok = c, true
		}
	}
	if a.hasWork() && !a.consentLost {
		at(a.nextCheck)
	}
	for i := range a.txs {
		at(a.txs[i].next)
	}
	if best := a.bestValid(); best >= 0 && a.role == RoleControlling && a.selected < 0 && a.nominating < 0 && !a.consentLost {
		due := a.nextCheck
		if a.betterPending(best) && due.Before(a.firstValid.Add(a.cfg.NominationWait)) {
			due = a.firstValid.Add(a.cfg.NominationWait)
		}
		at(due)
	}
	if a.selected >= 0 && !a.consentLost {
		at(a.consentNext)
		at(a.consentLast.Add(a.cfg.ConsentTimeout))
	}
	return t, ok
}

// HandleTimeout advances the agent's clock to now: retransmissions due
// are sent, at most one new check per Ta (the triggered queue first,
// RFC 8445 §6.1.4.2), the controlling agent nominates when it may
// (§8.1.1), and on the selected pair a consent check goes out every
// 4-6 s; consent is lost when no response came for ConsentTimeout
// (RFC 7675 §5.1): EventConsentLost, and SelectedPair reports none.
func (a *FullAgent) HandleTimeout(now time.Time) {
	a.touch(now)
	a.retransmit(now)
	if a.selected >= 0 && !a.consentLost {
		if !now.Before(a.consentLast.Add(a.cfg.ConsentTimeout)) {
			pair, _ := a.SelectedPair()
			a.consentLost = true
			a.pushEvent(Event{Kind: EventConsentLost, Pair: pair, Time: now})
			return
		}
		if !now.Before(a.consentNext) {
			a.sendCheck(a.selected, false, true, now)
			a.consentNext = now.Add(a.consentJitter())
		}
	}
	if a.consentLost || now.Before(a.nextCheck) || !a.hasRemote {
		return
	}
	if a.maybeNominate(now) {
		a.nextCheck = now.Add(a.cfg.Ta)
		return
	}
	if i := a.nextPair(); i >= 0 {
		a.sendCheck(i, false, false, now)
		a.nextCheck = now.Add(a.cfg.Ta)
	}
}
