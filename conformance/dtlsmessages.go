package conformance

import (
	"fmt"
	"net/netip"

	"github.com/plainrtc/plainrtc/internal/demux"
)

// DTLSHandshakeMessage is one whole clear-text (epoch 0) DTLS handshake
// message of a capture (RFC 6347 §4.2.2), reassembled from its fragments.
type DTLSHandshakeMessage struct {
	Frame      int // frame that completed it
	Src, Dst   netip.AddrPort
	Type       uint8 // HandshakeClientHello, HandshakeCertificate, ...
	MessageSeq uint16
	Body       []byte // the message body, without the 12-byte header
}

// DTLSHandshakeMessages walks every clear-text handshake record of
// datagrams (RFC 6347 §4.1, several records per datagram, several messages
// per record) and returns each message once its fragments are all there
// (§4.2.3), in capture order. Retransmitted flights appear again. Records
// of a later epoch are encrypted and skipped. Malformed records are
// reported in err (the first one) and skipped; the messages found are
// returned regardless.
func DTLSHandshakeMessages(datagrams []Datagram) ([]DTLSHandshakeMessage, error) {
	var (
		out      []DTLSHandshakeMessage
		firstErr error
		partial  = map[fragKey]*reassembly{}
	)
	note := func(d Datagram, err error) {
		if firstErr == nil {
			firstErr = fmt.Errorf("conformance: frame %d: %w", d.N, err)
		}
	}
	for _, d := range datagrams {
		if demux.Classify(d.Payload) != demux.DTLS {
			continue
		}
		for rest := d.Payload; len(rest) > 0; {
			rec, next, err := NextDTLSRecord(rest)
			if err != nil {
				note(d, err)
				break
			}
			rest = next
			if rec.ContentType != DTLSHandshake || rec.Epoch != 0 {
				continue
			}
			for hs := rec.Fragment; len(hs) > 0; {
				frag, next, err := NextDTLSHandshake(hs)
				if err != nil {
					note(d, err)
					break
				}
				hs = next
				body := frag.Body
				if !frag.Complete() {
					if body, err = reassemble(partial, d.Src, frag); err != nil {
						note(d, err)
						continue
					}
					if body == nil {
						continue
					}
				}
				out = append(out, DTLSHandshakeMessage{Frame: d.N, Src: d.Src, Dst: d.Dst, Type: frag.Type, MessageSeq: frag.MessageSeq, Body: body})
			}
		}
	}
	return out, firstErr
}

// ParseCertificateMessage returns the DER certificates of a Certificate
// message body (RFC 5246 §7.4.2: a 24-bit length, then each certificate
// with its own 24-bit length), the sender's own first. The slices
// reference body.
func ParseCertificateMessage(body []byte) ([][]byte, error) {
	u24 := func(p []byte) int { return int(p[0])<<16 | int(p[1])<<8 | int(p[2]) }
	if len(body) < 3 {
		return nil, fmt.Errorf("conformance: Certificate message of %d bytes has no certificate_list length (RFC 5246 §7.4.2)", len(body))
	}
	n := u24(body)
	if n != len(body)-3 {
		return nil, fmt.Errorf("conformance: Certificate certificate_list length %d, %d bytes follow (RFC 5246 §7.4.2)", n, len(body)-3)
	}
	var certs [][]byte
	for rest := body[3:]; len(rest) > 0; {
		if len(rest) < 3 {
			return nil, fmt.Errorf("conformance: Certificate entry length cut after %d bytes (RFC 5246 §7.4.2)", len(rest))
		}
		l := u24(rest)
		if l == 0 || l > len(rest)-3 {
			return nil, fmt.Errorf("conformance: Certificate entry of %d bytes, %d left (RFC 5246 §7.4.2)", l, len(rest)-3)
		}
		certs = append(certs, rest[3:3+l:3+l])
		rest = rest[3+l:]
	}
	return certs, nil
}
