package ice

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/plainrtc/plainrtc/stun"
)

// Role is an ICE agent's role (RFC 8445 §6.1.1): the controlling agent
// nominates, the controlled one follows.
type Role uint8

// Roles, RFC 8445 §6.1.1.
const (
	RoleControlling Role = iota
	RoleControlled
)

// String names the role.
func (r Role) String() string {
	if r == RoleControlling {
		return "controlling"
	}
	return "controlled"
}

// Defaults of a FullAgent.
const (
	// DefaultTa is the pacing of new checks, RFC 8445 §14.2 ("Ta SHOULD
	// be configurable ... default 50 ms").
	DefaultTa = 50 * time.Millisecond
	// DefaultRTO is the initial retransmission timeout of a check,
	// RFC 8489 §6.2.1 (500 ms) and RFC 8445 §14.3 (at least 500 ms).
	DefaultRTO = 500 * time.Millisecond
	// DefaultRc is the number of transmissions of one request before it
	// times out, RFC 8489 §6.2.1 (Rc = 7).
	DefaultRc = 7
	// rm multiplies the initial RTO into the wait after the last
	// transmission, RFC 8489 §6.2.1 (Rm = 16).
	rm = 16
	// DefaultConsentInterval is the mean interval of consent checks,
	// RFC 7675 §5.1 (5 s, randomized to 0.8-1.2 of it).
	DefaultConsentInterval = 5 * time.Second
	// DefaultNominationWait bounds how long the controlling agent waits
	// for a better valid pair before nominating (RFC 8445 §8.1.1 leaves
	// the stopping criterion to the agent).
	DefaultNominationWait = time.Second
)

// maxRemoteCandidates bounds the remote candidates (signalled and
// peer-reflexive) one full agent keeps.
const maxRemoteCandidates = 32

// FullConfig configures a FullAgent. The zero value is valid: a
// controlling agent with the RFC's timers.
type FullConfig struct {
	// Rand draws the credentials, the tie-breaker, transaction IDs and
	// the consent jitter; nil means crypto/rand.
	Rand io.Reader
	// Local fixes the local credentials instead of generating them.
	Local *Credentials
	// Role is the initial role (RFC 8445 §6.1.1); a role conflict
	// (§7.3.1.1) may change it.
	Role Role
	// TieBreaker is the 64-bit value of ICE-CONTROLLING/ICE-CONTROLLED
	// (RFC 8445 §16.1); 0 draws one from Rand.
	TieBreaker uint64
	// Ta paces new checks (RFC 8445 §14.2); 0 means DefaultTa.
	Ta time.Duration
	// RTO is the initial retransmission timeout (RFC 8489 §6.2.1); 0
	// means DefaultRTO.
	RTO time.Duration
	// Rc is the number of transmissions of a check (RFC 8489 §6.2.1);
	// 0 means DefaultRc.
	Rc int
	// NominationWait: the controlling agent nominates the best valid
	// pair once no pair that could beat it is left to check, or this long
	// after the first valid pair; 0 means DefaultNominationWait.
	NominationWait time.Duration
	// ConsentInterval is the mean interval of consent checks (RFC 7675
	// §5.1); 0 means DefaultConsentInterval.
	ConsentInterval time.Duration
	// ConsentTimeout is how long consent lasts without a response
	// (RFC 7675 §5.1); 0 means DefaultConsentTimeout (30 s).
	ConsentTimeout time.Duration
}

// RemoteCandidate is a candidate of the peer (RFC 8445 §5.1.1), from an
// a=candidate line (RFC 8839 §5.1) or learned as peer-reflexive
// (§7.3.1.3).
type RemoteCandidate struct {
	Foundation string
	Priority   uint32
	Address    netip.AddrPort
	Type       CandidateType
}

// FullStats counts what a FullAgent did.
type FullStats struct {
	ChecksSent       uint64 // new connectivity checks (first transmissions)
	Retransmits      uint64 // retransmissions of checks (RFC 8489 §6.2.1)
	Timeouts         uint64 // checks that got no response after Rc transmissions
	Successes        uint64 // success responses to checks
	ErrorResponses   uint64 // error responses to checks (487 included)
	RoleConflicts    uint64 // role switches (RFC 8445 §7.2.5.1, §7.3.1.1)
	Nominations      uint64 // pairs nominated (sent or received USE-CANDIDATE that succeeded)
	RequestsAnswered uint64 // peer checks answered with success
	ErrorsSent       uint64 // peer checks answered 400/420/487
	ConsentSent      uint64 // consent checks (RFC 7675 §5.1)
	ConsentOK        uint64 // responses to consent checks
	DropMalformed    uint64 // not STUN, or broken framing
	DropFingerprint  uint64 // FINGERPRINT missing or wrong
	DropUnauth       uint64 // requests or responses failing authentication
	DropUnmatched    uint64 // responses to no transaction of ours, indications
	DropQueueFull    uint64
}

// FullAgent is a sans-IO full ICE agent (RFC 8445): it pairs its host
// candidates with the peer's, runs paced connectivity checks with
// retransmission, answers the peer's checks, resolves role conflicts,
// nominates (controlling) or follows nominations (controlled), and keeps
// consent (RFC 7675). Feed it with HandleSTUN and HandleTimeout; drain
// PollTransmit and PollEvent; ask NextTimeout when to call HandleTimeout.
// A FullAgent is not safe for concurrent use.
type FullAgent struct {
	cfg        FullConfig
	rand       io.Reader
	role       Role
	tieBreaker uint64

	local      Credentials
	localMI    *stun.Integrity
	remote     Credentials
	remoteMI   *stun.Integrity
	hasRemote  bool
	remoteLite bool
	username   string // "<remote ufrag>:<local ufrag>", what our checks carry
	expect     string // "<local ufrag>:<remote ufrag>", what the peer's carry

	candidates []Candidate
	remotes    []RemoteCandidate

	list      []candidatePair
	triggered []int // pair indices, FIFO (RFC 8445 §6.1.4.2 triggered check queue)
	txs       []transaction
	nextCheck time.Time // pacing: no new check before this (RFC 8445 §14.2)
	now       time.Time // time of the latest input

	firstValid time.Time // when the first pair became valid
	nominating int       // pair whose USE-CANDIDATE check is in flight, -1 none
	selected   int       // selected pair, -1 none
	failed     bool

	consentLast time.Time // last consent-refreshing response on the selected pair
	consentNext time.Time // next consent check
	consentLost bool

	msg     stun.Message
	builder stun.Builder
	unknown []stun.AttrType
	tx      transmitQueue
	events  eventQueue
	stats   FullStats
}

// NewFullAgent returns a full agent with fresh (or configured)
// credentials and tie-breaker.
func NewFullAgent(cfg FullConfig) (*FullAgent, error) {
	a := &FullAgent{cfg: cfg, rand: cfg.Rand, role: cfg.Role, tieBreaker: cfg.TieBreaker, nominating: -1, selected: -1}
	if a.rand == nil {
		a.rand = rand.Reader
	}
	if a.cfg.Ta <= 0 {
		a.cfg.Ta = DefaultTa
	}
	if a.cfg.RTO <= 0 {
		a.cfg.RTO = DefaultRTO
	}
	if a.cfg.Rc <= 0 {
		a.cfg.Rc = DefaultRc
	}
	if a.cfg.NominationWait <= 0 {
		a.cfg.NominationWait = DefaultNominationWait
	}
	if a.cfg.ConsentInterval <= 0 {
		a.cfg.ConsentInterval = DefaultConsentInterval
	}
	if a.cfg.ConsentTimeout <= 0 {
		a.cfg.ConsentTimeout = DefaultConsentTimeout
	}
	if a.tieBreaker == 0 {
		var b [8]byte
		if _, err := io.ReadFull(a.rand, b[:]); err != nil {
			return nil, fmt.Errorf("ice: reading randomness for the tie-breaker: %w", err)
		}
		a.tieBreaker = binary.BigEndian.Uint64(b[:]) | 1
	}
	c, err := initialCredentials(cfg.Local, a.rand)
	if err != nil {
		return nil, err
	}
	a.local, a.localMI = c, stun.NewShortTermIntegrity(c.Pwd)
	a.msg.Attributes = make([]stun.RawAttribute, 0, 16)
	return a, nil
}

// LocalCredentials returns the ice-ufrag and ice-pwd for the SDP.
func (a *FullAgent) LocalCredentials() Credentials { return a.local }

// Role returns the current role; a role conflict may have changed it.
func (a *FullAgent) Role() Role { return a.role }

// TieBreaker returns the agent's tie-breaker (RFC 8445 §16.1).
func (a *FullAgent) TieBreaker() uint64 { return a.tieBreaker }

// Stats returns the counters.
func (a *FullAgent) Stats() FullStats { return a.stats }

// SetRemoteCredentials sets the peer's ice-ufrag and ice-pwd from its
// SDP (RFC 8839 §5.4). Checks start at now, once there is a pair. Only
// the first call is accepted: this agent does not restart (see doc.go).
func (a *FullAgent) SetRemoteCredentials(c Credentials, now time.Time) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if a.hasRemote && c != a.remote {
		return fmt.Errorf("ice: remote credentials changed (an ICE restart, RFC 8445 §9), which the full agent does not support")
	}
	a.remote, a.remoteMI, a.hasRemote = c, stun.NewShortTermIntegrity(c.Pwd), true
	a.username = c.Ufrag + ":" + a.local.Ufrag
	a.expect = a.local.Ufrag + ":" + c.Ufrag
	a.touch(now)
	if a.nextCheck.IsZero() || a.nextCheck.After(now) {
		a.nextCheck = now
	}
	return nil
}

// SetRole sets the role before checks start, as the offer/answer
// exchange decides it (RFC 8445 §6.1.1: with two full agents the offerer
// is controlling). A role conflict may still change it (§7.3.1.1).
func (a *FullAgent) SetRole(r Role) {
	if r != a.role {
		a.role = r
		a.nominating = -1
	}
}

// SetRemoteLite records that the peer is an ICE-lite agent (a=ice-lite,
// RFC 8839 §5.3). A full agent facing a lite one is always controlling
// (RFC 8445 §6.1.1), and expects no checks from it.
func (a *FullAgent) SetRemoteLite(lite bool) {
	a.remoteLite = lite
	if lite {
		a.role = RoleControlling
	}
}

// AddHostCandidate registers a local transport address and returns its
// host candidate (RFC 8445 §5.1.1.1, priority §5.1.2, foundation
// §5.1.1.3); it is paired with the remote candidates of its family.
func (a *FullAgent) AddHostCandidate(addr netip.AddrPort) (Candidate, error) {
	if !addr.IsValid() || addr.Addr().IsUnspecified() || addr.Port() == 0 {
		return Candidate{}, fmt.Errorf("ice: host candidate address %v must be a specific address and port (RFC 8445 §5.1.1.1)", addr)
	}
	c := newHostCandidate(addr, 1, len(a.candidates))
	for _, have := range a.candidates {
		if have.Address == c.Address {
			return Candidate{}, fmt.Errorf("ice: host candidate %v added twice", addr)
		}
	}
	a.candidates = append(a.candidates, c)
	for i := range a.remotes {
		a.addPair(len(a.candidates)-1, i)
	}
	return c, nil
}

// LocalCandidates returns the host candidates, in the order added.
func (a *FullAgent) LocalCandidates() []Candidate { return a.candidates }

// AddRemoteCandidate adds a candidate of the peer (an a=candidate line
// of its SDP, RFC 8839 §5.1) and pairs it with the local candidates of
// the same address family (RFC 8445 §6.1.2.2). Only UDP component-1
// candidates are meaningful here; the caller filters the others.
func (a *FullAgent) AddRemoteCandidate(c RemoteCandidate) error {
	if !c.Address.IsValid() || c.Address.Port() == 0 || c.Address.Addr().IsUnspecified() {
		return fmt.Errorf("ice: remote candidate address %v is not a transport address (RFC 8839 §5.1)", c.Address)
	}
	c.Address = netip.AddrPortFrom(c.Address.Addr().Unmap(), c.Address.Port())
	if a.remoteIndex(c.Address) >= 0 {
		return nil // RFC 8445 §6.1.2.4: redundant with one we have
	}
	if len(a.remotes) >= maxRemoteCandidates {
		return fmt.Errorf("ice: more than %d remote candidates", maxRemoteCandidates)
	}
	a.remotes = append(a.remotes, c)
	for li := range a.candidates {
		a.addPair(li, len(a.remotes)-1)
	}
	return nil
}

// KnownRemote reports whether addr is a candidate of the peer: signalled,
// or peer-reflexive learned from an authenticated check. A transport may
// accept DTLS from such an address before a pair is selected.
func (a *FullAgent) KnownRemote(addr netip.AddrPort) bool {
	return a.remoteIndex(netip.AddrPortFrom(addr.Addr().Unmap(), addr.Port())) >= 0
}

func (a *FullAgent) remoteIndex(addr netip.AddrPort) int {
	for i := range a.remotes {
		if a.remotes[i].Address == addr {
			return i
		}
	}
	return -1
}

// SelectedPair returns the pair media goes on: nominated and with consent
// (RFC 8445 §8.1.1, RFC 7675 §5.1). ok is false before that and after
// consent is lost.
func (a *FullAgent) SelectedPair() (Pair, bool) {
	if a.selected < 0 || a.consentLost {
		return Pair{}, false
	}
	p := &a.list[a.selected]
	return Pair{Local: a.candidates[p.local].Address, Remote: a.remotes[p.remote].Address}, true
}

// Connected reports whether a pair is selected and has consent.
func (a *FullAgent) Connected() bool {
	_, ok := a.SelectedPair()
	return ok
}

// ConsentLost reports whether consent expired (RFC 7675 §5.1).
func (a *FullAgent) ConsentLost() bool { return a.consentLost }

// Failed reports whether every pair failed before one was nominated
// (RFC 8445 §8.1.2: the check list is Failed).
func (a *FullAgent) Failed() bool { return a.failed }

// PollTransmit returns the next datagram to send. Its payload is valid
// until the next call to HandleSTUN or HandleTimeout.
func (a *FullAgent) PollTransmit() (Transmit, bool) { return a.tx.pop() }

// PollEvent returns the next event.
func (a *FullAgent) PollEvent() (Event, bool) { return a.events.pop() }

func (a *FullAgent) pushEvent(e Event) { a.events.push(e) }

// touch records the latest input time; time never goes back.
func (a *FullAgent) touch(now time.Time) {
	if now.After(a.now) {
		a.now = now
	}
}

func (a *FullAgent) send(src, dst netip.AddrPort, payload []byte) {
	if len(a.tx.items)-a.tx.head >= maxQueuedTransmits {
		a.stats.DropQueueFull++
		return
	}
	a.tx.push(Transmit{Src: src, Dst: dst, Payload: payload})
}

// randomFraction returns a value in [0, 1) from the agent's randomness
// (0 if it fails: timers then fall on their mean).
func (a *FullAgent) randomFraction() float64 {
	var b [2]byte
	if _, err := io.ReadFull(a.rand, b[:]); err != nil {
		return 0.5
	}
	return float64(binary.BigEndian.Uint16(b[:])) / 65536
}
