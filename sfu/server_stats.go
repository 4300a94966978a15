package sfu

import (
	"strings"
	"sync/atomic"
)

// ioCounters count drops the SFU's I/O layer makes (the mux counts its own).
type ioCounters struct {
	srtpBeforeKeys atomic.Uint64 // SRTP/SRTCP before the DTLS handshake finished
	srtpAuth       atomic.Uint64
	srtpReplay     atomic.Uint64
	srtpOther      atomic.Uint64
	inboundDropped atomic.Uint64 // thrown away by Config.DropInbound
	writeFailures  atomic.Uint64 // STUN responses that could not be written
}

// eventCounters count the rooms' events by kind.
type eventCounters struct {
	byKind [8]atomic.Uint64
}

func (c *eventCounters) add(k EventKind) {
	if int(k) < len(c.byKind) {
		c.byKind[k].Add(1)
	}
}

// Stats returns the server's counters by name, totals since it started
// (ended sessions included) but for "sessions", "rooms" and "rtt_ms.max",
// which describe what is live: the media socket's
// ("received", "sent", "drop.<reason>"…), the SRTP layer's ("srtp.auth",
// "srtp.replay", "srtp.before_keys"…), the sender workers' ("send.queue_full",
// "srtp.encrypt_failures", "write_failures"…) and the rooms' summed over
// live sessions ("rtp.in", "rtp.out", "pli.out"…, and "rtt_ms.max", the
// largest round trip a subscriber's reports show). Tests and operators read
// it to see that no drop is silent.
func (s *Server) Stats() map[string]uint64 {
	m := s.mux.Counters.Snapshot()
	c := &s.counters
	m["srtp.before_keys"] = c.srtpBeforeKeys.Load()
	m["srtp.auth"] = c.srtpAuth.Load()
	m["srtp.replay"] = c.srtpReplay.Load()
	m["srtp.other"] = c.srtpOther.Load()
	m["drop.test-inbound"] = c.inboundDropped.Load()
	m["write_failures"] = c.writeFailures.Load()
	s.mu.Lock()
	hosts := make([]*roomHost, 0, len(s.rooms))
	for _, h := range s.rooms {
		hosts = append(hosts, h)
	}
	for k, v := range s.retired {
		if k == "rtt_ms.max" {
			continue // of live sessions only
		}
		m[k] += v
	}
	m["sessions"] = uint64(len(s.sessions))
	m["rooms"] = uint64(len(s.rooms))
	s.interop.addTo(m)
	s.mu.Unlock()
	for _, h := range hosts {
		h.mu.Lock()
		for _, x := range h.sessions {
			x.addStats(m)
		}
		h.mu.Unlock()
	}
	return m
}

// retire keeps the counters of x, which is ending, in the server's totals.
// x's room's lock is held; Server.mu is a leaf lock.
func (s *Server) retire(x *session, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x.addStats(s.retired)
	s.ended[endReasonClass(reason)]++
}

// EndedSessions returns how many sessions ended, by the class of their end
// reason (see endReasonClass): a small fixed set, fit for metric labels.
func (s *Server) EndedSessions() map[string]uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]uint64, len(s.ended))
	for k, v := range s.ended {
		m[k] = v
	}
	return m
}

// addStats adds x's counters to m; its room's lock is held.
func (x *session) addStats(m map[string]uint64) {
	st := x.p.stats
	m["rtp.in"] += st.rtpIn
	m["rtp.out"] += st.rtpOut
	m["rtcp.in"] += st.rtcpIn
	m["rtcp.out"] += st.rtcpOut
	m["rtp.unknown_ssrc"] += st.rtpUnknownSSRC
	m["rtp.rtx_dropped"] += st.rtpRTX
	m["rtp.bad"] += st.rtpBad
	m["rtcp.bad"] += st.rtcpBad
	m["pli.in"] += st.pliIn
	m["fir.in"] += st.firIn
	m["nack.in"] += st.nackIn
	m["offers"] += st.offers
	m["signal.errors"] += st.signalErrors
	for _, t := range x.p.tracks {
		m["pli.out"] += t.plis
		m["nack.out"] += t.nacksSent
		m["pli.throttled"] += t.throttled
	}
	for _, d := range x.p.downs {
		m["nack.resent"] += d.resent
		m["nack.throttled"] += d.throttled
		m["nack.not_cached"] += d.notCached
		m["rtp.not_forwarded"] += d.rw.dropped // codec not negotiated, stale source, waiting for a keyframe
		m["rtp.source_switches"] += uint64(d.rw.switches)
		m["rtt_ms.max"] = max(m["rtt_ms.max"], uint64(d.rtt.Milliseconds()))
	}
	if sn := x.p.sender; sn != nil {
		m["send.rtp"] += sn.rtpSent.Load()
		m["send.rtcp"] += sn.rtcpSent.Load()
		m["send.bytes"] += sn.bytesSent.Load()
		m["send.queue_full"] += sn.dropQueueFull.Load()
		m["send.no_keys"] += sn.dropNoKeys.Load()
		m["send.rewrite_failures"] += sn.rewriteFailures.Load()
		m["send.sent_log_lost"] += sn.sent.lost.Load()
		m["srtp.encrypt_failures"] += sn.encryptFailures.Load()
		m["write_failures"] += sn.writeFailures.Load()
	}
	a := x.agent.Stats()
	m["ice.requests"] += a.Requests
	m["ice.drop_unauth"] += a.DropUnauth
	m["ice.drop_malformed"] += a.DropMalformed
	m["ice.drop_fingerprint"] += a.DropFingerprint
}

// endReasonClass sorts a session's end reason into a few classes (for
// counters and metric labels: reasons carry details, classes do not).
func endReasonClass(reason string) string {
	r := strings.ToLower(reason)
	switch {
	case strings.HasPrefix(r, "delete"):
		return "deleted"
	case strings.Contains(r, "consent"):
		return "consent_expired"
	case strings.Contains(r, "server closed"):
		return "server_closed"
	case strings.Contains(r, "ice not connected"):
		return "ice_timeout"
	case strings.Contains(r, "fingerprint"):
		return "dtls_fingerprint"
	case strings.Contains(r, "dtls not established"), strings.Contains(r, "dtls handshake"):
		return "dtls_failed"
	case strings.Contains(r, "dtls closed"), strings.Contains(r, "close_notify"):
		return "dtls_closed"
	case strings.Contains(r, "sctp"):
		return "sctp_closed"
	}
	return "other"
}
