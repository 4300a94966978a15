package conformance_test

import (
	"bytes"
	"crypto/x509"
	"net/netip"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
)

// Every corpus session has both sides' Certificate messages in clear
// (DTLS 1.2 with mutual authentication, RFC 8827 §6.5), each a leaf that
// parses as X.509; the hellos DTLSHandshakeMessages finds are the ones
// FindDTLSHello used.
func TestDTLSHandshakeMessagesCorpus(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		msgs, err := conformance.DTLSHandshakeMessages(s.Datagrams)
		if err != nil {
			t.Fatal(err)
		}
		certsFrom := map[netip.AddrPort]int{}
		sawCH, sawSH := false, false
		for _, m := range msgs {
			switch m.Type {
			case conformance.HandshakeCertificate:
				certs, err := conformance.ParseCertificateMessage(m.Body)
				if err != nil {
					t.Fatalf("frame %d: %v", m.Frame, err)
				}
				if len(certs) == 0 {
					t.Fatalf("frame %d: empty certificate list", m.Frame)
				}
				if _, err := x509.ParseCertificate(certs[0]); err != nil {
					t.Errorf("frame %d: leaf certificate: %v", m.Frame, err)
				}
				certsFrom[m.Src]++
			case conformance.HandshakeClientHello:
				sawCH = sawCH || m.Frame == s.Hello.ClientHelloFrame
			case conformance.HandshakeServerHello:
				sawSH = sawSH || m.Frame == s.Hello.ServerHelloFrame
			}
		}
		if len(certsFrom) != 2 {
			t.Errorf("Certificate messages from %d addresses, want both sides: %v", len(certsFrom), certsFrom)
		}
		if !sawCH || !sawSH {
			t.Errorf("the hellos of frames %d/%d not among the messages", s.Hello.ClientHelloFrame, s.Hello.ServerHelloFrame)
		}
	})
}

// FuzzDTLSHandshakeMessages: the walker and the Certificate parser never
// panic; every certificate returned lies inside the message body.
func FuzzDTLSHandshakeMessages(f *testing.F) {
	dirs, _ := conformance.Sessions()
	for _, d := range dirs {
		if s, err := conformance.Load(d); err == nil {
			for _, dg := range s.Datagrams {
				if len(dg.Payload) > 0 && dg.Payload[0] == 22 {
					f.Add(dg.Payload)
				}
			}
		}
	}
	f.Add([]byte{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 11, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 3})
	f.Fuzz(func(t *testing.T, p []byte) {
		a := netip.MustParseAddrPort("127.0.0.1:1")
		msgs, _ := conformance.DTLSHandshakeMessages([]conformance.Datagram{{N: 1, Src: a, Dst: a, Payload: p}})
		for _, m := range msgs {
			certs, err := conformance.ParseCertificateMessage(m.Body)
			if err != nil {
				continue
			}
			for _, c := range certs {
				if !bytes.Contains(m.Body, c) {
					t.Errorf("certificate not inside the body")
				}
			}
		}
	})
}
