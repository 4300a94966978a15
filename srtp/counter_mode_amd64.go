//go:build amd64 && !purego

package srtp

import "crypto/fips140"

// aesniEncryptBlocks encrypts n 16-byte blocks from src to dst (which may
// be the same) with the expanded key xk of nr rounds, eight blocks at a time.
//
//go:noescape
func aesniEncryptBlocks(nr int, xk *byte, dst, src *byte, n int)

// cpuHasAESNI reports CPUID.01H:ECX.AES[bit 25].
func cpuHasAESNI() bool

// haveAESNI says whether the AES-NI loop is used: the CPU has the
// instructions and the program does not run in FIPS 140-3 mode
// (GODEBUG=fips140=on or only), where AES must come from the standard
// library's validated module, not from our own key schedule.
var haveAESNI = cpuHasAESNI() && !fips140.Enabled()

func (c *counterMode) encryptBlocks(buf []byte) {
	if c.xk == nil {
		c.encryptBlocksGeneric(buf)
		return
	}
	aesniEncryptBlocks(c.rounds, &c.xk[0], &buf[0], &buf[0], len(buf)/16)
}
