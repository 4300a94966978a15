//go:build amd64 && !purego

package srtp

import "crypto/fips140"

// sha1BlockSHANI runs the SHA-1 compression function (FIPS 180-4 §6.1.2) over
// the len(p)/64 whole blocks of p with the SHA extensions, updating h.
//
//go:noescape
func sha1BlockSHANI(h *[5]uint32, p []byte)

// cpuHasSHANI reports CPUID.07H:EBX.SHA[bit 29] with SSSE3 (PSHUFB) and
// SSE4.1 (PINSRD/PEXTRD), which the compression loop also uses.
func cpuHasSHANI() bool

// haveSHANI says whether HMAC-SHA1 runs on sha1BlockSHANI: the CPU has the
// instructions and the program is not in FIPS 140-3 mode, where SHA-1 must
// come from the standard library (as AES does, see haveAESNI).
var haveSHANI = cpuHasSHANI() && !fips140.Enabled()

func sha1Block(h *[5]uint32, p []byte) { sha1BlockSHANI(h, p) }
