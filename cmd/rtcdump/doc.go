// Command rtcdump prints every UDP datagram of a WebRTC capture, annotated
// with the RFC sections that define each field. The decoding is package
// annotate's (the same annotator the SFU's inspector uses); this command
// reads the capture, derives who is who (conformance.DeriveRoles) and the
// SRTP keys from the key log, and prints the records.
//
// Usage:
//
//	go run ./cmd/rtcdump [-json] [-sdp offer.sdp,answer.sdp] [-keylog keylog.txt] capture.pcapng
//
// Flags come before the capture (pcap or pcapng; see package conformance
// for the link types read).
//
//   - For every datagram: frame number, time, source, destination,
//     direction and its RFC 7983 class (stun, dtls, rtp, rtcp, zrtp,
//     turn-channel, quic, unknown).
//   - STUN (RFC 8489): the message type and transaction ID, every attribute
//     with its registry name, the section that defines it (from the stun
//     package's Registry) and a decoded value; with -sdp, the verdict of
//     MESSAGE-INTEGRITY (short-term credentials: a request is signed with
//     the password of the ufrag before the colon of USERNAME, its response
//     with the same password, RFC 8445 §7.2.2) and of FINGERPRINT.
//   - DTLS (RFC 6347): every record header (content type, version, epoch,
//     sequence number, length) and, in clear-text handshake records, every
//     handshake message header; hellos also show their random, the chosen
//     cipher suite and the use_srtp profiles (RFC 5764 §4.1.1).
//   - RTP (RFC 3550 §5.1): the header, which SRTP leaves in clear: version,
//     flags, payload type (with the codec name from the SDPs' a=rtpmap),
//     sequence number, timestamp, SSRC, CSRCs and every RFC 8285 header
//     extension element, named from the SDPs' a=extmap and decoded.
//   - RTCP (RFC 3550 §6): the first packet's header and sender SSRC, and the
//     SRTCP E flag and index (RFC 3711 §3.4; the trailer is located with
//     the profile from the capture's ServerHello).
//   - With -keylog (an NSS key log): SRTP keys are derived from the
//     capture's DTLS randoms and the logged master secret (RFC 5705
//     exporter, RFC 5764 §4.2). Each SRTP/SRTCP packet is authenticated and
//     decrypted: RTP packets show the payload length and, for VP8, VP9 and
//     H.264 (codec names come from -sdp), whether they start a key frame; RTCP compounds list every
//     packet (SR, RR, SDES, BYE, APP, NACK, PLI, SLI, FIR, REMB,
//     transport-wide CC, RFC 8888 CCFB, XR) with every field and its
//     section. A packet whose index was already seen (RFC 3711 §3.3.2) is
//     still authenticated, with a fresh context, and flagged as replayed.
//   - Frames that are not UDP over IP are listed with the reason; a
//     truncated or malformed capture is dumped up to the damage, then
//     rtcdump exits with status 1 and names the block and offset on
//     standard error. Usage errors exit with status 2.
//   - At the end, a summary: datagrams per class, STUN types and verdicts,
//     SRTP/SRTCP verdicts, RTCP packet types, and per RTP stream (SSRC and
//     payload type) the packet count (authenticated packets with -keylog),
//     loss (RFC 3550 §A.3) and interarrival jitter (§A.8; in ms when the
//     SDP gives the clock rate).
//
// # JSON output
//
// With -json, rtcdump writes one JSON object per line: one per frame in
// capture order, then one {"summary": {...}} object. Objects nest by
// class; a class's object is present only for datagrams of that class.
// Field names are stable:
//
//	n                 frame number, as Wireshark numbers it
//	time              capture time, RFC 3339 with nanoseconds (absent when the block has none)
//	src, dst          "ip:port"
//	dir               "browser>server" or "server>browser" (sides and browser from conformance.DeriveRoles)
//	len               UDP payload bytes
//	class             RFC 7983 class, or "skipped" for a frame that is not a UDP datagram
//	reason            class "skipped": why
//	error             what could not be decoded in this datagram
//
//	stun.type             "Binding request", "Binding success response", ...
//	stun.method, stun.class
//	stun.transaction_id   hex
//	stun.length           header Length field
//	stun.attrs[]          {type "0x0006", name "USERNAME", ref "RFC 8489 §14.3", length, value}
//	stun.integrity        "ok", "fail", "absent", or "unknown" (no password: no -sdp or unknown ufrag)
//	stun.fingerprint      "ok", "fail" or "absent"
//
//	dtls.content_type[]   per record: "handshake", "change_cipher_spec", "alert", "application_data", ...
//	dtls.handshake_type[] per handshake message in clear records: "client_hello", "server_hello", ...
//	dtls.records[]        {content_type, version, epoch, seq, length, encrypted,
//	                       handshake[] {type, length, message_seq, fragment_offset, fragment_length,
//	                                    random, cipher_suite, srtp_profiles[]}}
//
//	rtp.version, rtp.padding, rtp.extension, rtp.marker
//	rtp.pt                payload type; rtp.codec "VP8/90000" from a=rtpmap
//	rtp.seq, rtp.timestamp, rtp.ssrc, rtp.csrc[]
//	rtp.ext_profile       "0xbede" (one-byte) or "0x1000" (two-byte), RFC 8285
//	rtp.ext[]             {id, name, uri, ref, value}
//	rtp.header_len, rtp.payload_len (payload_len includes the SRTP tag unless decrypted)
//	rtp.keyframe          -keylog, VP8/VP9/H.264 only: the packet starts a key frame
//
//	rtcp.pt, rtcp.type    first packet's type: 200 "SR", 201 "RR", 202 "SDES", 203 "BYE", 204 "APP", 205 "RTPFB", 206 "PSFB", 207 "XR"
//	rtcp.count, rtcp.length, rtcp.ssrc
//	rtcp.encrypted, rtcp.srtcp_index   the SRTCP trailer (RFC 3711 §3.4)
//	rtcp.packets[]        -keylog: {type "SR"|"RR"|"SDES"|"BYE"|"APP"|"NACK"|"PLI"|"SLI"|"FIR"|"REMB"|"TWCC"|"CCFB"|"XR", pt, count, ref,
//	                       fields[] {name, value, ref}}
//
//	srtp.auth             -keylog: "ok", "fail" or "error" (not decryptable)
//	srtp.replay           true when the index had been seen (RFC 3711 §3.3.2)
//	srtp.error            the reason for "fail" or "error"
//
//	summary               {frames, skipped, datagrams, classes{}, stun_types{}, stun_integrity{},
//	                       stun_fingerprint{}, srtp_auth{}, srtcp_auth{}, rtcp_types{},
//	                       streams[] {ssrc, pt, codec, dir, packets, lost, jitter, jitter_ms}}
package main
