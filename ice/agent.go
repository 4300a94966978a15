package ice

import (
	"crypto/rand"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/plainrtc/plainrtc/stun"
)

// DefaultConsentTimeout is the consent expiry of RFC 7675 §5.1: consent is
// lost when no authenticated check has arrived for 30 seconds.
const DefaultConsentTimeout = 30 * time.Second

// maxPairs bounds the pairs one agent remembers; only authenticated
// requests create pairs, and a browser checks a handful.
const maxPairs = 16

// maxQueuedTransmits bounds the transmits waiting for PollTransmit.
const maxQueuedTransmits = 32

// Config configures an Agent. The zero Config is valid.
type Config struct {
	// Rand is the source for ice-ufrag/ice-pwd; nil means crypto/rand.
	Rand io.Reader
	// Local fixes the first local credentials instead of generating them
	// (tests, replaying a capture). Restart always generates.
	Local *Credentials
	// ConsentTimeout overrides DefaultConsentTimeout (RFC 7675 §5.1).
	ConsentTimeout time.Duration
	// AnswerUnauthenticated makes the agent answer requests that fail
	// authentication as RFC 8489 §9.1.3 says: 400 when USERNAME or
	// MESSAGE-INTEGRITY is missing, 401 when the USERNAME is not ours or
	// the integrity check fails, unsigned, and only when the response is
	// no larger than the request. The default (false) drops them
	// silently and counts them in Stats: no reflection off the SFU's
	// socket towards spoofed sources. See doc.go.
	AnswerUnauthenticated bool
}

// Stats counts what the agent did with its input, so no drop is silent.
type Stats struct {
	Requests          uint64 // Binding requests that authenticated and were answered with success
	ErrorResponses    uint64 // 400/401/420/487 sent
	DropMalformed     uint64 // not a STUN message, or broken framing
	DropFingerprint   uint64 // FINGERPRINT missing or wrong (RFC 8445 §7.2.2, RFC 8489 §7.3)
	DropUnauth        uint64 // USERNAME or MESSAGE-INTEGRITY missing or wrong, not answered
	DropNotRequest    uint64 // indications and responses (a lite agent sends no requests)
	DropQueueFull     uint64 // transmits dropped because PollTransmit was not called
	Nominations       uint64 // authenticated USE-CANDIDATE requests
	SelectedPairMoves uint64 // nominations that moved the selected pair
}

type pairState struct {
	pair        Pair
	lastRequest time.Time // last authenticated Binding request on the pair
}

// Agent is a sans-IO ICE-lite agent (RFC 8445 §2.5): it answers
// connectivity checks, follows the controlling peer's nominations and
// tracks consent. Feed it with HandleSTUN and HandleTimeout; drain
// PollTransmit and PollEvent; ask NextTimeout when to call HandleTimeout.
// An Agent is not safe for concurrent use.
type Agent struct {
	cfg            Config
	rand           io.Reader
	consentTimeout time.Duration

	local     Credentials
	localMI   *stun.Integrity
	previous  *Credentials // before a restart, accepted until the new ones are used
	prevMI    *stun.Integrity
	remote    Credentials
	hasRemote bool
	// restartOffered is set by Restart: our next SDP offers new
	// credentials, so the new remote credentials of the answer complete
	// that restart instead of starting another (RFC 8445 §9).
	restartOffered bool
	usernames      [2]string // "local:remote" for current and previous credentials
	exact          [2]bool   // whether the remote ufrag was known (else only "local:" is checked)

	candidates []Candidate

	pairs       []pairState
	selected    int // index in pairs, -1 if none
	consentLost bool

	msg     stun.Message
	builder stun.Builder
	unknown []stun.AttrType
	tx      transmitQueue
	events  eventQueue
	stats   Stats
}

// NewAgent returns an agent with fresh (or configured) local credentials.
func NewAgent(cfg Config) (*Agent, error) {
	a := &Agent{cfg: cfg, rand: cfg.Rand, consentTimeout: cfg.ConsentTimeout, selected: -1}
	if a.rand == nil {
		a.rand = rand.Reader
	}
	if a.consentTimeout <= 0 {
		a.consentTimeout = DefaultConsentTimeout
	}
	c, err := initialCredentials(cfg.Local, a.rand)
	if err != nil {
		return nil, err
	}
	a.setLocal(c)
	a.msg.Attributes = make([]stun.RawAttribute, 0, 16)
	return a, nil
}

func (a *Agent) setLocal(c Credentials) {
	a.local = c
	a.localMI = stun.NewShortTermIntegrity(c.Pwd)
	a.updateUsernames()
}

// updateUsernames precomputes the USERNAME a valid request carries:
// "<local ufrag>:<remote ufrag>" (RFC 8445 §7.2.2, from the sender's view
// "receiver:sender").
func (a *Agent) updateUsernames() {
	a.usernames[0] = a.local.Ufrag + ":" + a.remote.Ufrag
	a.exact[0] = a.hasRemote
}

// LocalCredentials returns the ice-ufrag and ice-pwd to put in the SDP.
func (a *Agent) LocalCredentials() Credentials { return a.local }

// RemoteCredentials returns the peer's credentials set from its SDP.
func (a *Agent) RemoteCredentials() (Credentials, bool) { return a.remote, a.hasRemote }

// SetRemoteCredentials sets the peer's ice-ufrag and ice-pwd from its SDP
// (RFC 8839 §5.4). If they differ from credentials set before, the peer
// restarted ICE (RFC 8445 §9, RFC 8839 §4.4.1.1.1) and the agent restarts
// too: it generates new local credentials for the answer and reports
// EventRestarted; restarted is true then. After Restart, the first new
// remote credentials are the answer to our restart offer: they complete
// that restart and do not start another (restarted is false).
func (a *Agent) SetRemoteCredentials(c Credentials, now time.Time) (restarted bool, err error) {
	if err := c.Validate(); err != nil {
		return false, err
	}
	if a.hasRemote && c != a.remote && !a.restartOffered {
		if err := a.restart(now); err != nil {
			return false, err
		}
		a.remote = c
		a.updateUsernames()
		return true, nil
	}
	a.restartOffered = false
	a.remote, a.hasRemote = c, true
	a.updateUsernames()
	if a.previous != nil && !a.exact[1] {
		a.usernames[1], a.exact[1] = a.previous.Ufrag+":"+c.Ufrag, true
	}
	return false, nil
}

// Restart generates new local credentials (RFC 8445 §9) for an offer that
// restarts ICE; the credentials of the peer's answer, passed to
// SetRemoteCredentials, complete the restart. The selected pair
// and consent carry on: media keeps flowing on the old pair until the peer
// checks with the new credentials (RFC 8445 §9.3.1.4 keeps the previous
// selected pair in use). Requests with the old credentials are answered
// until the first one with the new credentials authenticates.
func (a *Agent) Restart(now time.Time) error {
	if err := a.restart(now); err != nil {
		return err
	}
	a.restartOffered = true
	// The peer checks with its new ufrag as soon as it has our offer,
	// before its answer reaches us (RFC 8445 §7.3): until then only the
	// local half of USERNAME is known, as before the first answer.
	a.usernames[0], a.exact[0] = a.local.Ufrag+":", false
	return nil
}

// restart replaces the local credentials, keeping the old ones until the
// peer uses the new ones; Restart and a restart by the peer share it.
func (a *Agent) restart(now time.Time) error {
	c, err := generateCredentials(a.rand)
	if err != nil {
		return err
	}
	old := a.local
	a.previous, a.prevMI = &old, a.localMI
	a.usernames[1], a.exact[1] = a.usernames[0], a.exact[0] // the old "local:remote"
	a.setLocal(c)
	// RFC 7675 §5.1: after consent is lost only a restart may bring the
	// session back; the next nomination then selects a pair again.
	a.consentLost = false
	a.pushEvent(Event{Kind: EventRestarted, Pair: a.selectedPair(), Time: now})
	return nil
}

// AddHostCandidate registers a local transport address (a socket the SFU
// listens on) and returns its host candidate for component 1 (RTP; with
// rtcp-mux and BUNDLE there is no other), with the priority and
// foundation of RFC 8445 §5.1.2 and §5.1.1.3.
func (a *Agent) AddHostCandidate(addr netip.AddrPort) (Candidate, error) {
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
	return c, nil
}

// LocalCandidates returns the host candidates, in the order added.
func (a *Agent) LocalCandidates() []Candidate { return a.candidates }

// SelectedPair returns the pair media goes on. ok is false before the
// first nomination and after consent is lost (RFC 7675 §5.1: stop
// sending), so a sender that asks before every packet stops in time.
func (a *Agent) SelectedPair() (p Pair, ok bool) {
	if a.selected < 0 || a.consentLost {
		return Pair{}, false
	}
	return a.pairs[a.selected].pair, true
}

func (a *Agent) selectedPair() Pair {
	if a.selected < 0 {
		return Pair{}
	}
	return a.pairs[a.selected].pair
}

// Connected reports whether a pair is selected and has consent.
func (a *Agent) Connected() bool {
	_, ok := a.SelectedPair()
	return ok
}

// Stats returns the counters.
func (a *Agent) Stats() Stats { return a.stats }

// PollTransmit returns the next datagram to send.
func (a *Agent) PollTransmit() (Transmit, bool) { return a.tx.pop() }

// PollEvent returns the next event.
func (a *Agent) PollEvent() (Event, bool) { return a.events.pop() }

func (a *Agent) pushEvent(e Event) { a.events.push(e) }
