// Package dtlswire reads the clear-text parts of DTLS 1.2 (RFC 6347): record
// headers (§4.1), handshake message headers (§4.2.2), the ClientHello and
// ServerHello bodies (RFC 5246 §7.4.1) and their use_srtp extension (RFC
// 5764 §4.1.1). It is what package conformance (the corpus loader) and
// package annotate (rtcdump and the SFU's inspector) decode DTLS with, so
// the SFU gets it without importing the test corpus. pion/dtls still does
// the handshake; this package only explains the bytes.
//
// Error messages keep the "conformance:" prefix they had when this code
// lived in package conformance: conformance re-exports these functions and
// rtcdump prints the messages, and both outputs are kept byte for byte.
package dtlswire
