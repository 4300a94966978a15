package stun

import (
	"crypto/md5"
	"crypto/sha256"
	"fmt"
)

// LongTermKey derives the long-term credential key, RFC 8489 §9.2.2:
//
//	MD5:     key = MD5(username ":" OpaqueString(realm) ":" OpaqueString(password))
//	SHA-256: key = SHA-256(username ":" OpaqueString(realm) ":" OpaqueString(password))
//
// The caller passes realm and password already OpaqueString-prepared
// (RFC 8265); this package does not implement PRECIS (see doc.go).
func LongTermKey(alg PasswordAlgorithm, username, realm, password string) ([]byte, error) {
	switch alg {
	case PasswordAlgorithmMD5:
		h := md5.New()
		writeCredentials(h, username, realm, password)
		return h.Sum(nil), nil
	case PasswordAlgorithmSHA256:
		h := sha256.New()
		writeCredentials(h, username, realm, password)
		return h.Sum(nil), nil
	}
	return nil, fmt.Errorf("stun: password algorithm %s, want MD5 or SHA-256 (RFC 8489 §18.5)", alg)
}

func writeCredentials(h interface{ Write([]byte) (int, error) }, username, realm, password string) {
	h.Write([]byte(username))
	h.Write([]byte{':'})
	h.Write([]byte(realm))
	h.Write([]byte{':'})
	h.Write([]byte(password))
}

// Userhash computes USERHASH = SHA-256(OpaqueString(username) ":"
// OpaqueString(realm)), RFC 8489 §14.4; inputs already prepared.
func Userhash(username, realm string) [32]byte {
	return sha256.Sum256([]byte(username + ":" + realm))
}
