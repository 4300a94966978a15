package srtp

import "encoding/binary"

// The AES key schedule (FIPS-197 §5.2), needed only to feed the AES-NI
// counter-mode loop (counter_mode_amd64.s): the standard library keeps its
// round keys to itself. The S-box is computed from its definition
// (FIPS-197 §5.1.1): the multiplicative inverse in GF(2^8) followed by the
// affine transformation.

var sbox = func() (s [256]byte) {
	mul := func(a, b byte) (p byte) {
		for b != 0 {
			if b&1 != 0 {
				p ^= a
			}
			hi := a & 0x80
			a <<= 1
			if hi != 0 {
				a ^= 0x1b // x^8 + x^4 + x^3 + x + 1
			}
			b >>= 1
		}
		return p
	}
	rotl := func(x byte, n uint) byte { return x<<n | x>>(8-n) }
	for a := 0; a < 256; a++ {
		inv := byte(0)
		if a != 0 {
			// a^254 = a^-1 in GF(2^8)
			inv = 1
			x := byte(a)
			for e := 254; e > 0; e >>= 1 {
				if e&1 != 0 {
					inv = mul(inv, x)
				}
				x = mul(x, x)
			}
		}
		s[a] = inv ^ rotl(inv, 1) ^ rotl(inv, 2) ^ rotl(inv, 3) ^ rotl(inv, 4) ^ 0x63
	}
	return s
}()

func subWord(w uint32) uint32 {
	return uint32(sbox[w>>24])<<24 | uint32(sbox[w>>16&0xff])<<16 | uint32(sbox[w>>8&0xff])<<8 | uint32(sbox[w&0xff])
}

// expandKey returns the encryption round keys of key (16, 24 or 32 bytes) as
// 16*(Nr+1) bytes in the byte order AESENC takes, and Nr.
func expandKey(key []byte) (xk []byte, rounds int) {
	nk := len(key) / 4
	rounds = nk + 6
	w := make([]uint32, 4*(rounds+1))
	for i := 0; i < nk; i++ {
		w[i] = binary.BigEndian.Uint32(key[4*i:])
	}
	rcon := uint32(1)
	for i := nk; i < len(w); i++ {
		t := w[i-1]
		switch {
		case i%nk == 0:
			t = subWord(t<<8|t>>24) ^ rcon<<24
			rcon <<= 1
			if rcon&0x100 != 0 {
				rcon ^= 0x11b
			}
		case nk > 6 && i%nk == 4:
			t = subWord(t)
		}
		w[i] = w[i-nk] ^ t
	}
	xk = make([]byte, 4*len(w))
	for i, v := range w {
		binary.BigEndian.PutUint32(xk[4*i:], v)
	}
	return xk, rounds
}
