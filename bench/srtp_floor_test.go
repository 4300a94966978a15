package bench

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/binary"
	"hash"

	"github.com/plainrtc/plainrtc/srtp"
)

// floor is SRTP with nothing around the cryptography: the session keys
// derived once, then per packet only what RFC 3711 §3.3 / RFC 7714 §7
// require of the standard library's primitives (AES-CTR keystream via
// cipher.NewCTR + HMAC-SHA1 tag, or one AES-GCM Seal/Open). No ROC
// estimation, no replay window, no header parsing (the header length is
// given), ROC fixed at 0. It is the lower bound the issue measures SRTP
// against, and TestSRTPAgreesWithPion checks that it produces the same
// packets as both implementations.
type floor struct {
	aead  bool
	block cipher.Block
	gcm   cipher.AEAD
	mac   hash.Hash
	salt  []byte
	iv    [16]byte
	tag   []byte
}

func newFloor(p srtp.Profile, masterKey, masterSalt []byte) *floor {
	must := func(b []byte, err error) []byte {
		if err != nil {
			panic(err)
		}
		return b
	}
	f := &floor{aead: p.IsAEAD(), tag: make([]byte, 0, sha1.Size)}
	key := must(srtp.DeriveSessionKey(masterKey, masterSalt, 0, 0, 0, p.KeyLen()))
	f.salt = must(srtp.DeriveSessionKey(masterKey, masterSalt, 2, 0, 0, p.SaltLen()))
	var err error
	if f.block, err = aes.NewCipher(key); err != nil {
		panic(err)
	}
	if f.aead {
		if f.gcm, err = cipher.NewGCM(f.block); err != nil {
			panic(err)
		}
		return f
	}
	f.mac = hmac.New(sha1.New, must(srtp.DeriveSessionKey(masterKey, masterSalt, 1, 0, 0, 20)))
	return f
}

// setIV writes the counter-mode IV of RFC 3711 §4.1.1 (salt ^ SSRC<<64 ^
// index<<16) or the GCM IV of RFC 7714 §8.1 (salt ^ 00 00 SSRC ROC SEQ)
// for the packet, with ROC 0.
func (f *floor) setIV(pkt []byte) []byte {
	ssrc, seq := pkt[8:12], pkt[2:4]
	if f.aead {
		iv := f.iv[:12]
		copy(iv, f.salt)
		subtle.XORBytes(iv[2:6], iv[2:6], ssrc)
		subtle.XORBytes(iv[10:12], iv[10:12], seq)
		return iv
	}
	copy(f.iv[:14], f.salt)
	f.iv[14], f.iv[15] = 0, 0
	subtle.XORBytes(f.iv[4:8], f.iv[4:8], ssrc)
	subtle.XORBytes(f.iv[12:14], f.iv[12:14], seq)
	return f.iv[:]
}

var zeroROC [4]byte

// protect encrypts pkt (header of hl bytes) in place and appends the tag;
// cap(pkt) must have room for it.
func (f *floor) protect(pkt []byte, hl int) []byte {
	iv := f.setIV(pkt)
	if f.aead {
		return f.gcm.Seal(pkt[:hl], iv, pkt[hl:], pkt[:hl])
	}
	cipher.NewCTR(f.block, iv).XORKeyStream(pkt[hl:], pkt[hl:])
	f.mac.Reset()
	f.mac.Write(pkt)
	f.mac.Write(zeroROC[:])
	f.tag = f.mac.Sum(f.tag[:0])
	return append(pkt, f.tag[:10]...)
}

// unprotect verifies and decrypts pkt in place.
func (f *floor) unprotect(pkt []byte, hl int) ([]byte, bool) {
	iv := f.setIV(pkt)
	if f.aead {
		out, err := f.gcm.Open(pkt[:hl], iv, pkt[hl:], pkt[:hl])
		return out, err == nil
	}
	n := len(pkt) - 10
	f.mac.Reset()
	f.mac.Write(pkt[:n])
	f.mac.Write(zeroROC[:])
	f.tag = f.mac.Sum(f.tag[:0])
	if subtle.ConstantTimeCompare(f.tag[:10], pkt[n:]) != 1 {
		return nil, false
	}
	cipher.NewCTR(f.block, iv).XORKeyStream(pkt[hl:n], pkt[hl:n])
	return pkt[:n], true
}

func rtpHeaderLen(pkt []byte) int {
	n := 12 + 4*int(pkt[0]&0x0f)
	if pkt[0]&0x10 != 0 {
		n += 4 + 4*int(binary.BigEndian.Uint16(pkt[n+2:]))
	}
	return n
}
