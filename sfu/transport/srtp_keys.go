package transport

import (
	"fmt"

	"github.com/plainrtc/plainrtc/srtp"
)

// SRTPProfile is a DTLS-SRTP protection profile id (RFC 5764 §4.1.2,
// RFC 7714 §14.2). It is package srtp's Profile, whose values are these ids;
// the transport negotiates the three below.
type SRTPProfile = srtp.Profile

// The profiles the server offers, in preference order (the DTLS server picks;
// as a server we take the first of ours the client offers).
const (
	ProfileAES128CMHMACSHA1_80 = srtp.ProfileAES128CMHMACSHA1_80 // RFC 5764 §4.1.2
	ProfileAEADAES128GCM       = srtp.ProfileAEADAES128GCM       // RFC 7714 §14.2
	ProfileAEADAES256GCM       = srtp.ProfileAEADAES256GCM       // RFC 7714 §14.2
)

// negotiable reports whether p is one of the profiles the transport offers
// and accepts in use_srtp (RFC 5764 §4.1.2).
func negotiable(p SRTPProfile) bool {
	switch p {
	case ProfileAES128CMHMACSHA1_80, ProfileAEADAES128GCM, ProfileAEADAES256GCM:
		return true
	}
	return false
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

// SplitKeyingMaterial splits the exporter output km into the client's and
// the server's master keys and salts with srtp.SplitKeyingMaterial
// (RFC 5764 §4.2) and assigns them by the local DTLS role. The returned
// slices reference km.
func SplitKeyingMaterial(p SRTPProfile, km []byte, local Role) (SRTPKeys, error) {
	if !negotiable(p) {
		return SRTPKeys{}, fmt.Errorf("transport: SRTP profile 0x%04x not supported (RFC 5764 §4.1.2)", uint16(p))
	}
	clientKey, clientSalt, serverKey, serverSalt, err := srtp.SplitKeyingMaterial(p, km)
	if err != nil {
		return SRTPKeys{}, fmt.Errorf("transport: keying material %d bytes, want %d for %s (RFC 5764 §4.2): %w", len(km), 2*(p.KeyLen()+p.SaltLen()), p, err)
	}
	k := SRTPKeys{Profile: p, KeyingMaterial: km}
	if local == RoleClient {
		k.LocalKey, k.LocalSalt, k.RemoteKey, k.RemoteSalt = clientKey, clientSalt, serverKey, serverSalt
	} else {
		k.LocalKey, k.LocalSalt, k.RemoteKey, k.RemoteSalt = serverKey, serverSalt, clientKey, clientSalt
	}
	return k, nil
}
