package conformance

import (
	"errors"
	"fmt"
	"net/netip"
)

// DTLSHello is what the clear-text DTLS 1.2 hellos of a capture say about
// the association: both randoms, the cipher suite and the use_srtp profile.
type DTLSHello struct {
	Client, Server   netip.AddrPort // ClientHello source and destination
	ClientRandom     [32]byte       // from the ClientHello (RFC 5246 §7.4.1.2)
	ServerRandom     [32]byte       // from the ServerHello (RFC 5246 §7.4.1.3)
	CipherSuite      uint16         // chosen in the ServerHello
	SRTPProfile      uint16         // the one profile in the ServerHello's use_srtp (RFC 5764 §4.1.1)
	ClientHelloFrame int            // frame numbers of the hellos used
	ServerHelloFrame int
}

// maxReassembly bounds the size of a hello message this package reassembles
// from fragments.
const maxReassembly = 1 << 16

// FindDTLSHello walks the clear-text (epoch 0) DTLS handshake records of
// datagrams (RFC 6347 §4.1, §4.2.2) and returns the randoms, cipher suite and
// SRTP profile of the first ClientHello/ServerHello exchange. Hellos split
// into fragments are reassembled. A repeated ClientHello (after a
// HelloVerifyRequest, RFC 6347 §4.2.1) replaces the earlier one.
func FindDTLSHello(datagrams []Datagram) (DTLSHello, error) {
	var (
		h      DTLSHello
		haveCH bool
	)
	msgs, firstErr := DTLSHandshakeMessages(datagrams)
	note := func(m DTLSHandshakeMessage, err error) {
		if firstErr == nil {
			firstErr = fmt.Errorf("conformance: frame %d: %w", m.Frame, err)
		}
	}
	for _, m := range msgs {
		switch m.Type {
		case HandshakeClientHello:
			ch, err := ParseClientHello(m.Body)
			if err != nil {
				note(m, err)
				continue
			}
			h.Client, h.Server, h.ClientRandom, h.ClientHelloFrame, haveCH = m.Src, m.Dst, ch.Random, m.Frame, true
		case HandshakeServerHello:
			if !haveCH || m.Src != h.Server {
				continue
			}
			sh, err := ParseServerHello(m.Body)
			if err != nil {
				note(m, err)
				continue
			}
			ext, ok, err := FindExtension(sh.Extensions, ExtensionUseSRTP)
			if err != nil {
				note(m, err)
				continue
			}
			if !ok {
				return h, fmt.Errorf("conformance: frame %d: ServerHello has no use_srtp extension (RFC 5764 §4.1.1)", m.Frame)
			}
			u, err := ParseUseSRTP(ext)
			if err != nil {
				return h, fmt.Errorf("conformance: frame %d: %w", m.Frame, err)
			}
			if u.NumProfiles() != 1 {
				return h, fmt.Errorf("conformance: frame %d: ServerHello use_srtp lists %d profiles, want 1 (RFC 5764 §4.1.1)", m.Frame, u.NumProfiles())
			}
			h.ServerRandom, h.CipherSuite, h.SRTPProfile, h.ServerHelloFrame = sh.Random, sh.CipherSuite, u.Profile(0), m.Frame
			return h, nil
		}
	}
	err := errors.New("conformance: no DTLS ClientHello/ServerHello exchange in the capture")
	if firstErr != nil {
		err = fmt.Errorf("%w (first error: %w)", err, firstErr)
	}
	return h, err
}

// fragKey names one handshake message being reassembled.
type fragKey struct {
	src  netip.AddrPort
	typ  uint8
	seq  uint16
	size uint32
}

// reassembly collects the fragments of one handshake message (RFC 6347 §4.2.3).
type reassembly struct {
	buf    []byte
	have   []bool
	filled int
}

// reassemble adds a fragment and returns the whole body once every byte has
// arrived, nil before that.
func reassemble(m map[fragKey]*reassembly, src netip.AddrPort, f DTLSHandshakeFragment) ([]byte, error) {
	if f.Length > maxReassembly {
		return nil, fmt.Errorf("conformance: fragmented %s of %d bytes exceeds the %d this reader reassembles", HandshakeTypeName(f.Type), f.Length, maxReassembly)
	}
	k := fragKey{src, f.Type, f.MessageSeq, f.Length}
	r := m[k]
	if r == nil {
		r = &reassembly{buf: make([]byte, f.Length), have: make([]bool, f.Length)}
		m[k] = r
	}
	for i, c := range f.Body { // NextDTLSHandshake checked offset+len <= Length
		p := int(f.FragmentOffset) + i
		if !r.have[p] {
			r.have[p], r.buf[p] = true, c
			r.filled++
		}
	}
	if r.filled < len(r.buf) {
		return nil, nil
	}
	delete(m, k)
	return r.buf, nil
}
