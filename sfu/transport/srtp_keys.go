package transport

import "fmt"

// SRTPProfile is a DTLS-SRTP protection profile id (RFC 5764 §4.1.2,
// RFC 7714 §14.2).
type SRTPProfile uint16

// The profiles the server offers, in preference order (the DTLS server picks;
// as a server we take the first of ours the client offers).
const (
	ProfileAES128CMHMACSHA1_80 SRTPProfile = 0x0001 // RFC 5764 §4.1.2
	ProfileAEADAES128GCM       SRTPProfile = 0x0007 // RFC 7714 §14.2
	ProfileAEADAES256GCM       SRTPProfile = 0x0008 // RFC 7714 §14.2
)

// KeyLengths returns the master key and master salt lengths of p
// (RFC 5764 §4.1.2; RFC 7714 §12: 96-bit salts for AEAD).
func (p SRTPProfile) KeyLengths() (key, salt int, ok bool) {
	switch p {
	case ProfileAES128CMHMACSHA1_80:
		return 16, 14, true
	case ProfileAEADAES128GCM:
		return 16, 12, true
	case ProfileAEADAES256GCM:
		return 32, 12, true
	}
	return 0, 0, false
}

func (p SRTPProfile) String() string {
	switch p {
	case ProfileAES128CMHMACSHA1_80:
		return "SRTP_AES128_CM_HMAC_SHA1_80"
	case ProfileAEADAES128GCM:
		return "SRTP_AEAD_AES_128_GCM"
	case ProfileAEADAES256GCM:
		return "SRTP_AEAD_AES_256_GCM"
	}
	return fmt.Sprintf("srtp-profile(0x%04x)", uint16(p))
}

// ExporterLabel is the RFC 5705 exporter label of DTLS-SRTP (RFC 5764 §4.2).
const ExporterLabel = "EXTRACTOR-dtls_srtp"

// SRTPKeys are the SRTP master keys of one DTLS association, split per
// RFC 5764 §4.2 and assigned to directions: Local protects what we send,
// Remote what we receive.
type SRTPKeys struct {
	Profile        SRTPProfile
	KeyingMaterial []byte // the exporter output, 2*(key+salt) bytes
	LocalKey       []byte
	LocalSalt      []byte
	RemoteKey      []byte
	RemoteSalt     []byte
}

// SplitKeyingMaterial splits the exporter output km into
// client_write_SRTP_master_key, server_write_SRTP_master_key,
// client_write_SRTP_master_salt, server_write_SRTP_master_salt
// (RFC 5764 §4.2) and assigns them by the local DTLS role. The returned
// slices reference km.
func SplitKeyingMaterial(p SRTPProfile, km []byte, local Role) (SRTPKeys, error) {
	kl, sl, ok := p.KeyLengths()
	if !ok {
		return SRTPKeys{}, fmt.Errorf("transport: SRTP profile 0x%04x not supported (RFC 5764 §4.1.2)", uint16(p))
	}
	if len(km) != 2*(kl+sl) {
		return SRTPKeys{}, fmt.Errorf("transport: keying material %d bytes, want %d for %s (RFC 5764 §4.2)", len(km), 2*(kl+sl), p)
	}
	clientKey, serverKey := km[:kl:kl], km[kl:2*kl:2*kl]
	clientSalt, serverSalt := km[2*kl:2*kl+sl:2*kl+sl], km[2*kl+sl:]
	k := SRTPKeys{Profile: p, KeyingMaterial: km}
	if local == RoleClient {
		k.LocalKey, k.LocalSalt, k.RemoteKey, k.RemoteSalt = clientKey, clientSalt, serverKey, serverSalt
	} else {
		k.LocalKey, k.LocalSalt, k.RemoteKey, k.RemoteSalt = serverKey, serverSalt, clientKey, clientSalt
	}
	return k, nil
}
