package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Every flag can come from the environment; the command line wins.
func TestOptionsFromEnvironment(t *testing.T) {
	t.Setenv("PLAINRTC_MAX_ROOMS", "7")
	t.Setenv("PLAINRTC_ADVERTISE", "192.0.2.1, 2001:db8::1")
	t.Setenv("PLAINRTC_UDP", "4000")
	o, err := parseOptions([]string{"-udp", "5000"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.maxRooms != 7 || o.udp != 5000 || len(o.advertise) != 2 || o.advertise[1].String() != "2001:db8::1" {
		t.Fatalf("options %+v", o)
	}
	for _, bad := range [][]string{{"-tls-cert", "c.pem"}, {"-max-tracks", "0"}, {"-advertise", "nope"}, {"-udp", "x"}} {
		if _, err := parseOptions(bad, io.Discard); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// With -tls-cert and -tls-key the demo serves HTTPS and prints an https URL.
func TestRunServesTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)

	url, out, stop := startRun(t, "-http", "127.0.0.1:0", "-udp", "0", "-tls-cert", certFile, "-tls-key", keyFile)
	defer stop()
	if !strings.HasPrefix(url, "https://") {
		t.Fatalf("printed %s, want an https URL", url)
	}
	if !strings.Contains(out.String(), "Firefox and other machines need") {
		t.Errorf("no hint for a loopback-bound server: %q", out.String())
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := c.Get(url + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil {
		t.Fatalf("healthz over TLS: %d", resp.StatusCode)
	}
}

// -inspector (or PLAINRTC_INSPECTOR=1) turns the SFU's inspector on: its
// endpoints then answer "no such participant" instead of "off".
func TestInspectorFlag(t *testing.T) {
	t.Setenv("PLAINRTC_INSPECTOR", "1")
	if o, err := parseOptions(nil, io.Discard); err != nil || !o.inspector {
		t.Fatalf("PLAINRTC_INSPECTOR=1: %+v %v", o, err)
	}
	if o, err := parseOptions([]string{"-inspector=false"}, io.Discard); err != nil || o.inspector {
		t.Fatalf("-inspector=false over the environment: %+v %v", o, err)
	}
	t.Setenv("PLAINRTC_INSPECTOR", "maybe")
	if _, err := parseOptions(nil, io.Discard); err == nil {
		t.Error("PLAINRTC_INSPECTOR=maybe accepted")
	}
	t.Setenv("PLAINRTC_INSPECTOR", "0")
	for _, on := range []bool{false, true} {
		args := []string{"-http", "127.0.0.1:0", "-udp", "0"}
		if on {
			args = append(args, "-inspector")
		}
		url, _, stop := startRun(t, args...)
		resp, err := http.Get(url + "api/rooms/r/participants/p/inspect?token=x")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		off := strings.Contains(string(body), "inspector is off")
		if resp.StatusCode != http.StatusNotFound || off == on {
			t.Errorf("-inspector %v: %d %s", on, resp.StatusCode, body)
		}
		stop()
	}
}
