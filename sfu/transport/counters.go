package transport

import (
	"log/slog"
	"math/bits"
	"sync/atomic"
)

// DropReason names why the mux dropped a datagram or refused a peer.
type DropReason uint8

// The drop reasons; each has a counter in [Counters].
const (
	DropTruncated      DropReason = iota // shorter than its class's fixed header
	DropOversized                        // longer than Config.MaxDatagramSize
	DropUnknownClass                     // first byte in no range we serve (RFC 7983 §7)
	DropUnknownAddress                   // DTLS/SRTP/SRTCP from an address no peer authenticated
	DropUnknownUfrag                     // STUN whose USERNAME names no peer, or without USERNAME from an unknown address
	DropSTUNAuth                         // STUN the peer's ICE agent did not authenticate
	DropSRTPAuth                         // SRTP/SRTCP failing authentication (reported by the handler)
	DropReplay                           // SRTP/SRTCP replayed (reported by the handler)
	DropQueueFull                        // DTLS datagram while the peer's DTLS queue was full
	DropFingerprint                      // DTLS handshake refused: certificate does not match a=fingerprint
	DropHandshake                        // DTLS handshake failed for another reason
	DropAfterClose                       // from the address or ufrag of a peer closed moments ago (its close_notify, last checks)
	numDropReasons
)

var dropNames = [numDropReasons]string{
	DropTruncated:      "truncated",
	DropOversized:      "oversized",
	DropUnknownClass:   "unknown-class",
	DropUnknownAddress: "unknown-address",
	DropUnknownUfrag:   "unknown-ufrag",
	DropSTUNAuth:       "stun-auth",
	DropSRTPAuth:       "srtp-auth",
	DropReplay:         "replay",
	DropQueueFull:      "dtls-queue-full",
	DropFingerprint:    "fingerprint-mismatch",
	DropHandshake:      "dtls-handshake",
	DropAfterClose:     "after-close",
}

func (r DropReason) String() string {
	if r < numDropReasons {
		return dropNames[r]
	}
	return "unknown"
}

// Counters are the mux's statistics, updated atomically by the read loop
// and the peers; read them with [Counters.Snapshot] or [Counters.Drops].
type Counters struct {
	Received    atomic.Uint64 // datagrams read from the socket
	Sent        atomic.Uint64 // datagrams written
	ReadErrors  atomic.Uint64 // socket read errors (ICMP unreachable and the like)
	WriteErrors atomic.Uint64
	STUN        atomic.Uint64 // STUN messages handed to a peer
	// STUNIndications are Binding Indications (RFC 8445 §11 keepalives)
	// from a peer's address: normal, neither answered nor an error.
	STUNIndications atomic.Uint64
	DTLS            atomic.Uint64 // DTLS records queued to a peer
	RTP             atomic.Uint64 // SRTP packets handed to a peer
	RTCP            atomic.Uint64 // SRTCP packets handed to a peer
	Handshakes      atomic.Uint64 // completed DTLS handshakes
	drops           [numDropReasons]atomic.Uint64
}

// Drops returns the number of datagrams (or handshakes) dropped for r.
func (c *Counters) Drops(r DropReason) uint64 {
	if r >= numDropReasons {
		return 0
	}
	return c.drops[r].Load()
}

// Snapshot returns every counter by name (drop reasons as "drop.<reason>").
func (c *Counters) Snapshot() map[string]uint64 {
	m := map[string]uint64{
		"received":         c.Received.Load(),
		"sent":             c.Sent.Load(),
		"read_errors":      c.ReadErrors.Load(),
		"write_errors":     c.WriteErrors.Load(),
		"stun":             c.STUN.Load(),
		"stun_indications": c.STUNIndications.Load(),
		"dtls":             c.DTLS.Load(),
		"rtp":              c.RTP.Load(),
		"rtcp":             c.RTCP.Load(),
		"handshakes":       c.Handshakes.Load(),
	}
	for r := DropReason(0); r < numDropReasons; r++ {
		m["drop."+r.String()] = c.drops[r].Load()
	}
	return m
}

// drop counts a drop of reason r. To keep a flood of garbage from flooding
// the log too, only the 1st, 2nd, 4th, 8th, ... drop of each reason is
// logged: drop returns the running count when this one is to be logged,
// else 0. Callers build the log line only then, so the drop path itself
// allocates nothing.
func (c *Counters) drop(r DropReason) (logCount uint64) {
	n := c.drops[r].Add(1)
	if bits.OnesCount64(n) != 1 {
		return 0
	}
	return n
}

// logDrop writes the line for the n-th drop of reason r.
func logDrop(log *slog.Logger, r DropReason, n uint64, msg string, args ...any) {
	log.Warn(msg, append([]any{"reason", r.String(), "count", n}, args...)...)
}
