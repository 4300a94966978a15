package conformance

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"

	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/stun"
)

// ICECredentials are one side's a=ice-ufrag and a=ice-pwd (RFC 8839 §5.4).
type ICECredentials struct{ Ufrag, Pwd string }

// Session is one captured browser session of the corpus, with everything
// derived from it that the packet-level tests need. A Session returned by
// Load or Derive is shared between tests: treat it as read-only.
type Session struct {
	Name, Dir string     // folder name and path ("" for a derived session)
	Datagrams []Datagram // every UDP datagram, in capture order
	Offer     []byte     // the offer SDP, exactly as in the folder
	Answer    []byte     // the answer SDP
	// Exchanges are the later offer/answer exchanges (offer-2.sdp,
	// answer-2.sdp, …), in order; nil when the session never renegotiated.
	Exchanges []Exchange
	// Roles is who did what, derived from the session itself (DeriveRoles):
	// every field below that names the browser or the server comes from it.
	Roles                 Roles
	BrowserICE, ServerICE ICECredentials // the browser's and the server's a=ice-ufrag/a=ice-pwd
	// Browser and Server are the addresses each side sent media (DTLS)
	// from: the selected pair. A side may have used more (Roles.Peers[].Addrs).
	Browser, Server netip.AddrPort
	DTLSClient      netip.AddrPort // source of the ClientHello
	// SRTPProfile is the use_srtp profile id from the ServerHello (RFC 5764
	// §4.1.2): 0x0001 AES128_CM_SHA1_80, 0x0002 _32, 0x0007
	// AEAD_AES_128_GCM, 0x0008 AEAD_AES_256_GCM.
	SRTPProfile    uint16
	KeyingMaterial []byte // RFC 5764 §4.2 exporter output (EXTRACTOR-dtls_srtp)
	// Master keys and salts split per RFC 5764 §4.2 for the profile.
	ClientKey, ClientSalt, ServerKey, ServerSalt []byte
	Meta                                         map[string]any // meta.json; nil without one
	Truth                                        Truth          // truth.json (counts etc.)
	HasTruth                                     bool           // the folder has a truth.json
	// Derived names the variant when the session was made from a corpus
	// folder by Derive ("audio-only", ...); "" for a folder as captured.
	Derived string
	// Partial: datagrams of the original capture were left out (a derived
	// session), so per-sender sequences such as transport-wide sequence
	// numbers may have gaps an unabridged capture would not have.
	Partial bool

	// Hello is what the DTLS hellos said (randoms, cipher suite, frames).
	Hello DTLSHello
	// Capture is what the capture reader skipped and counted.
	Capture CaptureStats
	// KeyLog is the folder's keylog.txt.
	KeyLog     *KeyLog
	keyLogFile []byte
}

// FromBrowser reports whether d was sent by the browser (Roles.Sender: by
// the addresses the ICE checks tie to each side).
func (s *Session) FromBrowser(d Datagram) bool {
	side, ok := s.Roles.Sender(d)
	return ok && side == s.Roles.Browser
}

// FromServer reports whether d was sent by the server.
func (s *Session) FromServer(d Datagram) bool {
	side, ok := s.Roles.Sender(d)
	return ok && side != s.Roles.Browser
}

// STUNPassword returns the ice-pwd that signs a STUN message in d (RFC 8445
// §7.2.2, §7.3): a request is signed with the receiver's password, a
// response with the sender's, i.e. the password of the agent that received
// the request. This holds whichever side sends checks (full ICE: both).
func (s *Session) STUNPassword(d Datagram, isRequest bool) string {
	side, ok := s.Roles.Sender(d)
	if !ok {
		return ""
	}
	if isRequest {
		side = side.Other()
	}
	var m stun.Message
	if m.Unmarshal(d.Payload) == nil {
		if pwd, ok := s.Roles.SigningPassword(m.TransactionID, side); ok {
			return pwd
		}
	}
	return s.Roles.Peer(side).ICE.Pwd
}

// FromDTLSClient reports whether d was sent by the DTLS client's side.
func (s *Session) FromDTLSClient(d Datagram) bool {
	side, ok := s.Roles.Sender(d)
	if !ok || !s.Roles.DTLSClientKnown {
		return d.Src == s.DTLSClient
	}
	return side == s.Roles.DTLSClient
}

// SRTPKeys returns the SRTP master key and salt that protect d: the DTLS
// client's write keys when d comes from the DTLS client's side, else the
// server's (RFC 5764 §4.2).
func (s *Session) SRTPKeys(d Datagram) (key, salt []byte) {
	if s.FromDTLSClient(d) {
		return s.ClientKey, s.ClientSalt
	}
	return s.ServerKey, s.ServerSalt
}

// Files are the contents of a corpus folder (see doc.go for the layout).
// Meta and Truth are optional (nil when absent).
type Files struct {
	Offer, Answer []byte
	Exchanges     []Exchange // offer-2.sdp/answer-2.sdp, …
	Capture       []byte     // session.pcapng or session.pcap
	KeyLog        []byte
	Meta, Truth   []byte
}

// ReadFiles reads a corpus folder. session.pcapng is read, else
// session.pcap; meta.json and truth.json may be absent.
func ReadFiles(dir string) (Files, error) {
	name := filepath.Base(dir)
	var f Files
	for _, x := range []struct {
		file     string
		dst      *[]byte
		optional bool
	}{
		{"offer.sdp", &f.Offer, false}, {"answer.sdp", &f.Answer, false},
		{"keylog.txt", &f.KeyLog, false}, {"meta.json", &f.Meta, true}, {"truth.json", &f.Truth, true},
	} {
		b, err := os.ReadFile(filepath.Join(dir, x.file))
		if err != nil && !(x.optional && errors.Is(err, fs.ErrNotExist)) {
			return f, fmt.Errorf("conformance: %s: %w", name, err)
		}
		*x.dst = b
	}
	var err error
	if f.Exchanges, err = readExchanges(dir); err != nil {
		return f, fmt.Errorf("conformance: %s: %w", name, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "session.pcapng"))
	if errors.Is(err, fs.ErrNotExist) {
		b, err = os.ReadFile(filepath.Join(dir, "session.pcap"))
	}
	if err != nil {
		return f, fmt.Errorf("conformance: %s: %w", name, err)
	}
	f.Capture = b
	return f, nil
}

// Load reads a corpus folder: session.pcapng (or session.pcap), offer.sdp,
// answer.sdp, keylog.txt, and meta.json and truth.json when present. It
// derives the roles (DeriveRoles), the DTLS hellos and the SRTP keys. Each
// folder is loaded once per process; later calls return the same *Session
// (or error).
func Load(dir string) (*Session, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	return loadCached(abs)
}

func load(dir string) (*Session, error) {
	f, err := ReadFiles(dir)
	if err != nil {
		return nil, err
	}
	s, err := LoadFiles(filepath.Base(dir), f)
	if s != nil {
		s.Dir = dir
	}
	return s, err
}

// LoadFiles makes a Session from a folder's contents held in memory.
func LoadFiles(name string, f Files) (*Session, error) {
	s := &Session{Name: name, Offer: f.Offer, Answer: f.Answer, Exchanges: append([]Exchange(nil), f.Exchanges...)}
	var err error
	s.Datagrams, s.Capture, err = ParseCapture(f.Capture)
	if err != nil {
		return nil, fmt.Errorf("conformance: %s capture: %w", s.Name, err)
	}
	if f.Meta != nil {
		if err := json.Unmarshal(f.Meta, &s.Meta); err != nil {
			return nil, fmt.Errorf("conformance: %s/meta.json: %w", s.Name, err)
		}
	}
	if f.Truth != nil {
		if err := json.Unmarshal(f.Truth, &s.Truth); err != nil {
			return nil, fmt.Errorf("conformance: %s/truth.json: %w", s.Name, err)
		}
		s.HasTruth = true
	}
	if s.Hello, err = FindDTLSHello(s.Datagrams); err != nil {
		return nil, fmt.Errorf("conformance: %s: %w", s.Name, err)
	}
	if s.Roles, err = DeriveRolesExchanges(s.Datagrams, s.Offer, s.Answer, s.Exchanges, &s.Hello, s.Meta); err != nil {
		return nil, fmt.Errorf("conformance: %s: %w", s.Name, err)
	}
	b, v := s.Roles.BrowserPeer(), s.Roles.ServerPeer()
	if b.ICE.Ufrag == "" || b.ICE.Pwd == "" || v.ICE.Ufrag == "" || v.ICE.Pwd == "" {
		return nil, fmt.Errorf("conformance: %s: an SDP has no a=ice-ufrag/a=ice-pwd (RFC 8839 §5.4)", s.Name)
	}
	if b.Requests+v.Requests == 0 {
		return nil, fmt.Errorf("conformance: %s: no STUN Binding request with a USERNAME of the SDPs' ufrags in the capture", s.Name)
	}
	s.BrowserICE, s.ServerICE = b.ICE, v.ICE
	s.Browser, s.Server = b.MediaAddr, v.MediaAddr
	s.DTLSClient, s.SRTPProfile = s.Hello.Client, s.Hello.SRTPProfile
	s.keyLogFile = f.KeyLog
	if s.KeyLog, err = ParseKeyLog(f.KeyLog); err != nil {
		return nil, fmt.Errorf("conformance: %s/keylog.txt: %w", s.Name, err)
	}
	keys, err := DeriveSRTPKeys(s.Hello, s.KeyLog)
	if err != nil {
		return nil, fmt.Errorf("conformance: %s: %w", s.Name, err)
	}
	s.KeyingMaterial = keys.Material
	s.ClientKey, s.ServerKey, s.ClientSalt, s.ServerSalt = keys.ClientKey, keys.ServerKey, keys.ClientSalt, keys.ServerSalt
	return s, nil
}

// FindBrowser returns the browser's and server's addresses: the source and
// destination of the first STUN Binding request (RFC 8489 §5: message type
// 0x0001). An ICE-lite server never sends requests (RFC 8445 §2.5), so the
// first request comes from the full agent, the browser. That holds only
// against an ICE-lite peer; DeriveRoles works on any session.
func FindBrowser(datagrams []Datagram) (browser, server netip.AddrPort, err error) {
	for _, d := range datagrams {
		if demux.Classify(d.Payload) == demux.STUN && len(d.Payload) >= 20 && bytes.Equal(d.Payload[:2], []byte{0x00, 0x01}) {
			return d.Src, d.Dst, nil
		}
	}
	return netip.AddrPort{}, netip.AddrPort{}, errors.New("no STUN Binding request in the capture")
}

// WriteDir writes f as a corpus folder: offer.sdp, answer.sdp,
// keylog.txt, the capture as session.pcapng or session.pcap (by its magic),
// and meta.json and truth.json when present. dir must exist.
func (f Files) WriteDir(dir string) error {
	capName := "session.pcap"
	if len(f.Capture) >= 4 && binary.LittleEndian.Uint32(f.Capture) == pcapngSHBType {
		capName = "session.pcapng"
	}
	for _, x := range []struct {
		name string
		b    []byte
	}{{"offer.sdp", f.Offer}, {"answer.sdp", f.Answer}, {"keylog.txt", f.KeyLog}, {capName, f.Capture}, {"meta.json", f.Meta}, {"truth.json", f.Truth}} {
		if x.b == nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, x.name), x.b, 0o644); err != nil {
			return fmt.Errorf("conformance: %w", err)
		}
	}
	for _, x := range f.Exchanges {
		for _, y := range []struct {
			kind string
			b    []byte
		}{{"offer", x.Offer}, {"answer", x.Answer}} {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.sdp", y.kind, x.N)), y.b, 0o644); err != nil {
				return fmt.Errorf("conformance: %w", err)
			}
		}
	}
	return nil
}
