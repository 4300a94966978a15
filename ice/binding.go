package ice

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/plainrtc/plainrtc/stun"
)

// Errors HandleSTUN returns for input it drops. They are sentinels, so
// dropping a flood of bad packets allocates nothing.
var (
	ErrNotRequest       = errors.New("ice: STUN message is not a request; an ICE-lite agent sends no requests, so it expects no responses (RFC 8445 §2.5)")
	ErrFingerprint      = errors.New("ice: FINGERPRINT missing or wrong (RFC 8445 §7.2.2, RFC 8489 §14.7)")
	ErrNoUsername       = errors.New("ice: Binding request without USERNAME (RFC 8489 §9.1.3)")
	ErrNoIntegrity      = errors.New("ice: Binding request without MESSAGE-INTEGRITY (RFC 8489 §9.1.3)")
	ErrUnknownUsername  = errors.New("ice: USERNAME is not \"<local ufrag>:<remote ufrag>\" (RFC 8445 §7.3, RFC 8489 §9.1.3)")
	ErrIntegrity        = errors.New("ice: MESSAGE-INTEGRITY does not verify with the local ice-pwd (RFC 8445 §7.3, RFC 8489 §9.1.3)")
	ErrRoleConflict     = errors.New("ice: request has ICE-CONTROLLED, but an ICE-lite agent is always controlled; answered 487 (RFC 8445 §7.3.1.1)")
	ErrUnknownAttribute = errors.New("ice: request has unknown comprehension-required attributes; answered 420 (RFC 8489 §6.3.1.1)")
	ErrBadRequest       = errors.New("ice: authenticated request is malformed; answered 400 (RFC 8489 §6.3.1, RFC 8445 §7.2.2)")
)

// HandleSTUN processes one STUN datagram that arrived on the local
// transport address local from the remote address from, at time now
// (RFC 8445 §7.3, §2.5). local may be the zero AddrPort when the socket
// cannot tell (wildcard bind); the first host candidate of from's family
// is used then.
//
// Order of the checks (RFC 8489 §6.3, §9.1.3; RFC 8445 §7.3):
//  1. framing (silently dropped when broken), class (only requests are
//     answered), FINGERPRINT (dropped when missing or wrong);
//  2. USERNAME "<local ufrag>:<remote ufrag>" and MESSAGE-INTEGRITY with
//     the local ice-pwd: a failure is dropped, or answered 400/401
//     unsigned with Config.AnswerUnauthenticated;
//  3. authenticated: 420 for unknown comprehension-required attributes,
//     400 for a malformed request, 487 for ICE-CONTROLLED; all signed;
//  4. success: XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT; the
//     pair's consent is refreshed and USE-CANDIDATE nominates it.
//
// The returned error says why a message was not answered with success;
// it is informational (the agent already counted it in Stats).
func (a *Agent) HandleSTUN(b []byte, local, from netip.AddrPort, now time.Time) error {
	m := &a.msg
	if err := m.Unmarshal(b); err != nil {
		a.stats.DropMalformed++
		return err
	}
	if m.Type.Class != stun.ClassRequest {
		a.stats.DropNotRequest++
		return ErrNotRequest
	}
	if stun.CheckFingerprint(m) != nil {
		a.stats.DropFingerprint++
		return ErrFingerprint
	}
	local = a.localFor(local, from)

	// Authentication, RFC 8489 §9.1.3.
	u, uerr := m.Username()
	if uerr != nil {
		return a.unauthenticated(b, local, from, stun.CodeBadRequest, ErrNoUsername)
	}
	if !m.Contains(stun.AttrMessageIntegrity) && !m.Contains(stun.AttrMessageIntegritySHA256) {
		return a.unauthenticated(b, local, from, stun.CodeBadRequest, ErrNoIntegrity)
	}
	gen := a.matchUsername(u)
	if gen < 0 {
		return a.unauthenticated(b, local, from, stun.CodeUnauthenticated, ErrUnknownUsername)
	}
	mi := a.localMI
	if gen == 1 {
		mi = a.prevMI
	}
	if mi.Check(m) != nil {
		return a.unauthenticated(b, local, from, stun.CodeUnauthenticated, ErrIntegrity)
	}
	if gen == 0 && a.previous != nil {
		// The peer uses the new credentials: the restart is complete.
		a.previous, a.prevMI = nil, nil
		a.usernames[1] = ""
	}

	// Authenticated from here on: every answer is signed (RFC 8489 §9.1.4).
	if a.unknown = m.UnknownComprehensionRequired(a.unknown[:0], nil); len(a.unknown) > 0 {
		a.respondError(local, from, mi, stun.CodeUnknownAttribute, a.unknown)
		return ErrUnknownAttribute
	}
	if m.Type.Method != stun.MethodBinding {
		a.respondError(local, from, mi, stun.CodeBadRequest, nil)
		return fmt.Errorf("%w: method %v", ErrBadRequest, m.Type.Method)
	}
	if _, err := m.Priority(); err != nil {
		// RFC 8445 §7.2.2: a check MUST carry PRIORITY.
		a.respondError(local, from, mi, stun.CodeBadRequest, nil)
		return fmt.Errorf("%w: PRIORITY: %v", ErrBadRequest, err)
	}
	if m.Contains(stun.AttrICEControlled) {
		a.respondError(local, from, mi, stun.CodeRoleConflict, nil)
		return ErrRoleConflict
	}
	if _, err := m.ICEControlling(); err != nil && err != stun.ErrAttributeNotFound {
		a.respondError(local, from, mi, stun.CodeBadRequest, nil)
		return fmt.Errorf("%w: ICE-CONTROLLING: %v", ErrBadRequest, err)
	}
	if uc, ok := m.Get(stun.AttrUseCandidate); ok && len(uc.Value) != 0 {
		a.respondError(local, from, mi, stun.CodeBadRequest, nil)
		return fmt.Errorf("%w: USE-CANDIDATE has %d value bytes, want 0 (RFC 8445 §16.1)", ErrBadRequest, len(uc.Value))
	}

	a.respondSuccess(local, from, mi)
	a.stats.Requests++
	a.checked(Pair{Local: local, Remote: from}, m.UseCandidate(), now)
	return nil
}

// matchUsername returns 0 when u matches the current credentials, 1 the
// previous ones (during a restart), -1 neither.
func (a *Agent) matchUsername(u []byte) int {
	for i := range 2 {
		want := a.usernames[i]
		if want == "" {
			continue
		}
		if a.exact[i] {
			if string(u) == want {
				return i
			}
		} else if len(u) > len(want) && string(u[:len(want)]) == want && bytes.IndexByte(u[len(want):], ':') < 0 {
			return i
		}
	}
	return -1
}

// localFor picks the local address of the pair.
func (a *Agent) localFor(local, from netip.AddrPort) netip.AddrPort {
	return localAddrFor(local, from, a.candidates)
}

// localAddrFor is the local address a packet arrived on: local itself
// (unmapped), or for a wildcard socket the first host candidate of from's
// address family. Both agents use it.
func localAddrFor(local, from netip.AddrPort, candidates []Candidate) netip.AddrPort {
	if local.IsValid() && !local.Addr().IsUnspecified() {
		return netip.AddrPortFrom(local.Addr().Unmap(), local.Port())
	}
	is4 := from.Addr().Unmap().Is4()
	for _, c := range candidates {
		if c.Address.Addr().Is4() == is4 {
			return c.Address
		}
	}
	return local
}

// unauthenticated handles a request that failed authentication: drop it,
// or answer it unsigned as RFC 8489 §9.1.3 says when configured to, never
// with a response larger than the request (no amplification).
func (a *Agent) unauthenticated(req []byte, local, from netip.AddrPort, code int, err error) error {
	if !a.cfg.AnswerUnauthenticated {
		a.stats.DropUnauth++
		return err
	}
	buf := a.tx.next()
	a.builder.Reset(buf, stun.BindingError, a.msg.TransactionID)
	a.builder.AddErrorCode(code, "")
	a.builder.AddFingerprint()
	out, berr := a.builder.Bytes()
	if berr != nil || len(out) > len(req) {
		a.stats.DropUnauth++
		return err
	}
	a.send(local, from, out)
	a.stats.ErrorResponses++
	return err
}

// respondError answers an authenticated request with a signed error,
// RFC 8489 §6.3.1.1, §9.1.4.
func (a *Agent) respondError(local, from netip.AddrPort, mi *stun.Integrity, code int, unknown []stun.AttrType) {
	b := &a.builder
	b.Reset(a.tx.next(), stun.MessageType{Method: a.msg.Type.Method, Class: stun.ClassErrorResponse}, a.msg.TransactionID)
	b.AddErrorCode(code, "")
	if len(unknown) > 0 {
		b.AddUnknownAttributes(unknown)
	}
	a.sign(mi)
	b.AddFingerprint()
	if out, err := b.Bytes(); err == nil {
		a.send(local, from, out)
		a.stats.ErrorResponses++
	}
}

// sign appends to the response being built the integrity attributes the
// request was authenticated with, RFC 8489 §9.1.3: a response to a request
// with MESSAGE-INTEGRITY-SHA256 carries MESSAGE-INTEGRITY-SHA256, one to a
// request with only MESSAGE-INTEGRITY carries MESSAGE-INTEGRITY (what
// browsers send, RFC 8445 §7.2.2).
func (a *Agent) sign(mi *stun.Integrity) { signLike(&a.builder, &a.msg, mi) }

// respondSuccess sends the Binding success response of RFC 8445 §7.3.1.4:
// XOR-MAPPED-ADDRESS with the request's source, MESSAGE-INTEGRITY (or
// MESSAGE-INTEGRITY-SHA256, see sign) with the local password, FINGERPRINT.
func (a *Agent) respondSuccess(local, from netip.AddrPort, mi *stun.Integrity) {
	b := &a.builder
	b.Reset(a.tx.next(), stun.BindingSuccess, a.msg.TransactionID)
	b.AddXORMappedAddress(from)
	a.sign(mi)
	b.AddFingerprint()
	if out, err := b.Bytes(); err == nil {
		a.send(local, from, out)
	}
}

func (a *Agent) send(local, from netip.AddrPort, payload []byte) {
	if len(a.tx.items)-a.tx.head >= maxQueuedTransmits {
		a.stats.DropQueueFull++
		return
	}
	a.tx.push(Transmit{Src: local, Dst: from, Payload: payload})
}
