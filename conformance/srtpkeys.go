package conformance

import (
	"fmt"

	"github.com/plainrtc/plainrtc/internal/dtlswire"
)

// SRTP protection profiles (RFC 5764 §4.1.2, RFC 7714 §14.2).
const (
	ProfileAES128CMSHA1_80 = dtlswire.ProfileAES128CMSHA1_80 // SRTP_AES128_CM_HMAC_SHA1_80
	ProfileAES128CMSHA1_32 = dtlswire.ProfileAES128CMSHA1_32 // SRTP_AES128_CM_HMAC_SHA1_32
	ProfileAEADAES128GCM   = dtlswire.ProfileAEADAES128GCM   // SRTP_AEAD_AES_128_GCM
	ProfileAEADAES256GCM   = dtlswire.ProfileAEADAES256GCM   // SRTP_AEAD_AES_256_GCM
)

// ExporterLabelDTLSSRTP is the RFC 5764 §4.2 exporter label.
const ExporterLabelDTLSSRTP = "EXTRACTOR-dtls_srtp"

// SRTPProfileName is the profile's registry name, e.g. "SRTP_AEAD_AES_128_GCM",
// or "0x%04x" for a profile this package does not know.
func SRTPProfileName(p uint16) string { return dtlswire.SRTPProfileName(p) }

// SRTPKeyLengths returns a profile's master key and master salt lengths in
// bytes: 16/14 for the AES-CM profiles (RFC 5764 §4.1.2), 16/12 and 32/12
// for AEAD_AES_128_GCM and AEAD_AES_256_GCM (RFC 7714 §14.2).
func SRTPKeyLengths(p uint16) (keyLen, saltLen int, ok bool) {
	switch p {
	case ProfileAES128CMSHA1_80, ProfileAES128CMSHA1_32:
		return 16, 14, true
	case ProfileAEADAES128GCM:
		return 16, 12, true
	case ProfileAEADAES256GCM:
		return 32, 12, true
	}
	return 0, 0, false
}

// SRTPKeys is the SRTP keying material of one DTLS association.
type SRTPKeys struct {
	Profile                uint16
	Material               []byte // exporter output, 2*(key+salt) bytes
	ClientKey, ServerKey   []byte
	ClientSalt, ServerSalt []byte
}

// SplitSRTPKeyingMaterial splits exporter output per RFC 5764 §4.2:
// client_write_SRTP_master_key, server_write_SRTP_master_key,
// client_write_SRTP_master_salt, server_write_SRTP_master_salt.
func SplitSRTPKeyingMaterial(profile uint16, km []byte) (SRTPKeys, error) {
	kl, sl, ok := SRTPKeyLengths(profile)
	if !ok {
		return SRTPKeys{}, fmt.Errorf("conformance: SRTP profile %s has no known key lengths (RFC 5764 §4.1.2, RFC 7714 §14.2)", SRTPProfileName(profile))
	}
	if len(km) != 2*(kl+sl) {
		return SRTPKeys{}, fmt.Errorf("conformance: keying material %d bytes, want %d for %s (RFC 5764 §4.2)", len(km), 2*(kl+sl), SRTPProfileName(profile))
	}
	return SRTPKeys{
		Profile:    profile,
		Material:   km,
		ClientKey:  km[0:kl:kl],
		ServerKey:  km[kl : 2*kl : 2*kl],
		ClientSalt: km[2*kl : 2*kl+sl : 2*kl+sl],
		ServerSalt: km[2*kl+sl : 2*(kl+sl) : 2*(kl+sl)],
	}, nil
}

// DeriveSRTPKeys runs the RFC 5705 exporter with label EXTRACTOR-dtls_srtp
// over a handshake's randoms and the master secret the key log holds for its
// client random, and splits the result for the negotiated profile (RFC 5764 §4.2).
func DeriveSRTPKeys(h DTLSHello, kl *KeyLog) (SRTPKeys, error) {
	ms, ok := kl.MasterSecret(h.ClientRandom)
	if !ok {
		return SRTPKeys{}, fmt.Errorf("conformance: key log has no CLIENT_RANDOM %x", h.ClientRandom)
	}
	kLen, sLen, ok := SRTPKeyLengths(h.SRTPProfile)
	if !ok {
		return SRTPKeys{}, fmt.Errorf("conformance: SRTP profile %s has no known key lengths (RFC 5764 §4.1.2)", SRTPProfileName(h.SRTPProfile))
	}
	km := ExportKeyingMaterial(CipherSuiteHash(h.CipherSuite), ms, ExporterLabelDTLSSRTP, h.ClientRandom, h.ServerRandom, 2*(kLen+sLen))
	return SplitSRTPKeyingMaterial(h.SRTPProfile, km)
}
