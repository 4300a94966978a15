package conformance

import "github.com/plainrtc/plainrtc/internal/dtlswire"

// The DTLS record, handshake and hello readers live in internal/dtlswire so
// that package annotate (and through it the SFU's inspector) can use them
// without importing the corpus; conformance keeps its names for them.

// DTLS content types (RFC 5246 §6.2.1, RFC 6520, RFC 9146).
const (
	DTLSChangeCipherSpec = dtlswire.DTLSChangeCipherSpec
	DTLSAlert            = dtlswire.DTLSAlert
	DTLSHandshake        = dtlswire.DTLSHandshake
	DTLSApplicationData  = dtlswire.DTLSApplicationData
	DTLSHeartbeat        = dtlswire.DTLSHeartbeat
	DTLSConnectionID     = dtlswire.DTLSConnectionID
)

// DTLSRecordHeaderLen is the size of a DTLS 1.2 record header (RFC 6347 §4.1).
const DTLSRecordHeaderLen = dtlswire.DTLSRecordHeaderLen

// DTLSRecord is one DTLS 1.2 record (RFC 6347 §4.1).
type DTLSRecord = dtlswire.DTLSRecord

// ContentTypeName names a content type ("handshake", "application_data", ...).
func ContentTypeName(t uint8) string { return dtlswire.ContentTypeName(t) }

// NextDTLSRecord reads the record at the start of b and returns it and the
// bytes after it (RFC 6347 §4.1.1).
func NextDTLSRecord(b []byte) (DTLSRecord, []byte, error) { return dtlswire.NextDTLSRecord(b) }

// Handshake message types (RFC 5246 §7.4, RFC 6347 §4.3.2).
const (
	HandshakeHelloRequest       = dtlswire.HandshakeHelloRequest
	HandshakeClientHello        = dtlswire.HandshakeClientHello
	HandshakeServerHello        = dtlswire.HandshakeServerHello
	HandshakeHelloVerifyRequest = dtlswire.HandshakeHelloVerifyRequest
	HandshakeCertificate        = dtlswire.HandshakeCertificate
	HandshakeServerKeyExchange  = dtlswire.HandshakeServerKeyExchange
	HandshakeCertificateRequest = dtlswire.HandshakeCertificateRequest
	HandshakeServerHelloDone    = dtlswire.HandshakeServerHelloDone
	HandshakeCertificateVerify  = dtlswire.HandshakeCertificateVerify
	HandshakeClientKeyExchange  = dtlswire.HandshakeClientKeyExchange
	HandshakeFinished           = dtlswire.HandshakeFinished
)

// HandshakeTypeName names a handshake message type ("client_hello", ...).
func HandshakeTypeName(t uint8) string { return dtlswire.HandshakeTypeName(t) }

// DTLSHandshakeHeaderLen is the size of a DTLS handshake message header (RFC 6347 §4.2.2).
const DTLSHandshakeHeaderLen = dtlswire.DTLSHandshakeHeaderLen

// DTLSHandshakeFragment is one handshake message fragment (RFC 6347 §4.2.2).
type DTLSHandshakeFragment = dtlswire.DTLSHandshakeFragment

// NextDTLSHandshake reads the handshake fragment at the start of a
// clear-text handshake record's fragment (RFC 6347 §4.2.3).
func NextDTLSHandshake(b []byte) (DTLSHandshakeFragment, []byte, error) {
	return dtlswire.NextDTLSHandshake(b)
}

// ExtensionUseSRTP is the use_srtp extension type (RFC 5764 §4.1.1).
const ExtensionUseSRTP = dtlswire.ExtensionUseSRTP

// ClientHello holds the ClientHello fields (RFC 5246 §7.4.1.2) read here.
type ClientHello = dtlswire.ClientHello

// ServerHello holds the ServerHello fields (RFC 5246 §7.4.1.3) read here.
type ServerHello = dtlswire.ServerHello

// ParseClientHello reads a complete ClientHello body (RFC 6347 §4.2.1).
func ParseClientHello(body []byte) (ClientHello, error) { return dtlswire.ParseClientHello(body) }

// ParseServerHello reads a complete ServerHello body (RFC 5246 §7.4.1.3).
func ParseServerHello(body []byte) (ServerHello, error) { return dtlswire.ParseServerHello(body) }

// FindExtension returns the data of the first extension of type typ (RFC
// 5246 §7.4.1.4).
func FindExtension(exts []byte, typ uint16) ([]byte, bool, error) {
	return dtlswire.FindExtension(exts, typ)
}

// UseSRTP is the use_srtp extension data (RFC 5764 §4.1.1).
type UseSRTP = dtlswire.UseSRTP

// ParseUseSRTP reads use_srtp extension data (RFC 5764 §4.1.1).
func ParseUseSRTP(data []byte) (UseSRTP, error) { return dtlswire.ParseUseSRTP(data) }
