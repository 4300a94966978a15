package srtp

import "fmt"

// Profile names an SRTP protection profile: cipher, key and salt lengths, and
// tag lengths for SRTP and SRTCP.
//
// The numeric values of the IANA-registered profiles are the DTLS-SRTP
// protection profile ids (RFC 5764 §4.1.2, RFC 7714 §14.2), so the value the
// DTLS use_srtp extension carries converts directly. RFC 6188's AES-192 and
// AES-256 counter-mode profiles have no DTLS-SRTP id (they are SDES crypto
// suites only); plainrtc gives them ids in 0xFF00–0xFFFF, which are never sent
// on the wire.
type Profile uint16

// SRTP protection profiles.
const (
	// AES_CM_128_HMAC_SHA1_80 (RFC 3711 §4.1.1, §4.2.1; RFC 5764 §4.1.2).
	ProfileAES128CMHMACSHA1_80 Profile = 0x0001
	// AES_CM_128_HMAC_SHA1_32: a 32-bit SRTP tag; SRTCP keeps 80 bits (RFC 5764 §4.1.2).
	ProfileAES128CMHMACSHA1_32 Profile = 0x0002
	// AEAD_AES_128_GCM (RFC 7714 §14.2).
	ProfileAEADAES128GCM Profile = 0x0007
	// AEAD_AES_256_GCM (RFC 7714 §14.2).
	ProfileAEADAES256GCM Profile = 0x0008

	// AES_192_CM_HMAC_SHA1_80 (RFC 6188 §3, §5): no DTLS-SRTP id.
	ProfileAES192CMHMACSHA1_80 Profile = 0xFF01
	// AES_192_CM_HMAC_SHA1_32 (RFC 6188): no DTLS-SRTP id.
	ProfileAES192CMHMACSHA1_32 Profile = 0xFF02
	// AES_256_CM_HMAC_SHA1_80 (RFC 6188): no DTLS-SRTP id.
	ProfileAES256CMHMACSHA1_80 Profile = 0xFF03
	// AES_256_CM_HMAC_SHA1_32 (RFC 6188): no DTLS-SRTP id.
	ProfileAES256CMHMACSHA1_32 Profile = 0xFF04
)

// Lengths that do not vary by profile.
const (
	authKeyLen   = 20 // n_a = 160 bits for HMAC-SHA1 (RFC 3711 §4.2.1, §8.2)
	cmSaltLen    = 14 // n_s = 112 bits (RFC 3711 §8.2)
	gcmSaltLen   = 12 // 96 bits (RFC 7714 §12)
	gcmTagLen    = 16 // RFC 7714 §13
	srtcpTrailer = 4  // E flag and 31-bit SRTCP index (RFC 3711 §3.4)
)

// IsAEAD reports whether p is an AEAD (GCM) profile of RFC 7714.
func (p Profile) IsAEAD() bool {
	return p == ProfileAEADAES128GCM || p == ProfileAEADAES256GCM
}

func (p Profile) valid() bool {
	switch p {
	case ProfileAES128CMHMACSHA1_80, ProfileAES128CMHMACSHA1_32,
		ProfileAEADAES128GCM, ProfileAEADAES256GCM,
		ProfileAES192CMHMACSHA1_80, ProfileAES192CMHMACSHA1_32,
		ProfileAES256CMHMACSHA1_80, ProfileAES256CMHMACSHA1_32:
		return true
	}
	return false
}

// KeyLen is the master (and session) encryption key length in bytes.
func (p Profile) KeyLen() int {
	switch p {
	case ProfileAES128CMHMACSHA1_80, ProfileAES128CMHMACSHA1_32, ProfileAEADAES128GCM:
		return 16
	case ProfileAES192CMHMACSHA1_80, ProfileAES192CMHMACSHA1_32:
		return 24
	case ProfileAES256CMHMACSHA1_80, ProfileAES256CMHMACSHA1_32, ProfileAEADAES256GCM:
		return 32
	}
	return 0
}

// SaltLen is the master (and session) salt length in bytes: 14 for AES-CM
// (RFC 3711 §8.2), 12 for GCM (RFC 7714 §12).
func (p Profile) SaltLen() int {
	if !p.valid() {
		return 0
	}
	if p.IsAEAD() {
		return gcmSaltLen
	}
	return cmSaltLen
}

// RTPTagLen is the SRTP authentication tag length in bytes.
func (p Profile) RTPTagLen() int {
	switch p {
	case ProfileAES128CMHMACSHA1_80, ProfileAES192CMHMACSHA1_80, ProfileAES256CMHMACSHA1_80:
		return 10
	case ProfileAES128CMHMACSHA1_32, ProfileAES192CMHMACSHA1_32, ProfileAES256CMHMACSHA1_32:
		return 4
	case ProfileAEADAES128GCM, ProfileAEADAES256GCM:
		return gcmTagLen
	}
	return 0
}

// RTCPTagLen is the SRTCP authentication tag length in bytes. The _32
// profiles still use an 80-bit tag for SRTCP (RFC 5764 §4.1.2, RFC 4568 §6.2).
func (p Profile) RTCPTagLen() int {
	if !p.valid() {
		return 0
	}
	if p.IsAEAD() {
		return gcmTagLen
	}
	return 10
}

// RTPOverhead is how many bytes EncryptRTP appends.
func (p Profile) RTPOverhead() int { return p.RTPTagLen() }

// RTCPOverhead is how many bytes EncryptRTCP appends (tag and SRTCP index).
func (p Profile) RTCPOverhead() int { return p.RTCPTagLen() + srtcpTrailer }

// String returns the profile's registered name.
func (p Profile) String() string {
	switch p {
	case ProfileAES128CMHMACSHA1_80:
		return "SRTP_AES128_CM_HMAC_SHA1_80"
	case ProfileAES128CMHMACSHA1_32:
		return "SRTP_AES128_CM_HMAC_SHA1_32"
	case ProfileAEADAES128GCM:
		return "SRTP_AEAD_AES_128_GCM"
	case ProfileAEADAES256GCM:
		return "SRTP_AEAD_AES_256_GCM"
	case ProfileAES192CMHMACSHA1_80:
		return "AES_192_CM_HMAC_SHA1_80"
	case ProfileAES192CMHMACSHA1_32:
		return "AES_192_CM_HMAC_SHA1_32"
	case ProfileAES256CMHMACSHA1_80:
		return "AES_256_CM_HMAC_SHA1_80"
	case ProfileAES256CMHMACSHA1_32:
		return "AES_256_CM_HMAC_SHA1_32"
	}
	return fmt.Sprintf("Profile(0x%04x)", uint16(p))
}
