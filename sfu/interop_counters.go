package sfu

import (
	"log/slog"
	"strings"
	"sync/atomic"
)

// interopCounters count what the SFU tolerates or refuses from other
// stacks' quirks, so none of it is silent. Updated atomically: offers are
// parsed and data channels echo outside Server.mu.
type interopCounters struct {
	iceOptionsIgnored   atomic.Uint64 // offers with unknown or malformed a=ice-options
	opusWithoutChannels atomic.Uint64 // offers with an opus/48000 rtpmap (no "/2")
	dcOversized         atomic.Uint64 // data channel messages over our a=max-message-size: channel closed
	dcEchoTooLarge      atomic.Uint64 // messages over the peer's a=max-message-size: not echoed, channel closed
	signalTooLarge      atomic.Uint64 // signaling messages over maxSignalMessage: channel closed

	loggedICEOptions atomic.Bool
	loggedOpus       atomic.Bool
}

// addTo adds the counters to a Stats map.
func (c *interopCounters) addTo(m map[string]uint64) {
	m["sdp.ice_options_ignored"] = c.iceOptionsIgnored.Load()
	m["sdp.opus_without_channels"] = c.opusWithoutChannels.Load()
	m["datachannel.oversized"] = c.dcOversized.Load()
	m["datachannel.echo_too_large"] = c.dcEchoTooLarge.Load()
	m["signal.too_large"] = c.signalTooLarge.Load()
	m["api.errors"] = apiErrors.Load()
}

// noteOfferQuirks counts the quirks parseOffer tolerated in o and logs the
// first of each kind (once per server: they come from a peer's stack, not
// from one session).
func (s *Server) noteOfferQuirks(o *offer, log *slog.Logger) {
	c := &s.interop
	if len(o.IgnoredICEOptions) > 0 {
		c.iceOptionsIgnored.Add(1)
		if c.loggedICEOptions.CompareAndSwap(false, true) {
			log.Info("a=ice-options ignored: unknown, or not space-separated tokens (RFC 8839 §5.6); counted in sdp.ice_options_ignored, logged once",
				"options", strings.Join(o.IgnoredICEOptions, " "))
		}
	}
	if o.OpusWithoutChannels {
		c.opusWithoutChannels.Add(1)
		if c.loggedOpus.CompareAndSwap(false, true) {
			log.Info("opus/48000 without /2 (RFC 7587 §7 requires opus/48000/2) taken as stereo Opus; counted in sdp.opus_without_channels, logged once")
		}
	}
}
