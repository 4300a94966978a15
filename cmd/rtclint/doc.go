// Command rtclint finds RFC violations in a WebRTC session of any stack.
//
//	rtclint [-json] DIR
//	rtclint [-json] -whip URL [-out DIR] [-for 3s]
//
// DIR is a capture folder in the corpus layout of package conformance:
// offer.sdp, answer.sdp, session.pcapng (or session.pcap), keylog.txt
// (the DTLS master secret, NSS key log format), and optionally meta.json
// and truth.json. rtclint derives who did what from the session itself
// (conformance.DeriveRoles), decrypts every SRTP and SRTCP packet with its
// sender's keys, and prints one result per rule (conformance/lint.Rules)
// and direction: pass, violated (a MUST broken), warn (a SHOULD not
// followed) or n/a, with the RFC section, the frame numbers and a detail.
// -json prints them as an array of objects with the fields rule, rfc,
// direction, verdict, packets and detail.
//
// With -whip, rtclint joins the WHIP endpoint (RFC 9725) with plainrtc's
// endpoint package, publishes synthetic Opus and VP8 for -for, records the
// session (every datagram of its socket, the DTLS key log, both SDPs; see
// endpoint/record) into -out or a new temporary folder, and lints it.
//
// Exit status: 0 when no rule is violated (warnings allowed), 1 when one
// is, 2 when the input cannot be read (or the WHIP session not made).
package main
