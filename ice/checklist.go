package ice

import "net/netip"

// checkState is a candidate pair's state, RFC 8445 §6.1.2.6.
type checkState uint8

const (
	stateFrozen checkState = iota
	stateWaiting
	stateInProgress
	stateSucceeded
	stateFailed
)

func (s checkState) String() string {
	return [...]string{"frozen", "waiting", "in-progress", "succeeded", "failed"}[s]
}

// candidatePair is one entry of the check list (RFC 8445 §6.1.2): indices
// of a local and a remote candidate, its state, and whether it is valid
// (§7.2.5.3.2) or nominated (§8.1.1).
type candidatePair struct {
	local, remote int
	foundation    string // local foundation + ":" + remote foundation, §6.1.2.6
	state         checkState
	valid         bool
	// nominateOnSuccess: a controlled agent got USE-CANDIDATE on this
	// pair before its own check succeeded (RFC 8445 §7.3.1.5).
	nominateOnSuccess bool
	nominated         bool
}

// pairPriority is RFC 8445 §6.1.2.3: with G the controlling agent's
// candidate priority and D the controlled agent's,
//
//	priority = 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0)
func pairPriority(g, d uint32) uint64 {
	lo, hi := min(g, d), max(g, d)
	p := uint64(lo)<<32 + 2*uint64(hi)
	if g > d {
		p++
	}
	return p
}

func (a *FullAgent) priorityOf(p *candidatePair) uint64 {
	l, r := a.candidates[p.local].Priority, a.remotes[p.remote].Priority
	if a.role == RoleControlling {
		return pairPriority(l, r)
	}
	return pairPriority(r, l)
}

// addPair pairs local candidate li with remote candidate ri when their
// address families match (RFC 8445 §6.1.2.2). The new pair is Waiting
// when it is the only one of its foundation, Frozen otherwise
// (§6.1.2.6: one Waiting pair per foundation to start with).
func (a *FullAgent) addPair(li, ri int) int {
	l, r := a.candidates[li].Address.Addr(), a.remotes[ri].Address.Addr()
	if l.Is4() != r.Is4() || l.IsLinkLocalUnicast() != r.IsLinkLocalUnicast() {
		return -1
	}
	for i := range a.list {
		if a.list[i].local == li && a.list[i].remote == ri {
			return i
		}
	}
	p := candidatePair{local: li, remote: ri, foundation: a.candidates[li].Foundation + ":" + a.remotes[ri].Foundation, state: stateWaiting}
	for i := range a.list {
		if a.list[i].foundation == p.foundation && a.list[i].state <= stateInProgress {
			p.state = stateFrozen
			break
		}
	}
	a.list = append(a.list, p)
	a.failed = false
	return len(a.list) - 1
}

// pairFor returns the pair of local address local and remote address
// remote, or -1.
func (a *FullAgent) pairFor(local, remote netip.AddrPort) int {
	for i := range a.list {
		p := &a.list[i]
		if a.candidates[p.local].Address == local && a.remotes[p.remote].Address == remote {
			return i
		}
	}
	return -1
}

// unfreeze sets the Frozen pairs of foundation f to Waiting, RFC 8445
// §7.2.5.3.3: a success makes similar pairs likely to succeed.
func (a *FullAgent) unfreeze(f string) {
	for i := range a.list {
		if a.list[i].state == stateFrozen && a.list[i].foundation == f {
			a.list[i].state = stateWaiting
		}
	}
}

// nextPair picks the pair for the next check, RFC 8445 §6.1.4.2: the
// head of the triggered-check queue; else the highest-priority Waiting
// pair; else, if no pair is Waiting, a Frozen pair whose foundation has no
// Waiting or In-Progress pair is unfrozen and taken. -1 means nothing to
// check.
func (a *FullAgent) nextPair() int {
	for len(a.triggered) > 0 {
		i := a.triggered[0]
		a.triggered = a.triggered[1:]
		if a.list[i].state == stateWaiting {
			return i
		}
	}
	best := -1
	for i := range a.list {
		if a.list[i].state == stateWaiting && (best < 0 || a.priorityOf(&a.list[i]) > a.priorityOf(&a.list[best])) {
			best = i
		}
	}
	if best >= 0 {
		return best
	}
	for i := range a.list {
		if a.list[i].state != stateFrozen {
			continue
		}
		busy := false
		for j := range a.list {
			if a.list[j].foundation == a.list[i].foundation && (a.list[j].state == stateWaiting || a.list[j].state == stateInProgress) {
				busy = true
				break
			}
		}
		if !busy && (best < 0 || a.priorityOf(&a.list[i]) > a.priorityOf(&a.list[best])) {
			best = i
		}
	}
	if best >= 0 {
		a.list[best].state = stateWaiting
	}
	return best
}

// hasWork reports whether a new check could be sent now.
func (a *FullAgent) hasWork() bool {
	if !a.hasRemote {
		return false
	}
	if len(a.triggered) > 0 {
		return true
	}
	for i := range a.list {
		if s := a.list[i].state; s == stateWaiting || s == stateFrozen {
			return true
		}
	}
	return false
}

// trigger queues pair i for a triggered check (RFC 8445 §7.3.1.4).
func (a *FullAgent) trigger(i int) {
	a.list[i].state = stateWaiting
	for _, j := range a.triggered {
		if j == i {
			return
		}
	}
	a.triggered = append(a.triggered, i)
}

// bestValid returns the highest-priority valid pair that has not failed
// a nomination, or -1.
func (a *FullAgent) bestValid() int {
	best := -1
	for i := range a.list {
		if a.list[i].valid && a.list[i].state == stateSucceeded && (best < 0 || a.priorityOf(&a.list[i]) > a.priorityOf(&a.list[best])) {
			best = i
		}
	}
	return best
}

// betterPending reports whether a pair with a priority above pair i may
// still become valid (is Frozen, Waiting or In-Progress).
func (a *FullAgent) betterPending(i int) bool {
	pi := a.priorityOf(&a.list[i])
	for j := range a.list {
		if s := a.list[j].state; s <= stateInProgress && a.priorityOf(&a.list[j]) > pi {
			return true
		}
	}
	return false
}
