package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"

	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/sdp"
)

// ICECredentials are one side's a=ice-ufrag and a=ice-pwd (RFC 8839 §5.4).
type ICECredentials struct{ Ufrag, Pwd string }

// Session is one captured browser session of the corpus, with everything
// derived from it that the packet-level tests need. A Session returned by
// Load is shared between tests: treat it as read-only.
type Session struct {
	Name, Dir             string         // folder name and path
	Datagrams             []Datagram     // every UDP datagram, in capture order
	Offer, Answer         []byte         // SDPs exactly as in the folder
	BrowserICE, ServerICE ICECredentials // offer side = browser, answer side = server
	Browser, Server       netip.AddrPort // the browser's and the server's transport address
	DTLSClient            netip.AddrPort // address of the DTLS client (the server in the seeds)
	// SRTPProfile is the use_srtp profile id from the ServerHello (RFC 5764
	// §4.1.2): 0x0001 AES128_CM_SHA1_80, 0x0002 _32, 0x0007
	// AEAD_AES_128_GCM, 0x0008 AEAD_AES_256_GCM.
	SRTPProfile    uint16
	KeyingMaterial []byte // RFC 5764 §4.2 exporter output (EXTRACTOR-dtls_srtp)
	// Master keys and salts split per RFC 5764 §4.2 for the profile.
	ClientKey, ClientSalt, ServerKey, ServerSalt []byte
	Meta                                         map[string]any // meta.json
	Truth                                        Truth          // truth.json (counts etc.)

	// Hello is what the DTLS hellos said (randoms, cipher suite, frames).
	Hello DTLSHello
	// Capture is what the capture reader skipped and counted.
	Capture CaptureStats
	// KeyLog is the folder's keylog.txt.
	KeyLog *KeyLog
}

// FromBrowser reports whether d was sent by the browser. A browser may
// check several of its candidates (the seeds have a second loopback
// candidate), so anything sent to the server counts as the browser's.
func (s *Session) FromBrowser(d Datagram) bool { return d.Src == s.Browser || d.Dst == s.Server }

// FromServer reports whether d was sent by the server.
func (s *Session) FromServer(d Datagram) bool { return d.Src == s.Server }

// STUNPassword returns the ice-pwd that signs a STUN message in d (RFC 8445
// §7.2.2, §7.3): a request is signed with the receiver's password, a
// response with the sender's, i.e. the password of the agent that received
// the request.
func (s *Session) STUNPassword(d Datagram, isRequest bool) string {
	owner := d.Src // response: the sender answered with its own password
	if isRequest {
		owner = d.Dst
	}
	if owner == s.Server {
		return s.ServerICE.Pwd
	}
	return s.BrowserICE.Pwd
}

// SRTPKeys returns the SRTP master key and salt that protect d: the DTLS
// client's write keys when d comes from the DTLS client, else the server's
// (RFC 5764 §4.2).
func (s *Session) SRTPKeys(d Datagram) (key, salt []byte) {
	fromClient := d.Src == s.DTLSClient
	if s.DTLSClient != s.Server { // the browser is the client, maybe from several addresses
		fromClient = !s.FromServer(d)
	}
	if fromClient {
		return s.ClientKey, s.ClientSalt
	}
	return s.ServerKey, s.ServerSalt
}

// Load reads a corpus folder: session.pcapng, offer.sdp, answer.sdp,
// keylog.txt, meta.json and truth.json. It finds the browser (the sender of
// the first STUN Binding request, since an ICE-lite server never sends
// one), the DTLS client (the ClientHello's source) and derives the SRTP keys.
// Each folder is loaded once per process; later calls return the same
// *Session (or error).
func Load(dir string) (*Session, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	return loadCached(abs)
}

func load(dir string) (*Session, error) {
	s := &Session{Name: filepath.Base(dir), Dir: dir}
	read := func(name string) ([]byte, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("conformance: %s: %w", s.Name, err)
		}
		return b, nil
	}
	pcap, err := read("session.pcapng")
	if err != nil {
		return nil, err
	}
	s.Datagrams, s.Capture, err = ParseCapture(pcap)
	if err != nil {
		return nil, fmt.Errorf("conformance: %s/session.pcapng: %w", s.Name, err)
	}
	if s.Offer, err = read("offer.sdp"); err != nil {
		return nil, err
	}
	if s.Answer, err = read("answer.sdp"); err != nil {
		return nil, err
	}
	if s.BrowserICE, err = iceCredentials(s.Offer); err != nil {
		return nil, fmt.Errorf("conformance: %s/offer.sdp: %w", s.Name, err)
	}
	if s.ServerICE, err = iceCredentials(s.Answer); err != nil {
		return nil, fmt.Errorf("conformance: %s/answer.sdp: %w", s.Name, err)
	}
	for _, f := range []struct {
		name string
		v    any
	}{{"meta.json", &s.Meta}, {"truth.json", &s.Truth}} {
		b, err := read(f.name)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, f.v); err != nil {
			return nil, fmt.Errorf("conformance: %s/%s: %w", s.Name, f.name, err)
		}
	}
	if s.Browser, s.Server, err = FindBrowser(s.Datagrams); err != nil {
		return nil, fmt.Errorf("conformance: %s: %w", s.Name, err)
	}
	if s.Hello, err = FindDTLSHello(s.Datagrams); err != nil {
		return nil, fmt.Errorf("conformance: %s: %w", s.Name, err)
	}
	s.DTLSClient, s.SRTPProfile = s.Hello.Client, s.Hello.SRTPProfile
	kl, err := read("keylog.txt")
	if err != nil {
		return nil, err
	}
	if s.KeyLog, err = ParseKeyLog(kl); err != nil {
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

// iceCredentials reads the ICE ufrag and password of an SDP (RFC 8839 §5.4).
func iceCredentials(b []byte) (ICECredentials, error) {
	sess, err := sdp.Parse(b)
	if err != nil {
		return ICECredentials{}, err
	}
	u, p, ok := sess.ICECredentials()
	if !ok {
		return ICECredentials{}, errors.New("no a=ice-ufrag/a=ice-pwd (RFC 8839 §5.4)")
	}
	return ICECredentials{Ufrag: u, Pwd: p}, nil
}

// FindBrowser returns the browser's and server's addresses: the source and
// destination of the first STUN Binding request (RFC 8489 §5: message type
// 0x0001). An ICE-lite server never sends requests (RFC 8445 §2.5), so the
// first request comes from the full agent, the browser.
func FindBrowser(datagrams []Datagram) (browser, server netip.AddrPort, err error) {
	for _, d := range datagrams {
		if demux.Classify(d.Payload) == demux.STUN && len(d.Payload) >= 20 && bytes.Equal(d.Payload[:2], []byte{0x00, 0x01}) {
			return d.Src, d.Dst, nil
		}
	}
	return netip.AddrPort{}, netip.AddrPort{}, errors.New("no STUN Binding request in the capture")
}
