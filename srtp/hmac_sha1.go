package srtp

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/binary"
	"hash"
)

// hmacSHA1 is HMAC-SHA1 (RFC 2104; RFC 3711 §4.2.1) keyed once with k_a.
//
// With the SHA extensions (haveSHANI) the SHA-1 chaining values after the
// blocks K^ipad and K^opad are computed when keying, as RFC 2104 §4 suggests,
// and a tag costs only the compressions of the message blocks: the packet's
// whole 64-byte blocks are hashed where they lie, the rest, the ROC and the
// padding (FIPS 180-4 §5.1.1) from a stack buffer, and the outer hash is
// one block. Otherwise crypto/hmac, Reset per packet.
type hmacSHA1 struct {
	inner, outer [5]uint32 // after K^ipad, K^opad (haveSHANI)
	std          hash.Hash // crypto/hmac (!haveSHANI)
}

// sha1IV is H(0) of FIPS 180-4 §5.3.1.
var sha1IV = [5]uint32{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0}

func (m *hmacSHA1) init(key []byte) {
	if !haveSHANI {
		m.std = hmac.New(sha1.New, key)
		return
	}
	if len(key) > sha1.BlockSize {
		k := sha1.Sum(key)
		key = k[:]
	}
	var pad [sha1.BlockSize]byte
	copy(pad[:], key)
	for i := range pad {
		pad[i] ^= 0x36
	}
	m.inner = sha1IV
	sha1Block(&m.inner, pad[:])
	for i := range pad {
		pad[i] ^= 0x36 ^ 0x5c
	}
	m.outer = sha1IV
	sha1Block(&m.outer, pad[:])
	clear(pad[:])
}

// sum writes HMAC-SHA1(k_a, msg || suffix) to out; suffix is at most 8
// bytes (the SRTP ROC, or nothing).
func (m *hmacSHA1) sum(out *[sha1.Size]byte, msg, suffix []byte) {
	if !haveSHANI {
		a := m.std
		a.Reset()
		a.Write(msg)
		a.Write(suffix)
		a.Sum(out[:0])
		return
	}
	h := m.inner
	whole := len(msg) &^ (sha1.BlockSize - 1)
	if whole > 0 {
		sha1Block(&h, msg[:whole])
	}
	// The rest of the message, the suffix, 0x80, zeros and the 64-bit bit
	// length of (K^ipad || msg || suffix), FIPS 180-4 §5.1.1.
	var tail [2 * sha1.BlockSize]byte
	r := copy(tail[:], msg[whole:])
	r += copy(tail[r:sha1.BlockSize+8], suffix)
	tail[r] = 0x80
	end := sha1.BlockSize
	if r+1+8 > sha1.BlockSize {
		end = 2 * sha1.BlockSize
	}
	bits := uint64(sha1.BlockSize+len(msg)+len(suffix)) * 8
	binary.BigEndian.PutUint64(tail[end-8:end], bits)
	sha1Block(&h, tail[:end])

	// Outer hash: H(K^opad || inner digest), one block.
	var blk [sha1.BlockSize]byte
	for i, v := range h {
		binary.BigEndian.PutUint32(blk[4*i:], v)
	}
	blk[sha1.Size] = 0x80
	binary.BigEndian.PutUint64(blk[56:], (sha1.BlockSize+sha1.Size)*8)
	o := m.outer
	sha1Block(&o, blk[:])
	for i, v := range o {
		binary.BigEndian.PutUint32(out[4*i:], v)
	}
}
