package lint

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/sdp"
)

// dtlsSetupRole compares the DTLS client a=setup makes with the sender of
// the ClientHello (RFC 8842 §5.3, RFC 5763 §5).
func (l *linter) dtlsSetupRole() *finding {
	f := newFinding(RuleDTLSSetupRole, WholeSession)
	r := &l.s.Roles
	switch {
	case !r.SetupClientKnown:
		f.naDetail = "the answer's a=setup is neither active nor passive: no DTLS client follows from it (see jsep-setup-values)"
	case !r.DTLSClientKnown:
		f.naDetail = "no ClientHello from an address either side used"
	case r.SetupClient != r.DTLSClient:
		f.checked++
		f.violate(l.s.Hello.ClientHelloFrame, "a=setup makes the %s the DTLS client, but the %s sent the ClientHello", r.SetupClient, r.DTLSClient)
	default:
		f.checked++
		f.passDetail = fmt.Sprintf("the %s is DTLS client as the answer's a=setup says, and sent the ClientHello", r.DTLSClient)
	}
	return f
}

// fingerprintHash returns the hash function an a=fingerprint names
// (RFC 8122 §5 uses the names of the IANA Hash Function Textual Names
// registry).
func fingerprintHash(name string) func() hash.Hash {
	switch strings.ToLower(name) {
	case "sha-1":
		return sha1.New
	case "sha-224":
		return sha256.New224
	case "sha-256":
		return sha256.New
	case "sha-384":
		return sha512.New384
	case "sha-512":
		return sha512.New
	}
	return nil
}

// fingerprintsOf lists the a=fingerprint values of a description: of its
// first m= section that has any, else the session-level ones.
func fingerprintsOf(s *sdp.Session) []sdp.Fingerprint {
	var out []sdp.Fingerprint
	if s == nil {
		return nil
	}
	for i := range s.Media {
		for fp := range s.Fingerprints(&s.Media[i]) {
			out = append(out, fp)
		}
		if len(out) > 0 {
			return out
		}
	}
	for fp := range s.Fingerprints(nil) {
		out = append(out, fp)
	}
	return out
}

// certFingerprints hashes the first certificate of each side's Certificate
// messages with the hash of each of its a=fingerprint lines (RFC 8122 §5,
// RFC 5763 §5: the certificate must match one of them).
func (l *linter) certFingerprints() [2]*finding {
	fs := perSide(RuleCertFingerprint)
	msgs, err := conformance.DTLSHandshakeMessages(l.s.Datagrams)
	seen := map[string]bool{}
	for _, m := range msgs {
		if m.Type != conformance.HandshakeCertificate {
			continue
		}
		side, ok := l.s.Roles.SideOf(m.Src)
		if !ok {
			continue
		}
		f := fs[side]
		certs, perr := conformance.ParseCertificateMessage(m.Body)
		if perr != nil {
			f.checked++
			f.violate(m.Frame, "%v", perr)
			continue
		}
		if len(certs) == 0 {
			continue // an empty list: no client certificate
		}
		key := fmt.Sprint(side, string(certs[0]))
		if seen[key] {
			continue // a retransmitted flight
		}
		seen[key] = true
		f.checked++
		fps := fingerprintsOf(l.sideSDP(side))
		if len(fps) == 0 {
			f.violate(m.Frame, "the %s's description has no a=fingerprint (RFC 8122 §5, RFC 5763 §5 require one)", side)
			continue
		}
		matched := ""
		var tried []string
		for _, fp := range fps {
			h := fingerprintHash(fp.Hash)
			if h == nil {
				tried = append(tried, fp.Hash+" (unknown hash)")
				continue
			}
			hh := h()
			hh.Write(certs[0])
			got := hex.EncodeToString(hh.Sum(nil))
			if strings.EqualFold(strings.ReplaceAll(fp.Value, ":", ""), got) {
				matched = fp.Hash
				break
			}
			tried = append(tried, fmt.Sprintf("%s %s, certificate has %s", fp.Hash, fp.Value, colonHex(got)))
		}
		if matched == "" {
			f.violate(m.Frame, "the %s's certificate matches none of its a=fingerprint lines: %s", side, strings.Join(tried, "; "))
			continue
		}
		f.passDetail = fmt.Sprintf("the %s's certificate (%d bytes) matches its a=fingerprint %s", side, len(certs[0]), matched)
	}
	for side, f := range fs {
		f.naDetail = fmt.Sprintf("no clear-text Certificate message from the %s in the capture", conformance.Side(side))
		if err != nil {
			f.naDetail += fmt.Sprintf(" (%v)", err)
		}
	}
	return fs
}

func colonHex(h string) string {
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(strings.ToUpper(h[i : i+2]))
	}
	return b.String()
}

// srtpProfileOffered checks the ServerHello's use_srtp profile against the
// ClientHello it answers (RFC 5764 §4.1.1: the server picks one of the
// client's profiles).
func (l *linter) srtpProfileOffered() *finding {
	f := newFinding(RuleSRTPProfileOffered, WholeSession)
	msgs, err := conformance.DTLSHandshakeMessages(l.s.Datagrams)
	var offered []uint16
	haveCH := false
	for _, m := range msgs {
		switch m.Type {
		case conformance.HandshakeClientHello:
			ch, err := conformance.ParseClientHello(m.Body)
			if err != nil {
				continue
			}
			ext, ok, err := conformance.FindExtension(ch.Extensions, conformance.ExtensionUseSRTP)
			haveCH = true
			offered = nil
			if !ok || err != nil {
				continue
			}
			u, err := conformance.ParseUseSRTP(ext)
			if err != nil {
				continue
			}
			for i := range u.NumProfiles() {
				offered = append(offered, u.Profile(i))
			}
		case conformance.HandshakeServerHello:
			if !haveCH {
				continue
			}
			sh, err := conformance.ParseServerHello(m.Body)
			if err != nil {
				continue
			}
			ext, ok, err := conformance.FindExtension(sh.Extensions, conformance.ExtensionUseSRTP)
			if !ok || err != nil {
				continue
			}
			u, err := conformance.ParseUseSRTP(ext)
			if err != nil || u.NumProfiles() == 0 {
				continue
			}
			chosen := u.Profile(0)
			f.checked++
			var names []string
			found := false
			for _, p := range offered {
				names = append(names, conformance.SRTPProfileName(p))
				found = found || p == chosen
			}
			if !found {
				f.violate(m.Frame, "the ServerHello chose %s, which the ClientHello did not offer (offered: %s)", conformance.SRTPProfileName(chosen), strings.Join(names, ", "))
			} else {
				f.passDetail = fmt.Sprintf("%s chosen from the offered %s", conformance.SRTPProfileName(chosen), strings.Join(names, ", "))
			}
			return f
		}
	}
	f.naDetail = "no ServerHello with use_srtp after a ClientHello"
	if err != nil {
		f.naDetail += fmt.Sprintf(" (%v)", err)
	}
	return f
}
