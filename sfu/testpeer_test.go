package sfu

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/pion/dtls/v3"

	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu/transport"
	"github.com/plainrtc/plainrtc/srtp"
	"github.com/plainrtc/plainrtc/stun"
)

// testPeer plays a browser against a Server: it posts an offer, runs ICE
// as the controlling agent (checks with USE-CANDIDATE), and DTLS with
// pion/dtls in the role the answer leaves it, checking the SFU's
// certificate against the answer's a=fingerprint as a browser does.
type testPeer struct {
	t          *testing.T
	conn       *net.UDPConn
	server     netip.AddrPort
	ufrag, pwd string
	cert       *transport.Certificate
	answer     string
	location   string
	srvUfrag   string
	srvPwd     string
	srvFP      transport.Fingerprint
	setup      string // the answer's a=setup
	dtls       *dtls.Conn
	media      chan []byte
	local      *srtp.Context // protects what the peer sends
	remote     *srtp.Context // unprotects what the SFU sends
}

// peerOffer describes the test peer's offer.
type peerOffer struct {
	kind           string // KindWHIP (default) or KindWHEP
	setup          string // a=setup value; "" leaves the line out
	data           bool   // add a data channel section
	maxMessageSize string // a=max-message-size value; "" leaves it out
	opusRTPMap     string // default "opus/48000/2"
	iceOptions     string // a=ice-options value; "" leaves it out
	fingerprint    string // overrides the certificate's a=fingerprint
}

func (o peerOffer) sdp(ufrag, pwd, fp string) string {
	rtpmap := o.opusRTPMap
	if rtpmap == "" {
		rtpmap = "opus/48000/2"
	}
	dir := "a=sendonly"
	if o.kind == KindWHEP {
		dir = "a=recvonly"
	}
	mids := "0"
	if o.data {
		mids = "0 1"
	}
	lines := []string{"v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE " + mids}
	if o.iceOptions != "" {
		lines = append(lines, "a=ice-options:"+o.iceOptions)
	}
	transportLines := func() []string {
		l := []string{"c=IN IP4 0.0.0.0", "a=ice-ufrag:" + ufrag, "a=ice-pwd:" + pwd, "a=fingerprint:" + fp}
		if o.setup != "" {
			l = append(l, "a=setup:"+o.setup)
		}
		return l
	}
	lines = append(lines, "m=audio 9 UDP/TLS/RTP/SAVPF 111")
	lines = append(lines, transportLines()...)
	lines = append(lines, "a=mid:0", dir, "a=rtcp-mux", "a=rtpmap:111 "+rtpmap)
	if o.kind != KindWHEP {
		lines = append(lines, "a=ssrc:4242 cname:testpeer")
	}
	if o.data {
		lines = append(lines, "m=application 9 UDP/DTLS/SCTP webrtc-datachannel")
		lines = append(lines, transportLines()...)
		lines = append(lines, "a=mid:1", "a=sctp-port:5000")
		if o.maxMessageSize != "" {
			lines = append(lines, "a=max-message-size:"+o.maxMessageSize)
		}
	}
	return strings.Join(append(lines, ""), "\r\n")
}

// postPeerOffer posts o and returns the status and body.
func postPeerOffer(t *testing.T, baseURL, room string, o peerOffer, ufrag, pwd, fp string) (*http.Response, string) {
	t.Helper()
	kind := o.kind
	if kind == "" {
		kind = KindWHIP
	}
	resp, err := http.Post(baseURL+"/"+kind+"/"+room, "application/sdp", strings.NewReader(o.sdp(ufrag, pwd, fp)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

// newTestPeer posts o to s and checks that it is answered.
func newTestPeer(t *testing.T, s *Server, baseURL, room string, o peerOffer) *testPeer {
	t.Helper()
	cert, err := transport.GenerateCertificate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p := &testPeer{t: t, server: s.MediaAddr(), cert: cert, ufrag: "tpeer", pwd: "testpeerpasswordtestpeer"}
	var b [4]byte
	rand.Read(b[:])
	p.ufrag = fmt.Sprintf("tp%x", b)
	p.conn = p.listen()
	fp := cert.Fingerprint().String()
	if o.fingerprint != "" {
		fp = o.fingerprint
	}
	resp, body := postPeerOffer(t, baseURL, room, o, p.ufrag, p.pwd, fp)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST offer: %d %s", resp.StatusCode, body)
	}
	p.answer, p.location = body, resp.Header.Get("Location")
	ans, err := sdp.Parse([]byte(body))
	if err != nil {
		t.Fatalf("answer does not parse: %v\n%s", err, body)
	}
	var ok bool
	if p.srvUfrag, p.srvPwd, ok = ans.ICECredentials(); !ok {
		t.Fatalf("answer without ICE credentials:\n%s", body)
	}
	for f := range ans.Fingerprints(&ans.Media[0]) {
		if p.srvFP, err = transport.ParseFingerprint(f.Hash + " " + f.Value); err != nil {
			t.Fatal(err)
		}
	}
	setup, _ := ans.Setup(&ans.Media[0])
	p.setup = string(setup)
	return p
}

func (p *testPeer) listen() *net.UDPConn {
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(p.server.Addr(), 0)))
	if err != nil {
		p.t.Fatal(err)
	}
	p.t.Cleanup(func() { c.Close() })
	return c
}

// check sends a connectivity check from c (RFC 8445 §7.2.2) signed with
// pwd and waits for its success response.
func (p *testPeer) check(c *net.UDPConn, useCandidate bool, pwd string) error {
	var tid stun.TransactionID
	rand.Read(tid[:])
	var b stun.Builder
	b.Reset(make([]byte, 0, 256), stun.BindingRequest, tid)
	b.AddString(stun.AttrUsername, p.srvUfrag+":"+p.ufrag)
	b.AddPriority(1853824767)
	b.AddICEControlling(0x1122334455667788)
	if useCandidate {
		b.AddUseCandidate()
	}
	b.AddMessageIntegrity(stun.NewShortTermIntegrity(pwd))
	b.AddFingerprint()
	req, err := b.Bytes()
	if err != nil {
		return err
	}
	if _, err := c.WriteToUDPAddrPort(req, p.server); err != nil {
		return err
	}
	buf := make([]byte, 1500)
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	defer c.SetReadDeadline(time.Time{})
	for {
		n, _, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			return fmt.Errorf("no response to the check: %w", err)
		}
		var m stun.Message
		if n < 20 || buf[0] > 3 || m.Unmarshal(buf[:n]) != nil || m.TransactionID != tid {
			continue // DTLS (the SFU's ClientHello) or something else
		}
		if m.Type != stun.BindingSuccess {
			return fmt.Errorf("response %v, want a Binding success", m.Type)
		}
		return nil
	}
}

// connectICE nominates p.conn's address.
func (p *testPeer) connectICE() {
	p.t.Helper()
	if err := p.check(p.conn, true, p.srvPwd); err != nil {
		p.t.Fatal(err)
	}
}

// handshake runs DTLS over c in the role the answer left the peer
// (a=setup:active in the answer makes the peer the server) and derives
// the SRTP contexts.
func (p *testPeer) handshake(c *net.UDPConn, timeout time.Duration) error {
	cfg := &dtls.Config{
		Certificates:           []tls.Certificate{p.cert.TLS()},
		InsecureSkipVerify:     true,
		ClientAuth:             dtls.RequireAnyClientCert,
		ExtendedMasterSecret:   dtls.RequireExtendedMasterSecret,
		SRTPProtectionProfiles: []dtls.SRTPProtectionProfile{dtls.SRTP_AEAD_AES_128_GCM, dtls.SRTP_AES128_CM_HMAC_SHA1_80},
		// What a browser does (RFC 8827 §6.5): the SFU's certificate must
		// match its a=fingerprint.
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return errors.New("no certificate")
			}
			return transport.VerifyFingerprint(raw[0], []transport.Fingerprint{p.srvFP})
		},
	}
	p.media = make(chan []byte, 256)
	pc := dtlsOnly{c, p.media}
	var (
		conn *dtls.Conn
		err  error
	)
	isClient := p.setup == "passive"
	if isClient {
		conn, err = dtls.Client(pc, net.UDPAddrFromAddrPort(p.server), cfg)
	} else {
		conn, err = dtls.Server(pc, net.UDPAddrFromAddrPort(p.server), cfg)
	}
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := conn.HandshakeContext(ctx); err != nil {
		conn.Close()
		return err
	}
	p.t.Cleanup(func() { conn.Close() })
	p.dtls = conn
	prof, _ := conn.SelectedSRTPProtectionProfile()
	profile := srtp.Profile(prof)
	st, _ := conn.ConnectionState()
	km, err := st.ExportKeyingMaterial(transport.ExporterLabel, nil, 2*(profile.KeyLen()+profile.SaltLen()))
	if err != nil {
		return err
	}
	p.local, p.remote, err = srtp.FromKeyingMaterial(profile, km, isClient)
	return err
}

// dtlsOnly hands pion/dtls only the DTLS records (RFC 7983: first byte
// 20..63) of the peer's socket and passes SRTP/SRTCP (128..191) to media.
type dtlsOnly struct {
	*net.UDPConn
	media chan []byte
}

// Close leaves the socket open (the test's cleanup closes it): pion
// closes its conn when the SFU's close_notify arrives, and a test may
// still want to send from the address.
func (d dtlsOnly) Close() error { return nil }

func (d dtlsOnly) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		n, a, err := d.UDPConn.ReadFrom(b)
		if err != nil || (n > 0 && b[0] >= 20 && b[0] <= 63) {
			return n, a, err
		}
		if n > 0 && b[0] >= 128 && b[0] <= 191 {
			select {
			case d.media <- append([]byte(nil), b[:n]...):
			default:
			}
		}
	}
}

// waitDTLSDatagram reports whether a DTLS record reaches c within d.
func waitDTLSDatagram(c *net.UDPConn, d time.Duration) bool {
	buf := make([]byte, 1500)
	c.SetReadDeadline(time.Now().Add(d))
	defer c.SetReadDeadline(time.Time{})
	for {
		n, _, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			return false
		}
		if n > 0 && buf[0] >= 20 && buf[0] <= 63 {
			return true
		}
	}
}

// sessionEnd waits for the only session of s... to end and returns its
// reason (from the log).
func waitStat(t *testing.T, s *Server, key string, want func(uint64) bool, d time.Duration) uint64 {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		v := s.Stats()[key]
		if want(v) {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("Stats()[%q] = %d after %v", key, v, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
