package ice

import (
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/plainrtc/plainrtc/stun"
)

// Errors the full agent's HandleSTUN returns besides the lite agent's.
var (
	ErrUnmatchedResponse    = errors.New("ice: response to no transaction of ours, or an indication (RFC 8489 §6.3.3)")
	ErrResponseIntegrity    = errors.New("ice: response MESSAGE-INTEGRITY does not verify with the remote ice-pwd (RFC 8445 §7.2.5, RFC 8489 §9.1.5)")
	ErrAsymmetric           = errors.New("ice: response from another address than the check went to (RFC 8445 §7.2.5.2.1)")
	ErrRoleConflictResponse = errors.New("ice: 487 Role Conflict to our check; role resolved and check retried (RFC 8445 §7.2.5.1)")
	ErrCheckRejected        = errors.New("ice: error response to our check; pair failed (RFC 8445 §7.2.5.2.4)")
	ErrRoleConflictAnswered = errors.New("ice: role conflict with a larger local tie-breaker; answered 487 (RFC 8445 §7.3.1.1)")
)

// HandleSTUN processes one STUN datagram that arrived on local from
// from at now. Requests are the peer's checks, answered as RFC 8445 §7.3
// says (the full agent is a STUN server too); responses complete our
// checks (§7.2.5). The error says why a message changed nothing; it is
// informational, the agent counted it in Stats.
func (a *FullAgent) HandleSTUN(b []byte, local, from netip.AddrPort, now time.Time) error {
	a.touch(now)
	from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
	m := &a.msg
	if err := m.Unmarshal(b); err != nil {
		a.stats.DropMalformed++
		return err
	}
	if stun.CheckFingerprint(m) != nil {
		a.stats.DropFingerprint++
		return ErrFingerprint
	}
	local = a.localFor(local, from)
	switch m.Type.Class {
	case stun.ClassRequest:
		return a.handleRequest(local, from, now)
	case stun.ClassSuccessResponse, stun.ClassErrorResponse:
		return a.handleResponse(local, from, now)
	}
	a.stats.DropUnmatched++ // indications (keepalives, RFC 8445 §11) need no answer
	return ErrUnmatchedResponse
}

// localFor picks the local candidate a packet arrived on (see
// localAddrFor).
func (a *FullAgent) localFor(local, from netip.AddrPort) netip.AddrPort {
	return localAddrFor(local, from, a.candidates)
}

// handleRequest answers a peer's check (RFC 8445 §7.3): USERNAME
// "<local ufrag>:<remote ufrag>" and MESSAGE-INTEGRITY with the local
// password or it is dropped (not reflected); then 420, 400 and the role
// conflict rules of §7.3.1.1; a success response with XOR-MAPPED-ADDRESS
// (§7.3.1.2); a peer-reflexive candidate for an unknown source
// (§7.3.1.3); a triggered check (§7.3.1.4); and for a controlled agent
// the nomination USE-CANDIDATE carries (§7.3.1.5).
func (a *FullAgent) handleRequest(local, from netip.AddrPort, now time.Time) error {
	m := &a.msg
	u, err := m.Username()
	if err != nil {
		a.stats.DropUnauth++
		return ErrNoUsername
	}
	if !m.Contains(stun.AttrMessageIntegrity) && !m.Contains(stun.AttrMessageIntegritySHA256) {
		a.stats.DropUnauth++
		return ErrNoIntegrity
	}
	if !a.usernameMatches(u) {
		a.stats.DropUnauth++
		return ErrUnknownUsername
	}
	if a.localMI.Check(m) != nil {
		a.stats.DropUnauth++
		return ErrIntegrity
	}
	if a.unknown = m.UnknownComprehensionRequired(a.unknown[:0], nil); len(a.unknown) > 0 {
		a.answerError(local, from, stun.CodeUnknownAttribute, a.unknown)
		return ErrUnknownAttribute
	}
	if m.Type.Method != stun.MethodBinding {
		a.answerError(local, from, stun.CodeBadRequest, nil)
		return fmt.Errorf("%w: method %v", ErrBadRequest, m.Type.Method)
	}
	prio, err := m.Priority()
	if err != nil {
		a.answerError(local, from, stun.CodeBadRequest, nil)
		return fmt.Errorf("%w: PRIORITY: %v", ErrBadRequest, err)
	}
	useCandidate := m.UseCandidate()
	if uc, ok := m.Get(stun.AttrUseCandidate); ok && len(uc.Value) != 0 {
		a.answerError(local, from, stun.CodeBadRequest, nil)
		return fmt.Errorf("%w: USE-CANDIDATE has %d value bytes, want 0 (RFC 8445 §16.1)", ErrBadRequest, len(uc.Value))
	}
	// RFC 8445 §7.3.1.1: the agent with the larger tie-breaker keeps its
	// role; the other switches (when it is us) or gets 487.
	if v, err := m.ICEControlling(); err == nil && a.role == RoleControlling {
		if a.tieBreaker >= v {
			a.answerError(local, from, stun.CodeRoleConflict, nil)
			return ErrRoleConflictAnswered
		}
		a.switchRole()
	} else if v, err := m.ICEControlled(); err == nil && a.role == RoleControlled {
		if a.tieBreaker >= v {
			a.switchRole()
		} else {
			a.answerError(local, from, stun.CodeRoleConflict, nil)
			return ErrRoleConflictAnswered
		}
	}
	a.answerSuccess(local, from)
	a.stats.RequestsAnswered++

	// §7.3.1.3: a source we do not know is a peer-reflexive candidate
	// with the priority the request carries.
	ri := a.remoteIndex(from)
	if ri < 0 {
		if len(a.remotes) >= maxRemoteCandidates {
			return nil
		}
		a.remotes = append(a.remotes, RemoteCandidate{Foundation: "prflx" + from.String(), Priority: prio, Address: from, Type: CandidatePeerReflexive})
		ri = len(a.remotes) - 1
	}
	li := -1
	for k := range a.candidates {
		if a.candidates[k].Address == local {
			li = k
		}
	}
	if li < 0 {
		return nil // arrived on an address that is not a candidate of ours
	}
	i := a.pairFor(local, from)
	if i < 0 {
		if i = a.addPair(li, ri); i < 0 {
			return nil
		}
	}
	p := &a.list[i]
	// §7.3.1.4 triggered checks.
	switch p.state {
	case stateSucceeded:
	case stateInProgress:
		a.cancelChecks(i)
		a.trigger(i)
	default:
		a.trigger(i)
	}
	// §7.3.1.5: a controlled agent follows USE-CANDIDATE at once when
	// the pair already succeeded, else when its triggered check does.
	if useCandidate && a.role == RoleControlled {
		if p.state == stateSucceeded {
			a.nominate(i, now)
		} else {
			p.nominateOnSuccess = true
		}
	}
	return nil
}

// usernameMatches checks USERNAME against "<local ufrag>:<remote ufrag>"
// (RFC 8445 §7.3); before the peer's credentials are known only the
// local half can be checked.
func (a *FullAgent) usernameMatches(u []byte) bool {
	if a.hasRemote {
		return string(u) == a.expect
	}
	n := len(a.local.Ufrag)
	return len(u) > n && string(u[:n]) == a.local.Ufrag && u[n] == ':'
}

// answerSuccess sends the Binding success of RFC 8445 §7.3.1.2.
func (a *FullAgent) answerSuccess(local, from netip.AddrPort) {
	b := &a.builder
	b.Reset(a.tx.next(), stun.BindingSuccess, a.msg.TransactionID)
	b.AddXORMappedAddress(from)
	signLike(b, &a.msg, a.localMI)
	b.AddFingerprint()
	if out, err := b.Bytes(); err == nil {
		a.send(local, from, out)
	}
}

// answerError sends a signed error response (RFC 8489 §6.3.1.1, §9.1.4).
func (a *FullAgent) answerError(local, from netip.AddrPort, code int, unknown []stun.AttrType) {
	b := &a.builder
	b.Reset(a.tx.next(), stun.MessageType{Method: a.msg.Type.Method, Class: stun.ClassErrorResponse}, a.msg.TransactionID)
	b.AddErrorCode(code, "")
	if len(unknown) > 0 {
		b.AddUnknownAttributes(unknown)
	}
	signLike(b, &a.msg, a.localMI)
	b.AddFingerprint()
	if out, err := b.Bytes(); err == nil {
		a.send(local, from, out)
		a.stats.ErrorsSent++
	}
}

// signLike appends the integrity attributes the request req was
// authenticated with (RFC 8489 §9.1.3): MESSAGE-INTEGRITY-SHA256 for a
// request that had it, MESSAGE-INTEGRITY for one that had only that.
func signLike(b *stun.Builder, req *stun.Message, mi *stun.Integrity) {
	sha256 := req.Contains(stun.AttrMessageIntegritySHA256)
	if !sha256 || req.Contains(stun.AttrMessageIntegrity) {
		b.AddMessageIntegrity(mi)
	}
	if sha256 {
		b.AddMessageIntegritySHA256(mi, 0)
	}
}
