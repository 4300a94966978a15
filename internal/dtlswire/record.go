package dtlswire

import (
	"encoding/binary"
	"fmt"
)

// DTLS content types (RFC 5246 §6.2.1, RFC 6520, RFC 9146).
const (
	DTLSChangeCipherSpec uint8 = 20
	DTLSAlert            uint8 = 21
	DTLSHandshake        uint8 = 22
	DTLSApplicationData  uint8 = 23
	DTLSHeartbeat        uint8 = 24 // RFC 6520
	DTLSConnectionID     uint8 = 25 // tls12_cid, RFC 9146
)

// DTLSRecordHeaderLen is the size of a DTLS 1.2 record header (RFC 6347 §4.1).
const DTLSRecordHeaderLen = 13

// DTLSRecord is one DTLS 1.2 record (RFC 6347 §4.1):
//
//	struct {
//	    ContentType type;
//	    ProtocolVersion version;
//	    uint16 epoch;
//	    uint48 sequence_number;
//	    uint16 length;
//	    opaque fragment[DTLSPlaintext.length];
//	} DTLSPlaintext;
type DTLSRecord struct {
	ContentType uint8
	Version     uint16 // 0xfefd for DTLS 1.2, 0xfeff for 1.0
	Epoch       uint16
	Sequence    uint64 // 48 bits
	Fragment    []byte // references the datagram; encrypted when Epoch > 0
}

// ContentTypeName names a content type ("handshake", "application_data", ...).
func ContentTypeName(t uint8) string {
	switch t {
	case DTLSChangeCipherSpec:
		return "change_cipher_spec"
	case DTLSAlert:
		return "alert"
	case DTLSHandshake:
		return "handshake"
	case DTLSApplicationData:
		return "application_data"
	case DTLSHeartbeat:
		return "heartbeat"
	case DTLSConnectionID:
		return "tls12_cid"
	}
	return fmt.Sprintf("content_type_%d", t)
}

// NextDTLSRecord reads the record at the start of b and returns it and the
// bytes after it; a datagram may carry several records (RFC 6347 §4.1.1).
// It does not allocate.
func NextDTLSRecord(b []byte) (DTLSRecord, []byte, error) {
	if len(b) < DTLSRecordHeaderLen {
		return DTLSRecord{}, nil, fmt.Errorf("conformance: DTLS record header %d bytes, want %d (RFC 6347 §4.1)", len(b), DTLSRecordHeaderLen)
	}
	r := DTLSRecord{
		ContentType: b[0],
		Version:     binary.BigEndian.Uint16(b[1:]),
		Epoch:       binary.BigEndian.Uint16(b[3:]),
		Sequence:    uint64(binary.BigEndian.Uint16(b[5:]))<<32 | uint64(binary.BigEndian.Uint32(b[7:])),
	}
	if r.ContentType == DTLSConnectionID {
		return DTLSRecord{}, nil, fmt.Errorf("conformance: DTLS record content type 25 (tls12_cid) has a connection ID of negotiated length; not parsed (RFC 9146 §4)")
	}
	n := int(binary.BigEndian.Uint16(b[11:]))
	if n > len(b)-DTLSRecordHeaderLen {
		return DTLSRecord{}, nil, fmt.Errorf("conformance: DTLS record length %d exceeds the %d bytes left in the datagram (RFC 6347 §4.1)", n, len(b)-DTLSRecordHeaderLen)
	}
	r.Fragment = b[DTLSRecordHeaderLen : DTLSRecordHeaderLen+n : DTLSRecordHeaderLen+n]
	return r, b[DTLSRecordHeaderLen+n:], nil
}

// Handshake message types (RFC 5246 §7.4, RFC 6347 §4.3.2).
const (
	HandshakeHelloRequest       uint8 = 0
	HandshakeClientHello        uint8 = 1
	HandshakeServerHello        uint8 = 2
	HandshakeHelloVerifyRequest uint8 = 3
	HandshakeCertificate        uint8 = 11
	HandshakeServerKeyExchange  uint8 = 12
	HandshakeCertificateRequest uint8 = 13
	HandshakeServerHelloDone    uint8 = 14
	HandshakeCertificateVerify  uint8 = 15
	HandshakeClientKeyExchange  uint8 = 16
	HandshakeFinished           uint8 = 20
)

// HandshakeTypeName names a handshake message type ("client_hello", ...).
func HandshakeTypeName(t uint8) string {
	switch t {
	case HandshakeHelloRequest:
		return "hello_request"
	case HandshakeClientHello:
		return "client_hello"
	case HandshakeServerHello:
		return "server_hello"
	case HandshakeHelloVerifyRequest:
		return "hello_verify_request"
	case HandshakeCertificate:
		return "certificate"
	case HandshakeServerKeyExchange:
		return "server_key_exchange"
	case HandshakeCertificateRequest:
		return "certificate_request"
	case HandshakeServerHelloDone:
		return "server_hello_done"
	case HandshakeCertificateVerify:
		return "certificate_verify"
	case HandshakeClientKeyExchange:
		return "client_key_exchange"
	case HandshakeFinished:
		return "finished"
	}
	return fmt.Sprintf("handshake_type_%d", t)
}

// DTLSHandshakeHeaderLen is the size of a DTLS handshake message header (RFC 6347 §4.2.2).
const DTLSHandshakeHeaderLen = 12

// DTLSHandshakeFragment is one handshake message fragment (RFC 6347 §4.2.2):
//
//	struct {
//	    HandshakeType msg_type;
//	    uint24 length;
//	    uint16 message_seq;
//	    uint24 fragment_offset;
//	    uint24 fragment_length;
//	    ...body
//	} Handshake;
type DTLSHandshakeFragment struct {
	Type           uint8
	Length         uint32 // length of the whole message
	MessageSeq     uint16
	FragmentOffset uint32
	Body           []byte // fragment_length bytes of the message from FragmentOffset
}

// Complete reports whether the fragment is the whole message.
func (h DTLSHandshakeFragment) Complete() bool {
	return h.FragmentOffset == 0 && uint32(len(h.Body)) == h.Length
}

// NextDTLSHandshake reads the handshake fragment at the start of a clear-text
// handshake record's fragment; a record may carry several (RFC 6347 §4.2.3).
// It does not allocate.
func NextDTLSHandshake(b []byte) (DTLSHandshakeFragment, []byte, error) {
	if len(b) < DTLSHandshakeHeaderLen {
		return DTLSHandshakeFragment{}, nil, fmt.Errorf("conformance: DTLS handshake header %d bytes, want %d (RFC 6347 §4.2.2)", len(b), DTLSHandshakeHeaderLen)
	}
	u24 := func(p []byte) uint32 { return uint32(p[0])<<16 | uint32(p[1])<<8 | uint32(p[2]) }
	h := DTLSHandshakeFragment{
		Type:           b[0],
		Length:         u24(b[1:]),
		MessageSeq:     binary.BigEndian.Uint16(b[4:]),
		FragmentOffset: u24(b[6:]),
	}
	fl := u24(b[9:])
	if uint64(fl) > uint64(len(b)-DTLSHandshakeHeaderLen) {
		return DTLSHandshakeFragment{}, nil, fmt.Errorf("conformance: DTLS handshake fragment_length %d exceeds the %d bytes left in the record (RFC 6347 §4.2.2)", fl, len(b)-DTLSHandshakeHeaderLen)
	}
	if uint64(h.FragmentOffset)+uint64(fl) > uint64(h.Length) {
		return DTLSHandshakeFragment{}, nil, fmt.Errorf("conformance: DTLS handshake fragment %d+%d runs past message length %d (RFC 6347 §4.2.2)", h.FragmentOffset, fl, h.Length)
	}
	end := DTLSHandshakeHeaderLen + int(fl)
	h.Body = b[DTLSHandshakeHeaderLen:end:end]
	return h, b[end:], nil
}
