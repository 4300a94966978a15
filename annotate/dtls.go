package annotate

import (
	"encoding/hex"
	"fmt"

	"github.com/plainrtc/plainrtc/internal/dtlswire"
)

// DTLS lists the DTLS records of one datagram (RFC 6347 §4.1).
type DTLS struct {
	ContentType   []string     `json:"content_type"`             // per record
	HandshakeType []string     `json:"handshake_type,omitempty"` // per handshake message in clear records
	Records       []DTLSRecord `json:"records"`
}

// DTLSRecord is one record header (RFC 6347 §4.1).
type DTLSRecord struct {
	ContentType string          `json:"content_type"`
	Version     string          `json:"version"` // "DTLS 1.2"
	Epoch       uint16          `json:"epoch"`
	Sequence    uint64          `json:"seq"`
	Length      int             `json:"length"`
	Encrypted   bool            `json:"encrypted"` // epoch > 0: the fragment is protected
	Handshake   []DTLSHandshake `json:"handshake,omitempty"`
}

// DTLSHandshake is one handshake message header (RFC 6347 §4.2.2) and, for
// the hellos, the fields that matter for DTLS-SRTP.
type DTLSHandshake struct {
	Type           string   `json:"type"`
	Length         uint32   `json:"length"`
	MessageSeq     uint16   `json:"message_seq"`
	FragmentOffset uint32   `json:"fragment_offset"`
	FragmentLength int      `json:"fragment_length"`
	Random         string   `json:"random,omitempty"`        // hellos (RFC 5246 §7.4.1.2)
	CipherSuite    string   `json:"cipher_suite,omitempty"`  // ServerHello
	SRTPProfiles   []string `json:"srtp_profiles,omitempty"` // use_srtp (RFC 5764 §4.1.1)
}

func dtlsVersionName(v uint16) string {
	switch v {
	case 0xfefd:
		return "DTLS 1.2"
	case 0xfeff:
		return "DTLS 1.0"
	case 0xfefc:
		return "DTLS 1.3"
	}
	return fmt.Sprintf("0x%04x", v)
}

// decodeDTLS walks the records of a datagram. The records decoded before an
// error are returned with it.
func decodeDTLS(p []byte) (*DTLS, error) {
	r := &DTLS{}
	for rest := p; len(rest) > 0; {
		rec, next, err := dtlswire.NextDTLSRecord(rest)
		if err != nil {
			return r, err
		}
		rest = next
		h := DTLSRecord{
			ContentType: dtlswire.ContentTypeName(rec.ContentType),
			Version:     dtlsVersionName(rec.Version),
			Epoch:       rec.Epoch,
			Sequence:    rec.Sequence,
			Length:      len(rec.Fragment),
			Encrypted:   rec.Epoch > 0,
		}
		r.ContentType = append(r.ContentType, h.ContentType)
		if rec.ContentType == dtlswire.DTLSHandshake && rec.Epoch == 0 {
			for hs := rec.Fragment; len(hs) > 0; {
				f, next, err := dtlswire.NextDTLSHandshake(hs)
				if err != nil {
					r.Records = append(r.Records, h)
					return r, err
				}
				hs = next
				m := DTLSHandshake{
					Type: dtlswire.HandshakeTypeName(f.Type), Length: f.Length, MessageSeq: f.MessageSeq,
					FragmentOffset: f.FragmentOffset, FragmentLength: len(f.Body),
				}
				if f.Complete() {
					helloDetails(&m, f)
				}
				h.Handshake = append(h.Handshake, m)
				r.HandshakeType = append(r.HandshakeType, m.Type)
			}
		}
		r.Records = append(r.Records, h)
	}
	return r, nil
}

// helloDetails fills randoms, cipher suite and use_srtp profiles of hellos.
func helloDetails(m *DTLSHandshake, f dtlswire.DTLSHandshakeFragment) {
	var exts []byte
	switch f.Type {
	case dtlswire.HandshakeClientHello:
		ch, err := dtlswire.ParseClientHello(f.Body)
		if err != nil {
			return
		}
		m.Random, exts = hex.EncodeToString(ch.Random[:]), ch.Extensions
	case dtlswire.HandshakeServerHello:
		sh, err := dtlswire.ParseServerHello(f.Body)
		if err != nil {
			return
		}
		m.Random, exts = hex.EncodeToString(sh.Random[:]), sh.Extensions
		m.CipherSuite = fmt.Sprintf("0x%04x", sh.CipherSuite)
	default:
		return
	}
	if data, ok, err := dtlswire.FindExtension(exts, dtlswire.ExtensionUseSRTP); ok && err == nil {
		if u, err := dtlswire.ParseUseSRTP(data); err == nil {
			for i := 0; i < u.NumProfiles(); i++ {
				m.SRTPProfiles = append(m.SRTPProfiles, dtlswire.SRTPProfileName(u.Profile(i)))
			}
		}
	}
}
