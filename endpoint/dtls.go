package endpoint

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/dtls/v3"

	"github.com/plainrtc/plainrtc/sfu/transport"
	"github.com/plainrtc/plainrtc/srtp"
)

// dtlsQueueLen is how many DTLS datagrams may wait for pion/dtls; a
// ClientHello that arrives before the handshake starts waits here.
const dtlsQueueLen = 64

// packetConn is the net.PacketConn pion/dtls runs over: the read loop
// pushes the peer's DTLS datagrams (RFC 7983: first byte 20..63), writes
// go to the selected pair's remote address (or, before selection, back
// to where the DTLS came from).
type packetConn struct {
	e         *Endpoint
	queue     chan datagram
	closed    chan struct{}
	closeOnce sync.Once
	lastFrom  atomic.Pointer[netip.AddrPort]

	dl transport.ReadDeadline
}

type datagram struct {
	b    []byte
	from netip.AddrPort
}

func newPacketConn(e *Endpoint) *packetConn {
	return &packetConn{e: e, queue: make(chan datagram, dtlsQueueLen), closed: make(chan struct{})}
}

func (c *packetConn) push(b []byte, from netip.AddrPort) bool {
	select {
	case c.queue <- datagram{b, from}:
		return true
	default:
		return false
	}
}

func (c *packetConn) ReadFrom(b []byte) (int, net.Addr, error) {
	d, err := transport.Await(&c.dl, c.queue, c.closed)
	if err != nil {
		return 0, nil, err
	}
	c.lastFrom.Store(&d.from)
	return copy(b, d.b), net.UDPAddrFromAddrPort(d.from), nil
}

func (c *packetConn) WriteTo(b []byte, _ net.Addr) (int, error) {
	select {
	case <-c.closed:
		return 0, net.ErrClosed
	default:
	}
	to := c.e.remote.Load()
	if to == nil {
		if to = c.lastFrom.Load(); to == nil {
			return 0, fmt.Errorf("endpoint: DTLS write before ICE selected a pair")
		}
	}
	if err := c.e.write(b, *to); err != nil {
		return 0, err
	}
	return len(b), nil
}

func (c *packetConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return nil
}

func (c *packetConn) LocalAddr() net.Addr { return net.UDPAddrFromAddrPort(c.e.laddr) }

func (c *packetConn) SetDeadline(t time.Time) error { return c.SetReadDeadline(t) }

func (c *packetConn) SetReadDeadline(t time.Time) error {
	c.dl.Set(t)
	return nil
}

func (c *packetConn) SetWriteDeadline(time.Time) error { return nil }

// handshakeDTLS runs DTLS 1.2 (RFC 6347) in the role a=setup gave us
// (RFC 8842 §5), checks the peer's certificate against its a=fingerprint
// (RFC 8122 §5, RFC 8827 §6.5) and exports the SRTP keys (RFC 5764 §4.2).
func (e *Endpoint) handshakeDTLS(ctx context.Context, role transport.Role, fps []transport.Fingerprint) (*dtls.Conn, *srtp.Context, *srtp.Context, error) {
	var verifyErr atomic.Pointer[error]
	cfg := &dtls.Config{
		Certificates: []tls.Certificate{e.cert.TLS()},
		SRTPProtectionProfiles: []dtls.SRTPProtectionProfile{
			dtls.SRTP_AEAD_AES_128_GCM, dtls.SRTP_AEAD_AES_256_GCM, dtls.SRTP_AES128_CM_HMAC_SHA1_80,
		},
		ExtendedMasterSecret: dtls.RequestExtendedMasterSecret,
		KeyLogWriter:         e.cfg.KeyLogWriter,
		// Self-signed certificates, authenticated by fingerprint only.
		InsecureSkipVerify: true,
		ClientAuth:         dtls.RequireAnyClientCert,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			err := fmt.Errorf("%w: the peer sent no certificate", transport.ErrFingerprintMismatch)
			if len(raw) > 0 {
				err = transport.VerifyFingerprint(raw[0], fps)
			}
			if err != nil {
				verifyErr.Store(&err)
			}
			return err
		},
	}
	var raddr net.Addr = &net.UDPAddr{}
	if r := e.remote.Load(); r != nil {
		raddr = net.UDPAddrFromAddrPort(*r)
	}
	var (
		conn *dtls.Conn
		err  error
	)
	if role == transport.RoleClient {
		conn, err = dtls.Client(e.dtlsIn, raddr, cfg)
	} else {
		conn, err = dtls.Server(e.dtlsIn, raddr, cfg)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if err := conn.HandshakeContext(ctx); err != nil {
		conn.Close()
		if v := verifyErr.Load(); v != nil {
			return nil, nil, nil, *v
		}
		return nil, nil, nil, err
	}
	prof, ok := conn.SelectedSRTPProtectionProfile()
	if !ok {
		conn.Close()
		return nil, nil, nil, fmt.Errorf("no use_srtp profile negotiated (RFC 5764 §4.1.2)")
	}
	p := srtp.Profile(prof)
	st, ok := conn.ConnectionState()
	if !ok {
		conn.Close()
		return nil, nil, nil, fmt.Errorf("no DTLS connection state")
	}
	km, err := st.ExportKeyingMaterial(transport.ExporterLabel, nil, 2*(p.KeyLen()+p.SaltLen()))
	if err != nil {
		conn.Close()
		return nil, nil, nil, fmt.Errorf("export %s (RFC 5764 §4.2): %w", transport.ExporterLabel, err)
	}
	local, remote, err := srtp.FromKeyingMaterial(p, km, role == transport.RoleClient)
	if err != nil {
		conn.Close()
		return nil, nil, nil, err
	}
	e.log.Info("DTLS established", "role", role.String(), "cipher", st.CipherSuiteID.String(), "srtp_profile", p.String())
	return conn, local, remote, nil
}
