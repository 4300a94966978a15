package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"sync/atomic"

	"github.com/pion/dtls/v3"
	"github.com/plainrtc/plainrtc/srtp"
)

// Role is the local DTLS role. The SDP answer's a=setup decides it
// (RFC 8842 §5, RFC 4145 §4): "active" is the DTLS client, "passive" the
// server.
type Role uint8

const (
	// RoleClient sends the ClientHello (a=setup:active).
	RoleClient Role = iota
	// RoleServer waits for it (a=setup:passive).
	RoleServer
)

func (r Role) String() string {
	if r == RoleClient {
		return "client"
	}
	return "server"
}

// offeredProfiles are the use_srtp profiles we offer (client) or accept
// (server), in preference order (RFC 5764 §4.1.1, RFC 7714 §14.2).
var offeredProfiles = []dtls.SRTPProtectionProfile{
	dtls.SRTP_AEAD_AES_128_GCM,
	dtls.SRTP_AEAD_AES_256_GCM,
	dtls.SRTP_AES128_CM_HMAC_SHA1_80,
}

// DTLSParams are what the SDP exchange decided for one peer.
type DTLSParams struct {
	Role Role
	// RemoteFingerprints are the peer's a=fingerprint values (RFC 8122 §5);
	// its certificate must match one of them.
	RemoteFingerprints []Fingerprint
	// Profiles restricts the use_srtp profiles offered (client) or accepted
	// (server), in preference order. nil means all three supported ones:
	// AEAD_AES_128_GCM, AEAD_AES_256_GCM, AES128_CM_HMAC_SHA1_80.
	Profiles []SRTPProfile
	// KeyLogWriter, when set, receives the session's master secret as an
	// NSS key log line (CLIENT_RANDOM <client_random> <master_secret>, hex)
	// once the handshake has it, so that a capture of the session can be
	// decrypted (rtcdump -keylog, Wireshark). It hands out the keys: set
	// it only for a session whose owner asked to record itself. nil (the
	// default) logs nothing.
	KeyLogWriter io.Writer
}

// Session is an established DTLS association: Conn carries SCTP for data
// channels (RFC 8261), Keys feed the SRTP contexts (RFC 5764 §4.2).
type Session struct {
	// Conn is the DTLS connection (a *dtls.Conn); closing it sends
	// close_notify. Peer.Close closes it too.
	Conn net.Conn
	Role Role
	Keys SRTPKeys
	// CipherSuite is the negotiated DTLS cipher suite, for logs.
	CipherSuite string
}

// SRTPContexts builds the two SRTP contexts of the session from its
// exported keys (RFC 5764 §4.2): local protects what we send, remote
// unprotects what the peer sends.
func (s *Session) SRTPContexts(opts ...srtp.Option) (local, remote *srtp.Context, err error) {
	return srtp.FromKeyingMaterial(s.Keys.Profile, s.Keys.KeyingMaterial, s.Role == RoleClient, opts...)
}

// Handshake runs DTLS 1.2 with pion/dtls over the peer's share of the
// socket, in the given role, and checks the peer's certificate against its
// SDP fingerprints (RFC 8827 §6.5). The peer must have a bound address
// (ICE connected) for the first flight to go anywhere; DTLS datagrams that
// arrived before Handshake was called are queued. ctx bounds the handshake.
// On failure the reason is logged and counted (DropFingerprint or
// DropHandshake) and the returned error wraps ErrFingerprintMismatch when
// that was the cause.
func (p *Peer) Handshake(ctx context.Context, params DTLSParams) (*Session, error) {
	m := p.mux
	log := m.log.With("ufrag", p.ufrag, "role", params.Role.String())
	var verified verifyResult
	profiles := offeredProfiles
	if params.Profiles != nil {
		profiles = make([]dtls.SRTPProtectionProfile, len(params.Profiles))
		for i, p := range params.Profiles {
			if !negotiable(p) {
				return nil, fmt.Errorf("transport: SRTP profile %s not supported (RFC 5764 §4.1.2)", p)
			}
			profiles[i] = dtls.SRTPProtectionProfile(p)
		}
	}
	cfg := &dtls.Config{
		Certificates:           []tls.Certificate{m.cert.tls},
		SRTPProtectionProfiles: profiles,
		ExtendedMasterSecret:   dtls.RequestExtendedMasterSecret,
		KeyLogWriter:           params.KeyLogWriter,
		// RFC 8827 §6.5: certificates are self-signed and authenticated by
		// the fingerprint alone, so chain verification is off and the
		// client must present one.
		InsecureSkipVerify: true,
		ClientAuth:         dtls.RequireAnyClientCert,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			err := fmt.Errorf("%w: the peer sent no certificate", ErrFingerprintMismatch)
			if len(raw) > 0 {
				err = VerifyFingerprint(raw[0], params.RemoteFingerprints)
			}
			verified.store(err)
			return err
		},
	}
	remote := p.remoteNetAddr()
	var (
		conn *dtls.Conn
		err  error
	)
	if params.Role == RoleClient {
		conn, err = dtls.Client(p.conn, remote, cfg)
	} else {
		conn, err = dtls.Server(p.conn, remote, cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("transport: DTLS %s setup: %w", params.Role, err)
	}
	if !p.setDTLS(conn) {
		_ = conn.Close()
		return nil, ErrPeerClosed
	}
	if err := conn.HandshakeContext(ctx); err != nil {
		_ = conn.Close()
		if errors.Is(ctx.Err(), context.Canceled) || p.closing() {
			// The caller ended the session (DELETE, server closing):
			// the end, not a failure.
			return nil, fmt.Errorf("transport: DTLS handshake with %s abandoned: %w", p.ufrag, ErrPeerClosed)
		}
		if _, bound := p.RemoteAddr(); !bound && ctx.Err() != nil {
			// Not a DTLS failure: ICE never authenticated an address
			// the handshake could have used.
			return nil, fmt.Errorf("transport: DTLS handshake with %s never began, ICE authenticated no address: %w", p.ufrag, ErrNoRemoteAddress)
		}
		if verifyErr := verified.load(); verifyErr != nil || errors.Is(err, ErrFingerprintMismatch) {
			if verifyErr == nil {
				verifyErr = err
			}
			if n := m.Counters.drop(DropFingerprint); n != 0 {
				logDrop(log, DropFingerprint, n, "DTLS handshake refused", "err", verifyErr)
			}
			return nil, fmt.Errorf("transport: DTLS handshake with %s: %w", p.ufrag, verifyErr)
		}
		if n := m.Counters.drop(DropHandshake); n != 0 {
			logDrop(log, DropHandshake, n, "DTLS handshake failed", "err", err)
		}
		return nil, fmt.Errorf("transport: DTLS handshake with %s: %w", p.ufrag, err)
	}
	keys, err := exportSRTPKeys(conn, params.Role)
	if err != nil {
		_ = conn.Close()
		if n := m.Counters.drop(DropHandshake); n != 0 {
			logDrop(log, DropHandshake, n, "DTLS-SRTP key export failed", "err", err)
		}
		return nil, err
	}
	suite := ""
	if st, ok := conn.ConnectionState(); ok {
		suite = st.CipherSuiteID.String()
	}
	m.Counters.Handshakes.Add(1)
	log.Info("DTLS handshake complete", "profile", keys.Profile.String(), "cipher", suite)
	return &Session{Conn: conn, Role: params.Role, Keys: keys, CipherSuite: suite}, nil
}

// exportSRTPKeys reads the negotiated profile (RFC 5764 §4.1.2) and exports
// the keying material with the label EXTRACTOR-dtls_srtp (RFC 5764 §4.2,
// RFC 5705 §4, no context).
func exportSRTPKeys(conn *dtls.Conn, role Role) (SRTPKeys, error) {
	prof, ok := conn.SelectedSRTPProtectionProfile()
	if !ok {
		return SRTPKeys{}, fmt.Errorf("transport: DTLS handshake negotiated no use_srtp profile (RFC 5764 §4.1.2)")
	}
	p := SRTPProfile(prof)
	if !negotiable(p) {
		return SRTPKeys{}, fmt.Errorf("transport: DTLS negotiated SRTP profile 0x%04x we did not offer (RFC 5764 §4.1.2)", uint16(prof))
	}
	state, ok := conn.ConnectionState()
	if !ok {
		return SRTPKeys{}, fmt.Errorf("transport: DTLS connection state unavailable")
	}
	km, err := state.ExportKeyingMaterial(ExporterLabel, nil, 2*(p.KeyLen()+p.SaltLen()))
	if err != nil {
		return SRTPKeys{}, fmt.Errorf("transport: export %s (RFC 5764 §4.2): %w", ExporterLabel, err)
	}
	return SplitKeyingMaterial(p, km, role)
}

// verifyResult carries the fingerprint check's error out of pion's
// handshake goroutine.
type verifyResult struct{ v atomic.Pointer[error] }

func (r *verifyResult) store(err error) {
	if err != nil {
		r.v.Store(&err)
	}
}

func (r *verifyResult) load() error {
	if p := r.v.Load(); p != nil {
		return *p
	}
	return nil
}
