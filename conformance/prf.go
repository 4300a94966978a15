package conformance

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
)

// PRF is the TLS 1.2 pseudorandom function (RFC 5246 §5):
//
//	PRF(secret, label, seed) = P_hash(secret, label + seed)
//	P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) + HMAC_hash(secret, A(2) + seed) + ...
//	A(0) = seed, A(i) = HMAC_hash(secret, A(i-1))
//
// It fills out. newHash is the cipher suite's PRF hash (see CipherSuiteHash).
func PRF(newHash func() hash.Hash, secret []byte, label string, seed []byte, out []byte) {
	labelSeed := make([]byte, 0, len(label)+len(seed))
	labelSeed = append(append(labelSeed, label...), seed...)
	mac := hmac.New(newHash, secret)
	mac.Write(labelSeed)
	a := mac.Sum(nil) // A(1)
	for len(out) > 0 {
		mac.Reset()
		mac.Write(a)
		mac.Write(labelSeed)
		out = out[copy(out, mac.Sum(nil)):]
		mac.Reset()
		mac.Write(a)
		a = mac.Sum(a[:0]) // A(i+1)
	}
}

// ExportKeyingMaterial is the RFC 5705 §4 exporter without a context value:
// PRF(master_secret, label, client_random + server_random), length bytes.
func ExportKeyingMaterial(newHash func() hash.Hash, masterSecret []byte, label string, clientRandom, serverRandom [32]byte, length int) []byte {
	seed := make([]byte, 0, 64)
	seed = append(append(seed, clientRandom[:]...), serverRandom[:]...)
	out := make([]byte, length)
	PRF(newHash, masterSecret, label, seed, out)
	return out
}

// CipherSuiteHash returns the PRF hash of a TLS 1.2 cipher suite: SHA-384
// for the suites whose names end in _SHA384, SHA-256 for every other suite
// (RFC 5246 §5: "New cipher suites MUST explicitly specify a PRF and, in
// general, SHOULD use the TLS PRF with SHA-256 or a stronger standard hash").
func CipherSuiteHash(suite uint16) func() hash.Hash {
	if sha384Suites[suite] {
		return sha512.New384
	}
	return sha256.New
}

// sha384Suites lists the TLS 1.2 cipher suites of the IANA TLS Cipher Suites
// registry whose PRF hash is SHA-384 (names ending in _SHA384).
var sha384Suites = map[uint16]bool{
	0x009d: true, // TLS_RSA_WITH_AES_256_GCM_SHA384 (RFC 5288)
	0x009f: true, // TLS_DHE_RSA_WITH_AES_256_GCM_SHA384
	0x00a1: true, // TLS_DH_RSA_WITH_AES_256_GCM_SHA384
	0x00a3: true, // TLS_DHE_DSS_WITH_AES_256_GCM_SHA384
	0x00a5: true, // TLS_DH_DSS_WITH_AES_256_GCM_SHA384
	0x00a7: true, // TLS_DH_anon_WITH_AES_256_GCM_SHA384
	0x00a9: true, // TLS_PSK_WITH_AES_256_GCM_SHA384 (RFC 5487)
	0x00ab: true, // TLS_DHE_PSK_WITH_AES_256_GCM_SHA384
	0x00ad: true, // TLS_RSA_PSK_WITH_AES_256_GCM_SHA384
	0x00af: true, // TLS_PSK_WITH_AES_256_CBC_SHA384
	0x00b1: true, // TLS_PSK_WITH_NULL_SHA384
	0x00b3: true, // TLS_DHE_PSK_WITH_AES_256_CBC_SHA384
	0x00b5: true, // TLS_DHE_PSK_WITH_NULL_SHA384
	0x00b7: true, // TLS_RSA_PSK_WITH_AES_256_CBC_SHA384
	0x00b9: true, // TLS_RSA_PSK_WITH_NULL_SHA384
	0xc024: true, // TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 (RFC 5289)
	0xc026: true, // TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384
	0xc028: true, // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384
	0xc02a: true, // TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384
	0xc02c: true, // TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
	0xc02e: true, // TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384
	0xc030: true, // TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
	0xc032: true, // TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384
	0xc038: true, // TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384 (RFC 5489)
	0xc03b: true, // TLS_ECDHE_PSK_WITH_NULL_SHA384
	0xd002: true, // TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384 (RFC 8442)
}
