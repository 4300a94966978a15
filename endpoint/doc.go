// Package endpoint is the other side of a plainrtc session: a WebRTC
// peer built from plainrtc's own packages, so that Go code (tests, load
// tools, a synthetic publisher) can join plainrtc or any WHIP/WHEP
// server without pion/webrtc. Only DTLS (pion/dtls) and SCTP (pion/sctp,
// through sfu/datachannel) come from pion.
//
// An Endpoint owns one UDP socket and three goroutines of its own (the
// socket reader, the ICE timer, and, without data channels, a reader of
// the DTLS connection), plus those pion starts; Close ends them all.
//
//	s, err := endpoint.Publish(ctx, nil, "http://127.0.0.1:8080/whip/room", endpoint.Config{})
//	defer s.Close()                              // DELETE, close_notify, socket closed
//	audio, _ := s.Track("audio")                 // negotiated payload type, our SSRC
//	err = s.WriteRTP(plaintextRTP)               // protected and sent as given
//	pkt, err := viewer.ReadRTP(ctx)              // decrypted
//
// or, without HTTP: New, Offer, SetAnswer (or Answer for the peer's
// offer), Connect.
//
// It implements:
//   - RFC 7983 §7 demultiplexing by first byte (internal/demux): STUN to
//     the ICE agent, DTLS to pion/dtls, SRTP/SRTCP (RFC 5761 §4) to the
//     remote SRTP context; DTLS and SRTP only from addresses ICE knows;
//   - full ICE (RFC 8445) with ice.FullAgent: controlling as offerer or
//     against ICE-lite (§6.1.1), controlled as answerer to a full peer;
//     the host candidate of the socket; the peer's a=candidate lines (RFC
//     8839 §5.1); consent freshness (RFC 7675 §5.1), after whose loss
//     writes fail;
//   - DTLS 1.2 (RFC 6347) in the role a=setup leaves us (RFC 5763 §5,
//     RFC 8842 §5): offers say actpass; an answer of active makes us the
//     DTLS server, passive the client; answering, we take active to
//     actpass (RFC 9429 §5.3.1). As server the ClientHello may arrive right
//     after our nomination: it is queued until the handshake starts. The
//     peer's certificate must match its a=fingerprint (RFC 8122 §5, RFC
//     8827 §6.5; transport.VerifyFingerprint);
//   - SRTP keys from the DTLS exporter, client or server write keys by
//     role (RFC 5764 §4.2, srtp.FromKeyingMaterial): AES-GCM (RFC 7714)
//     or AES-CM-HMAC-SHA1-80;
//   - data channels (RFC 8831, DCEP RFC 8832) over SCTP over DTLS (RFC
//     8261) with sfu/datachannel: stream ids even as DTLS client, odd as
//     server (RFC 8832 §6); the peer's a=max-message-size (RFC 8841 §6.1);
//   - offers (RFC 9429 §5.2.1) with Opus (RFC 7587) and VP8 (RFC 7741) in
//     sendrecv, sendonly or recvonly sections, BUNDLE (RFC 9143),
//     rtcp-mux, a data channel; answers to the peer's initial offer and to
//     a server's subsequent offers (RFC 9429 §5.2.2: m= sections keep their
//     order, new ones are received);
//   - WHIP (RFC 9725) and WHEP: POST the offer as application/sdp, take
//     the 201's answer and Location, DELETE it on Close.
//
// Connect names the stage that did not finish (StageError: ICE, DTLS or
// SCTP) with what was seen (checks sent and answered).
//
// Config.Tap sees every datagram the socket reads or writes and
// Config.KeyLogWriter gets the DTLS master secret (NSS key log): with
// sfu.Recorder as both, an endpoint records its own session as a corpus
// folder rtcdump reads.
//
// # Deviations and limits
//
//   - One host candidate (the socket's address); no STUN/TURN gathering,
//     no trickle ICE (RFC 8838), no ICE restart; mDNS candidates of the
//     peer are ignored.
//   - Only the endpoint's initial offer; subsequent offers come from the
//     peer. Tracks added by a subsequent offer are received, never sent.
//   - No RTX, simulcast, header extensions or RTCP generation: the caller
//     writes RTP and RTCP as it wants them sent (the endpoint rewrites
//     nothing).
//   - The receive path copies each decrypted packet once (for the
//     channel ReadRTP drains); the send path does not allocate.
package endpoint
