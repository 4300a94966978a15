// Package sdp parses and marshals Session Description Protocol documents
// (RFC 8866) losslessly, gives typed access to the attributes WebRTC uses,
// and builds JSEP answers and offers (RFC 9429, which obsoletes RFC 8829)
// for a BUNDLE-only, rtcp-mux, ICE-lite server.
//
// Parsing copies the input once into a string and keeps every line as a
// sub-string of it: a Session is one []Line for all lines plus one []Media
// whose entries are index ranges into it. Attribute values are parsed on
// demand by accessors that return value structs sharing the input. Marshal
// writes every line back, unknown ones included, in order, ending each line
// with CRLF (RFC 8866 §5); input may use CRLF or LF.
//
// RFCs: 8866 (SDP), 9429/8829 (JSEP), 8839 (ICE SDP), 8122 and 5763
// (fingerprint, setup), 8842 (DTLS in SDP offer/answer), 9143 (BUNDLE),
// 5761 and 8858 (rtcp-mux, rtcp-mux-only), 5506 (rtcp-rsize), 4585
// (rtcp-fb), 8285 (extmap), 8830 (msid), 5576 (ssrc), 8851 (rid),
// 8853 (simulcast), 8841 (sctp-port, max-message-size), 4588 (rtx).
//
// Deviations are listed where they occur.
package sdp
