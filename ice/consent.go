package ice

import "time"

// checked records an authenticated, answered Binding request on p
// (RFC 7675 §5.1: it refreshes consent) and a nomination when the request
// carried USE-CANDIDATE (RFC 8445 §7.3.1.5, §8.2: the controlled agent
// selects the nominated pair; a later nomination on another pair moves
// the selection).
func (a *Agent) checked(p Pair, useCandidate bool, now time.Time) {
	i := a.pairIndex(p)
	a.pairs[i].lastRequest = now
	if !useCandidate || a.consentLost {
		return
	}
	a.stats.Nominations++
	switch {
	case a.selected < 0:
		a.selected = i
		a.pushEvent(Event{Kind: EventConnected, Pair: p, Time: now})
	case a.selected != i:
		a.selected = i
		a.stats.SelectedPairMoves++
		a.pushEvent(Event{Kind: EventSelectedPairChanged, Pair: p, Time: now})
	}
}

// pairIndex finds p or adds it, evicting the least recently checked
// unselected pair when full.
func (a *Agent) pairIndex(p Pair) int {
	for i := range a.pairs {
		if a.pairs[i].pair == p {
			return i
		}
	}
	if len(a.pairs) < maxPairs {
		a.pairs = append(a.pairs, pairState{pair: p})
		return len(a.pairs) - 1
	}
	victim := -1
	for i := range a.pairs {
		if i == a.selected {
			continue
		}
		if victim < 0 || a.pairs[i].lastRequest.Before(a.pairs[victim].lastRequest) {
			victim = i
		}
	}
	a.pairs[victim] = pairState{pair: p}
	return victim
}

// consentDeadline is when the selected pair's consent expires.
func (a *Agent) consentDeadline() (time.Time, bool) {
	if a.selected < 0 || a.consentLost {
		return time.Time{}, false
	}
	return a.pairs[a.selected].lastRequest.Add(a.consentTimeout), true
}

// NextTimeout returns when HandleTimeout must next be called: the consent
// expiry of the selected pair (RFC 7675 §5.1). ok is false when nothing is
// pending (no pair selected yet, or consent already lost).
func (a *Agent) NextTimeout() (t time.Time, ok bool) { return a.consentDeadline() }

// HandleTimeout advances the agent's clock. When no authenticated request
// has arrived on the selected pair for the consent timeout (30 s, RFC 7675
// §5.1) — at exactly that instant or later — consent is lost:
// EventConsentLost is reported and SelectedPair stops returning the pair.
// Consent stays lost until an ICE restart (Restart or new remote
// credentials) and a new nomination.
func (a *Agent) HandleTimeout(now time.Time) {
	deadline, ok := a.consentDeadline()
	if !ok || now.Before(deadline) {
		return
	}
	a.consentLost = true
	a.pushEvent(Event{Kind: EventConsentLost, Pair: a.pairs[a.selected].pair, Time: now})
	a.selected = -1
}

// ConsentLost reports whether consent expired (RFC 7675 §5.1).
func (a *Agent) ConsentLost() bool { return a.consentLost }
