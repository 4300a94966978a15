package transport

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"time"
)

// Certificate is the server's DTLS identity: a self-signed ECDSA P-256
// certificate (RFC 8827 §6.5 leaves the choice to the endpoint; browsers
// accept ECDSA P-256) and its SHA-256 fingerprint for a=fingerprint
// (RFC 8122 §5).
type Certificate struct {
	tls         tls.Certificate
	fingerprint Fingerprint
}

// GenerateCertificate creates a fresh self-signed certificate valid for 30
// days from now. The subject is random: WebRTC identifies certificates by
// fingerprint only (RFC 8827 §6.5).
func GenerateCertificate(now time.Time) (*Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("transport: generate P-256 key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, fmt.Errorf("transport: certificate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "plainrtc-" + serial.Text(36)},
		NotBefore:    now.Add(-24 * time.Hour),
		NotAfter:     now.Add(30 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("transport: self-sign certificate: %w", err)
	}
	return NewCertificate(tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key})
}

// NewCertificate wraps an existing certificate (for example one persisted
// across restarts so that signalled fingerprints stay valid).
func NewCertificate(c tls.Certificate) (*Certificate, error) {
	if len(c.Certificate) == 0 {
		return nil, fmt.Errorf("transport: certificate chain is empty")
	}
	sum := sha256.Sum256(c.Certificate[0])
	return &Certificate{tls: c, fingerprint: Fingerprint{Hash: HashSHA256, Value: sum[:]}}, nil
}

// Fingerprint is the SHA-256 fingerprint of the certificate, for the SDP
// a=fingerprint attribute (RFC 8122 §5).
func (c *Certificate) Fingerprint() Fingerprint { return c.fingerprint }

// TLS returns the certificate and key in crypto/tls form.
func (c *Certificate) TLS() tls.Certificate { return c.tls }
