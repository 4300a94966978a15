// Package transport owns the SFU's single UDP socket and the per-peer
// security handshakes on it.
//
// # One port for every peer
//
// [Listen] binds one UDP socket (default port [DefaultPort], 50000; the bind
// address is configurable) and starts one goroutine that reads it. Each
// datagram is classified by its first byte (RFC 7983 §7, package
// internal/demux): STUN (0..3), DTLS (20..63), RTP and RTCP (128..191, RTCP
// when the packet type is 192..223, RFC 5761 §4). Everything else is
// dropped. A datagram's drop reason depends on its bytes only: one shorter
// than the header of the protocol its first byte names is truncated (a
// single byte in 128..191 too, although it cannot tell RTP from RTCP);
// one whose first byte names no protocol served here is unknown-class.
//
//   - STUN is routed to a [Peer] by the local ufrag in its USERNAME
//     (RFC 8445 §7.2.2: "receiver:sender"), or, without USERNAME, by source
//     address. The peer's [Handler] (the SFU's ICE agent) returns a
//     [STUNVerdict]; an accepted check binds its source address to the peer,
//     a nominated one also selects it as the address to send to
//     (RFC 8445 §7.3.1.5).
//   - DTLS, SRTP and SRTCP are routed by source address, and only from
//     addresses bound this way: anything else is dropped as unknown-address.
//   - A Binding Indication (RFC 8445 §11 keepalive) that the Handler
//     recognises ([STUNIndication]) is counted in
//     Counters.STUNIndications: normal traffic, no warning.
//   - For 15 s after a peer closed, datagrams from its addresses or naming
//     its ufrag (the browser's close_notify after a DELETE, its last
//     consent checks) are dropped as after-close and logged at debug
//     level, not warned about as a stranger's.
//
// ICE consent (RFC 7675 §5.1) is the ICE agent's, not the mux's: when the
// agent reports consent lost, [Peer.StopSending] makes every Write to the
// peer fail (media, DTLS, SCTP), while STUN responses still go out.
//
// Every drop has a reason and an atomic counter ([Counters], [DropReason])
// and a log/slog line; to survive floods, a reason is logged on its 1st,
// 2nd, 4th, 8th... occurrence with the running count. No lock is held while
// the read loop calls a Handler.
//
// # DTLS
//
// [Peer.Handshake] runs DTLS 1.2 (RFC 6347) with github.com/pion/dtls/v3 over
// a net.PacketConn that the read loop feeds with the peer's DTLS datagrams,
// in the role the SDP a=setup decided (RFC 8842 §5). The server's identity
// is one self-signed ECDSA P-256 certificate per [Mux] ([Certificate]); its
// SHA-256 fingerprint goes in a=fingerprint (RFC 8122 §5). The peer's
// certificate must match one of the fingerprints in its SDP that use the
// strongest hash listed there that we support (sha-512, sha-384, sha-256,
// sha-1; RFC 8122 §5, RFC 8827 §6.5), compared in constant time;
// otherwise the handshake fails with a bad_certificate alert, the error
// wraps [ErrFingerprintMismatch], and the refusal is logged and counted.
//
// use_srtp (RFC 5764 §4.1) offers SRTP_AEAD_AES_128_GCM,
// SRTP_AEAD_AES_256_GCM (RFC 7714 §14.2) and SRTP_AES128_CM_HMAC_SHA1_80.
// After the handshake the keying material is exported with the label
// EXTRACTOR-dtls_srtp (RFC 5764 §4.2, RFC 5705) and split into client and
// server master keys and salts, assigned to local and remote by role
// ([SRTPKeys]). The [Session]'s Conn carries SCTP for data channels
// (RFC 8261; see package sfu/datachannel).
//
// # Recording
//
// For a session whose owner asked to record it, [DTLSParams].KeyLogWriter
// receives the master secret as an NSS key log line and [Peer.SetTap]
// shows a [Tap] every datagram of the peer, in (before its handler) and
// out (before the socket write), with the wire's addresses; sfu.Recorder
// is both. Neither is set by default, and then nothing changes.
//
// # Deviations and limits
//
//   - SRTP/SRTCP packets are handed to the Handler still protected: the
//     read loop does not own the srtp contexts. The SFU builds them with
//     [Session.SRTPContexts] and reports authentication failures and
//     replays with [Mux.ReportSRTPDrop], so that they are counted and logged
//     with the rest.
//   - A datagram longer than Config.MaxDatagramSize (default 1500) is dropped
//     as oversized rather than parsed.
//   - ZRTP, TURN ChannelData and QUIC (RFC 9443) are not served: dropped as
//     unknown-class.
//   - The DTLS queue of a peer holds 128 datagrams; beyond that datagrams are
//     dropped (dtls-queue-full) and DTLS retransmits.
//   - Only one socket, IPv4 or IPv6 as bound; no TCP candidates (RFC 6544).
package transport
