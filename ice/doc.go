// Package ice is a sans-IO ICE-lite agent (RFC 8445 §2.5) for an SFU:
// one Agent per peer connection, fed with packets and time, drained for
// packets to send and events. It owns no socket, no goroutine and no
// clock (crypto/rand, or Config.Rand, draws the credentials).
//
// It implements:
//   - local ice-ufrag/ice-pwd generation (RFC 8445 §5.3, RFC 8839 §5.4)
//     and remote credentials from the peer's SDP;
//   - host candidates with the priorities and foundations of RFC 8445
//     §5.1.2 and §5.1.1.3, as values (Candidate) the sdp package formats
//     into a=candidate lines (RFC 8839 §5.1);
//   - answering Binding requests (RFC 8445 §7.3): USERNAME
//     "<local ufrag>:<remote ufrag>", MESSAGE-INTEGRITY with the local
//     password, FINGERPRINT; success responses with XOR-MAPPED-ADDRESS,
//     MESSAGE-INTEGRITY (MESSAGE-INTEGRITY-SHA256 when the request was
//     signed with it, RFC 8489 §9.1.3) and FINGERPRINT; signed 420
//     (RFC 8489 §6.3.1.1), 400 (malformed authenticated request) and 487
//     (ICE-CONTROLLED sent
//     to a lite agent, which is always controlled, RFC 8445 §6.1.1,
//     §7.3.1.1);
//   - nomination by USE-CANDIDATE (RFC 8445 §7.3.1.5, §8.2); a later
//     nomination on another pair moves the selected pair (the peer's
//     network changed);
//   - ICE restart (RFC 8445 §9) by the peer (new remote credentials in a
//     re-offer: new local ones for the answer) or by us (Restart: new local
//     ones for our offer; the peer's answer completes it, and its checks
//     are answered even before that answer arrives, RFC 8445 §7.3);
//   - consent freshness for a lite agent (RFC 7675 §5.1): the peer is gone
//     when no authenticated request has arrived on the selected pair for
//     30 s; SelectedPair then reports no pair, so media stops (the SFU's
//     transport: sfu/transport Peer.StopSending).
//   - LocalUfrag, which extracts the routing key from a request without
//     allocating, for an SFU that serves every peer on one socket.
//
// # Full agent
//
// FullAgent is a full ICE agent (RFC 8445) for a client: given its host
// candidates and the peer's a=candidate lines, it forms and prioritises
// pairs (§6.1.2), checks them paced by Ta (§14.2) with the triggered-check
// queue first (§6.1.4.2), retransmits per RFC 8489 §6.2.1 (RTO doubling,
// Rc transmissions, Rm*RTO final wait), validates responses (integrity
// with the remote password, symmetric addresses §7.2.5.2.1), resolves
// role conflicts both ways (487 received §7.2.5.1, ICE-CONTROLLING or
// ICE-CONTROLLED received §7.3.1.1), nominates by regular nomination
// (§8.1.1: a second check with USE-CANDIDATE on the best valid pair) or,
// when controlled, follows USE-CANDIDATE (§7.3.1.5), answers the peer's
// checks and learns peer-reflexive candidates (§7.3.1.3), and sends
// consent checks on the selected pair every 5 s randomised to 0.8-1.2
// (RFC 7675 §5.1), losing consent 30 s after the last response.
// Deviations of the full agent:
//   - no ICE restart (new remote credentials are an error);
//   - a local peer-reflexive candidate (an XOR-MAPPED-ADDRESS naming
//     none of our candidates, §7.2.5.3.1) is not added: the checked pair
//     is the valid pair, since media is sent from its base anyway;
//   - consent checks are not retransmitted: RFC 7675 §5.1's next check,
//     4-6 s later, replaces a lost one;
//   - one component, UDP only, one data stream (BUNDLE and rtcp-mux).
//
// # Use
//
//	a, _ := ice.NewAgent(ice.Config{})
//	cand, _ := a.AddHostCandidate(sfuAddr)          // → a=candidate in the answer
//	creds := a.LocalCredentials()                   // → a=ice-ufrag, a=ice-pwd
//	a.SetRemoteCredentials(fromOffer, now)
//	// for every STUN datagram routed here (by ice.LocalUfrag):
//	a.HandleSTUN(pkt, localAddr, from, now)
//	for t, ok := a.PollTransmit(); ok; t, ok = a.PollTransmit() { sock.WriteTo(t.Payload, t.Dst) }
//	for e, ok := a.PollEvent(); ok; e, ok = a.PollEvent() { ... }
//	// and at a.NextTimeout(): a.HandleTimeout(now)
//
// # Deviations
//
//   - Requests that fail authentication (no USERNAME or
//     MESSAGE-INTEGRITY, a USERNAME that is not ours, a wrong HMAC) are
//     dropped silently by default and counted in Stats, instead of being
//     answered 400/401 as RFC 8489 §9.1.3 says: an SFU's public port
//     should not reflect unauthenticated traffic towards spoofed
//     sources. Config.AnswerUnauthenticated restores the RFC behaviour,
//     unsigned and never larger than the request (no amplification).
//   - Requests without FINGERPRINT are dropped: RFC 8445 §7.2.2 makes it
//     mandatory for connectivity checks, and on a port shared with DTLS
//     and SRTP it is what tells STUN apart (RFC 8489 §7).
//   - Remote candidates are not tracked; a pair is (local address, the
//     source of the authenticated request). A lite agent never sends
//     checks (RFC 8445 §2.5), so it learns the peer's addresses from the
//     requests, which is all peer-reflexive discovery would give it.
//   - Consent lost is final until an ICE restart (RFC 7675 §5.1 leaves
//     recovery to the application; an SFU usually drops the peer).
//   - The ICE-CONTROLLING tie-breaker is not compared: a lite agent
//     cannot take the controlling role against a full agent, so there is
//     no conflict to resolve (RFC 8445 §6.1.1); ICE-CONTROLLED always gets
//     487.
//   - Only UDP, only component 1 (rtcp-mux and BUNDLE are assumed).
package ice
