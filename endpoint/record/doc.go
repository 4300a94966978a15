// Package record records a live WebRTC session of plainrtc's endpoint as
// a capture folder that package conformance loads (and rtclint lints):
// every datagram of the endpoint's socket into session.pcapng
// (conformance.PcapngWriter), the DTLS key log (NSS format, from
// pion/dtls's KeyLogWriter), offer.sdp, answer.sdp and meta.json. WHIP
// joins a WHIP endpoint (RFC 9725) and publishes synthetic Opus and VP8
// for a while, with an SR and SDES CNAME per stream each second (RFC 3550
// §6.4.1, §6.5.1); Recording and PublishSynthetic are its parts.
//
// The recording is what the endpoint's socket saw, stamped with time.Now()
// as each datagram was written or read: not a kernel capture, so datagrams
// the kernel dropped before the read are absent. The key log exposes the
// session's keys: for tests and diagnosis only.
package record
