package srtp

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
)

// keystreamChunk is how many keystream bytes are produced per batch.
const keystreamChunk = 256

// counterMode is AES in counter mode (AES-CM, RFC 3711 §4.1.1), keyed once
// for the life of a context. The standard library's cipher.NewCTR allocates
// a stream per IV; this writes the counter blocks itself into a scratch
// buffer owned by the context and encrypts them in place, so the packet path
// allocates nothing. On amd64 with AES-NI the blocks are encrypted eight at a
// time by counter_mode_amd64.s; elsewhere one cipher.Block.Encrypt per block.
type counterMode struct {
	block  cipher.Block
	xk     []byte // expanded key for AES-NI, nil if not used
	rounds int
	ks     [keystreamChunk]byte
	ctr    [16]byte
}

// init keys the counter mode with an AES key of 16, 24 or 32 bytes.
func (c *counterMode) init(key []byte) error {
	block, err := aes.NewCipher(key)
	if err != nil {
		return err
	}
	c.block = block
	if haveAESNI {
		c.xk, c.rounds = expandKey(key)
	}
	return nil
}

// encryptBlocksGeneric encrypts buf's 16-byte blocks in place, one call each.
func (c *counterMode) encryptBlocksGeneric(buf []byte) {
	for i := 0; i+16 <= len(buf); i += 16 {
		c.block.Encrypt(buf[i:i+16], buf[i:i+16])
	}
}

// xorKeyStream XORs buf with the AES-CM keystream starting at counter block
// iv: keystream block j is E(k, IV + j mod 2^128) (RFC 3711 §4.1.1).
// XORing zeros yields the raw keystream, which key derivation uses.
func (c *counterMode) xorKeyStream(buf []byte, iv *[16]byte) {
	hi := binary.BigEndian.Uint64(iv[0:8])
	lo := binary.BigEndian.Uint64(iv[8:16])
	for len(buf) > 0 {
		n := len(buf)
		if n > keystreamChunk {
			n = keystreamChunk
		}
		blocks := (n + 15) / 16
		for b := 0; b < blocks; b++ {
			blk := c.ks[b*16 : b*16+16]
			binary.BigEndian.PutUint64(blk[0:8], hi)
			binary.BigEndian.PutUint64(blk[8:16], lo)
			lo++
			if lo == 0 {
				hi++
			}
		}
		c.encryptBlocks(c.ks[:blocks*16])
		subtle.XORBytes(buf[:n], buf[:n], c.ks[:n])
		buf = buf[n:]
	}
}

// xorKeyStreamAt XORs buf with the keystream of iv starting off bytes into
// it (RFC 6904 §4.1 uses keystream positions within the header extension).
func (c *counterMode) xorKeyStreamAt(buf []byte, iv *[16]byte, off int) {
	hi := binary.BigEndian.Uint64(iv[0:8])
	lo := binary.BigEndian.Uint64(iv[8:16])
	nlo := lo + uint64(off/16)
	if nlo < lo {
		hi++
	}
	if skip := off % 16; skip != 0 {
		// A partial first block.
		blk := c.ks[:16]
		binary.BigEndian.PutUint64(blk[0:8], hi)
		binary.BigEndian.PutUint64(blk[8:16], nlo)
		c.encryptBlocks(blk)
		n := min(16-skip, len(buf))
		subtle.XORBytes(buf[:n], buf[:n], blk[skip:skip+n])
		buf = buf[n:]
		if nlo++; nlo == 0 {
			hi++
		}
	}
	binary.BigEndian.PutUint64(c.ctr[0:8], hi)
	binary.BigEndian.PutUint64(c.ctr[8:16], nlo)
	c.xorKeyStream(buf, &c.ctr)
}
