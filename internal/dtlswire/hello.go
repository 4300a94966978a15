package dtlswire

import (
	"encoding/binary"
	"fmt"
)

// ExtensionUseSRTP is the use_srtp extension type (RFC 5764 §4.1.1).
const ExtensionUseSRTP uint16 = 14

// ClientHello holds the fields of a DTLS 1.2 ClientHello (RFC 6347 §4.2.1,
// RFC 5246 §7.4.1.2) this package needs; slices reference the message.
type ClientHello struct {
	Version      uint16
	Random       [32]byte
	SessionID    []byte
	Cookie       []byte
	CipherSuites []byte // pairs of bytes
	Extensions   []byte // the extensions block, without its length
}

// ServerHello holds the fields of a ServerHello (RFC 5246 §7.4.1.3).
type ServerHello struct {
	Version     uint16
	Random      [32]byte
	SessionID   []byte
	CipherSuite uint16
	Compression uint8
	Extensions  []byte
}

// helloReader reads the vectors of a hello message, remembering the first error.
type helloReader struct {
	b   []byte
	err error
	msg string
}

func (r *helloReader) take(n int, field string) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.b) {
		r.err = fmt.Errorf("conformance: %s %s needs %d bytes, %d left (RFC 5246 §7.4.1)", r.msg, field, n, len(r.b))
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

func (r *helloReader) vector(lenBytes int, field string) []byte {
	l := r.take(lenBytes, field+" length")
	if r.err != nil {
		return nil
	}
	n := int(l[0])
	if lenBytes == 2 {
		n = int(binary.BigEndian.Uint16(l))
	}
	return r.take(n, field)
}

// ParseClientHello parses a complete ClientHello body.
func ParseClientHello(body []byte) (ClientHello, error) {
	r := helloReader{b: body, msg: "ClientHello"}
	var h ClientHello
	if v := r.take(2, "client_version"); v != nil {
		h.Version = binary.BigEndian.Uint16(v)
	}
	copy(h.Random[:], r.take(32, "random"))
	h.SessionID = r.vector(1, "session_id")
	h.Cookie = r.vector(1, "cookie") // DTLS only (RFC 6347 §4.2.1)
	h.CipherSuites = r.vector(2, "cipher_suites")
	r.vector(1, "compression_methods")
	if r.err == nil && len(r.b) > 0 {
		h.Extensions = r.vector(2, "extensions")
	}
	if r.err == nil && len(h.CipherSuites)%2 != 0 {
		r.err = fmt.Errorf("conformance: ClientHello cipher_suites length %d is odd (RFC 5246 §7.4.1.2)", len(h.CipherSuites))
	}
	return h, r.err
}

// ParseServerHello parses a complete ServerHello body.
func ParseServerHello(body []byte) (ServerHello, error) {
	r := helloReader{b: body, msg: "ServerHello"}
	var h ServerHello
	if v := r.take(2, "server_version"); v != nil {
		h.Version = binary.BigEndian.Uint16(v)
	}
	copy(h.Random[:], r.take(32, "random"))
	h.SessionID = r.vector(1, "session_id")
	if v := r.take(2, "cipher_suite"); v != nil {
		h.CipherSuite = binary.BigEndian.Uint16(v)
	}
	if v := r.take(1, "compression_method"); v != nil {
		h.Compression = v[0]
	}
	if r.err == nil && len(r.b) > 0 {
		h.Extensions = r.vector(2, "extensions")
	}
	return h, r.err
}

// FindExtension returns the data of the first extension of type typ in an
// extensions block (RFC 5246 §7.4.1.4).
func FindExtension(exts []byte, typ uint16) ([]byte, bool, error) {
	for len(exts) > 0 {
		if len(exts) < 4 {
			return nil, false, fmt.Errorf("conformance: extension header %d bytes, want 4 (RFC 5246 §7.4.1.4)", len(exts))
		}
		t, n := binary.BigEndian.Uint16(exts), int(binary.BigEndian.Uint16(exts[2:]))
		if n > len(exts)-4 {
			return nil, false, fmt.Errorf("conformance: extension %d length %d exceeds the %d bytes left (RFC 5246 §7.4.1.4)", t, n, len(exts)-4)
		}
		if t == typ {
			return exts[4 : 4+n : 4+n], true, nil
		}
		exts = exts[4+n:]
	}
	return nil, false, nil
}

// UseSRTP is the use_srtp extension (RFC 5764 §4.1.1):
//
//	SRTPProtectionProfile SRTPProtectionProfiles<2..2^16-1>;
//	opaque srtp_mki<0..255>;
type UseSRTP struct {
	Profiles []byte // pairs of bytes; exactly one pair in a ServerHello
	MKI      []byte
}

// Profile returns the i-th profile.
func (u UseSRTP) Profile(i int) uint16 { return binary.BigEndian.Uint16(u.Profiles[2*i:]) }

// NumProfiles is the number of profiles listed.
func (u UseSRTP) NumProfiles() int { return len(u.Profiles) / 2 }

// ParseUseSRTP parses use_srtp extension data (RFC 5764 §4.1.1).
func ParseUseSRTP(data []byte) (UseSRTP, error) {
	r := helloReader{b: data, msg: "use_srtp"}
	u := UseSRTP{Profiles: r.vector(2, "SRTPProtectionProfiles")}
	u.MKI = r.vector(1, "srtp_mki")
	switch {
	case r.err != nil:
		return UseSRTP{}, r.err
	case len(u.Profiles) < 2 || len(u.Profiles)%2 != 0:
		return UseSRTP{}, fmt.Errorf("conformance: use_srtp profiles length %d, want a non-zero even number (RFC 5764 §4.1.1)", len(u.Profiles))
	case len(r.b) != 0:
		return UseSRTP{}, fmt.Errorf("conformance: use_srtp has %d bytes after srtp_mki (RFC 5764 §4.1.1)", len(r.b))
	}
	return u, nil
}
