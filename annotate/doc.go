// Package annotate explains WebRTC datagrams field by field, each field with
// the RFC section that defines it. It is the one annotator of the project:
// cmd/rtcdump walks a whole capture through it, and the SFU's protocol
// inspector feeds it one participant's datagrams as they pass.
//
// An Annotator holds one session's state: the SDPs (ICE passwords for
// STUN integrity, RFC 8489 §9.1 and RFC 8445 §7.2.2; codec names, RFC 8866
// §6.6; header extension URIs, RFC 8285 §8), the negotiated SRTP profile
// (RFC 5764 §4.1.2) and, when given, the SRTP master keys of both
// directions (RFC 5764 §4.2). Annotate classifies a datagram (RFC 7983)
// and returns a Record: the STUN message and every attribute (RFC 8489
// §14) with the integrity and fingerprint verdicts; the DTLS records (RFC
// 6347 §4.1), handshake headers (§4.2.2) and hello details (RFC 5246
// §7.4.1, use_srtp RFC 5764 §4.1.1); the RTP header and header extensions
// (RFC 3550 §5.1, RFC 8285) with codec names; the SRTCP trailer (RFC 3711
// §3.4); with keys, the SRTP/SRTCP authentication verdict (RFC 3711 §3.3,
// replays per §3.3.2), the payload's key-frame flag (RFC 7741, RFC 9628,
// RFC 6184) and every packet of an RTCP compound spelled out (RFC 3550 §6,
// RFC 4585, RFC 5104, RFC 3611, RFC 8888, REMB and transport-wide CC
// drafts). Summary counts records per class, verdict and RTP stream (loss
// RFC 3550 §A.3, jitter §A.8).
//
// A Record's JSON field names are rtcdump's -json output and stay as they
// are; Explain turns a Record into lines that each carry an RFC reference
// and its rfc-editor.org URL, for a reader (the inspector) that links them.
//
// Decryption uses contexts of the Annotator's own, so explaining traffic
// never disturbs the SRTP state of whoever carries it. The package imports
// codecs and internal helpers only (no sfu, cmd or conformance), so the
// SFU may use it. Deviations: DTLS records after the handshake are shown
// by header only (the annotator has no DTLS keys, only SRTP ones); SCTP
// inside DTLS is not decoded.
package annotate
