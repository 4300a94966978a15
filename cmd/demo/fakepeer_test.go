package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/pion/dtls/v3"

	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu/transport"
	"github.com/plainrtc/plainrtc/srtp"
	"github.com/plainrtc/plainrtc/stun"
)

// fakePeer is a scripted WebRTC client written from the protocol packages
// and pion/dtls: it publishes one Opus stream with WHIP, answers nothing,
// and lets a test send well-formed and malformed SRTP from an address the
// SFU has authenticated.
type fakePeer struct {
	conn        *net.UDPConn
	server      netip.AddrPort
	ufrag, pwd  string
	srvUfrag    string
	srvPwd      string
	dtls        *dtls.Conn
	srtp        *srtp.Context
	ssrc        uint32
	seq         uint16
	certificate *transport.Certificate
	media       chan []byte // SRTP/SRTCP the SFU sent, passed on by dtlsOnly
}

func newFakePeer(t *testing.T, baseURL, room string, server netip.AddrPort) *fakePeer {
	t.Helper()
	cert, err := transport.GenerateCertificate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(server.Addr(), 0)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	f := &fakePeer{conn: conn, server: server, ufrag: "fake", pwd: "fakepasswordfakepassword", ssrc: 4242, certificate: cert}
	offer := strings.Join([]string{
		"v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
		"m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0",
		"a=ice-ufrag:" + f.ufrag, "a=ice-pwd:" + f.pwd,
		"a=fingerprint:" + cert.Fingerprint().String(), "a=setup:active",
		"a=sendonly", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
		fmt.Sprintf("a=ssrc:%d cname:fake", f.ssrc), "",
	}, "\r\n")
	resp, err := http.Post(baseURL+"/whip/"+room, "application/sdp", strings.NewReader(offer))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("fake peer WHIP: %d %s", resp.StatusCode, body)
	}
	ans, err := sdp.Parse(body)
	if err != nil {
		t.Fatalf("answer does not parse: %v\n%s", err, body)
	}
	var ok bool
	if f.srvUfrag, f.srvPwd, ok = ans.ICECredentials(); !ok {
		t.Fatalf("answer without ICE credentials:\n%s", body)
	}
	if !strings.Contains(string(body), "a=setup:passive") {
		t.Fatalf("answer to an active offer is not passive:\n%s", body)
	}
	return f
}

// bindingRequest builds a connectivity check (RFC 8445 §7.2.2) with the
// given USERNAME, signed with pwd.
func bindingRequest(username, pwd string, useCandidate bool) []byte {
	var tid stun.TransactionID
	rand.Read(tid[:])
	var b stun.Builder
	b.Reset(make([]byte, 0, 256), stun.BindingRequest, tid)
	b.AddString(stun.AttrUsername, username)
	b.AddPriority(1853824767)
	b.AddICEControlling(0x1122334455667788)
	if useCandidate {
		b.AddUseCandidate()
	}
	b.AddMessageIntegrity(stun.NewShortTermIntegrity(pwd))
	b.AddFingerprint()
	out, err := b.Bytes()
	if err != nil {
		panic(err)
	}
	return out
}

// connect runs ICE (one nominating check) and DTLS as the client, and
// derives the SRTP context.
func (f *fakePeer) connect(t *testing.T) {
	t.Helper()
	req := bindingRequest(f.srvUfrag+":"+f.ufrag, f.srvPwd, true)
	if _, err := f.conn.WriteToUDPAddrPort(req, f.server); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1500)
	f.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, _, err := f.conn.ReadFromUDPAddrPort(buf)
	if err != nil || n < 20 || buf[0] > 3 {
		t.Fatalf("no STUN response to the fake peer's check: %v", err)
	}
	var m stun.Message
	if err := m.Unmarshal(buf[:n]); err != nil || m.Type != stun.BindingSuccess {
		t.Fatalf("response %v type %v, want a Binding success", err, m.Type)
	}
	f.conn.SetReadDeadline(time.Time{})
	cfg := &dtls.Config{
		Certificates:           []tls.Certificate{f.certificate.TLS()},
		InsecureSkipVerify:     true, // WebRTC checks the fingerprint instead; not needed for this test
		SRTPProtectionProfiles: []dtls.SRTPProtectionProfile{dtls.SRTP_AES128_CM_HMAC_SHA1_80},
	}
	f.media = make(chan []byte, 64)
	dc, err := dtls.Client(dtlsOnly{f.conn, f.media}, net.UDPAddrFromAddrPort(f.server), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := dc.HandshakeContext(ctx); err != nil {
		t.Fatalf("fake peer DTLS handshake: %v", err)
	}
	t.Cleanup(func() { dc.Close() })
	f.dtls = dc
	st, ok := dc.ConnectionState()
	if !ok {
		t.Fatal("no DTLS state")
	}
	km, err := st.ExportKeyingMaterial("EXTRACTOR-dtls_srtp", nil, 2*(16+14))
	if err != nil {
		t.Fatal(err)
	}
	local, _, err := srtp.FromKeyingMaterial(srtp.ProfileAES128CMHMACSHA1_80, km, true)
	if err != nil {
		t.Fatal(err)
	}
	f.srtp = local
	// The SFU installs its SRTP keys when its side of the handshake ends,
	// which may be after ours; its first SRTCP report (it sends receiver
	// reports to publishers) shows that it has them.
	select {
	case <-f.media:
	case <-time.After(10 * time.Second):
		t.Fatal("no SRTCP from the SFU within 10 s of the DTLS handshake")
	}
}

// nextRTP returns the next Opus packet of the fake stream, protected.
func (f *fakePeer) nextRTP(t *testing.T) []byte {
	t.Helper()
	f.seq++
	h := rtp.Header{Version: 2, PayloadType: 111, SequenceNumber: f.seq, Timestamp: uint32(f.seq) * 960, SSRC: f.ssrc}
	pkt, err := h.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	pkt = append(pkt, 0xfc, 0xff, 0xfe)
	out, err := f.srtp.EncryptRTP(nil, pkt)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *fakePeer) send(t *testing.T, b []byte) {
	t.Helper()
	if _, err := f.conn.WriteToUDPAddrPort(b, f.server); err != nil {
		t.Fatal(err)
	}
}

// dtlsOnly hands pion/dtls only the DTLS records (RFC 7983: first byte
// 20..63) of the shared socket, and passes SRTP/SRTCP (128..191) to media
// when there is room.
type dtlsOnly struct {
	*net.UDPConn
	media chan []byte
}

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
