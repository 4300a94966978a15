//go:build !amd64 || purego

package srtp

// haveSHANI is false off amd64 (or with purego): HMAC-SHA1 uses crypto/hmac.
const haveSHANI = false

// sha1Block is never called when haveSHANI is false.
func sha1Block(h *[5]uint32, p []byte) {}
