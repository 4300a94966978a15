package dtlswire

import "fmt"

// SRTP protection profiles (RFC 5764 §4.1.2, RFC 7714 §14.2).
const (
	ProfileAES128CMSHA1_80 uint16 = 0x0001 // SRTP_AES128_CM_HMAC_SHA1_80
	ProfileAES128CMSHA1_32 uint16 = 0x0002 // SRTP_AES128_CM_HMAC_SHA1_32
	ProfileAEADAES128GCM   uint16 = 0x0007 // SRTP_AEAD_AES_128_GCM
	ProfileAEADAES256GCM   uint16 = 0x0008 // SRTP_AEAD_AES_256_GCM
)

// SRTPProfileName is the profile's registry name, e.g. "SRTP_AEAD_AES_128_GCM",
// or "0x%04x" for a profile this package does not know.
func SRTPProfileName(p uint16) string {
	switch p {
	case ProfileAES128CMSHA1_80:
		return "SRTP_AES128_CM_HMAC_SHA1_80"
	case ProfileAES128CMSHA1_32:
		return "SRTP_AES128_CM_HMAC_SHA1_32"
	case ProfileAEADAES128GCM:
		return "SRTP_AEAD_AES_128_GCM"
	case ProfileAEADAES256GCM:
		return "SRTP_AEAD_AES_256_GCM"
	}
	return fmt.Sprintf("0x%04x", p)
}
