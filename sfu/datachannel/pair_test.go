package datachannel

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/pion/dtls/v3"
	"github.com/pion/dtls/v3/pkg/crypto/selfsign"
	"github.com/pion/sctp"
)

// dtlsPair returns a connected DTLS client and server over loopback UDP.
func dtlsPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ca, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	cb, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := func() *dtls.Config {
		cert, err := selfsign.GenerateSelfSigned()
		if err != nil {
			t.Fatal(err)
		}
		return &dtls.Config{Certificates: []tls.Certificate{cert}, InsecureSkipVerify: true}
	}
	dc, err := dtls.Client(ca, cb.LocalAddr(), cfg())
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dtls.Server(cb, ca.LocalAddr(), cfg())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- ds.HandshakeContext(ctx) }()
	if err := dc.HandshakeContext(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dc.Close(); _ = ds.Close(); _ = ca.Close(); _ = cb.Close() })
	return dc, ds
}

func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }

// associationPair runs our Association on both ends of a DTLS pair.
func associationPair(t *testing.T) (client, server *Association) {
	t.Helper()
	dc, ds := dtlsPair(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	type res struct {
		a   *Association
		err error
	}
	rc := make(chan res, 1)
	go func() {
		a, err := NewAssociation(ctx, ds, Config{Role: RoleServer, Logger: testLogger(t)})
		rc <- res{a, err}
	}()
	c, err := NewAssociation(ctx, dc, Config{Role: RoleClient, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	r := <-rc
	if r.err != nil {
		t.Fatal(r.err)
	}
	t.Cleanup(func() { _ = c.Close(); _ = r.a.Close() })
	return c, r.a
}

// rawPair runs our Association (DTLS server role) against a bare pion/sctp
// association on the client side, to send what a well-behaved peer would not.
func rawPair(t *testing.T) (raw *sctp.Association, ours *Association) {
	t.Helper()
	return rawPairConfig(t, Config{OpenTimeout: time.Second})
}

// rawPairConfig is rawPair with our side configured by cfg (Role and
// Logger are set here).
func rawPairConfig(t *testing.T, cfg Config) (raw *sctp.Association, ours *Association) {
	t.Helper()
	cfg.Role, cfg.Logger = RoleServer, testLogger(t)
	dc, ds := dtlsPair(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	type res struct {
		a   *Association
		err error
	}
	rc := make(chan res, 1)
	go func() {
		a, err := NewAssociation(ctx, ds, cfg)
		rc <- res{a, err}
	}()
	raw, err := sctp.ClientContext(ctx, sctp.Config{NetConn: dc})
	if err != nil {
		t.Fatal(err)
	}
	r := <-rc
	if r.err != nil {
		t.Fatal(r.err)
	}
	t.Cleanup(func() { _ = raw.Close(); _ = r.a.Close() })
	return raw, r.a
}
