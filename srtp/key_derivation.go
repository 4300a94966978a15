package srtp

// Key derivation labels (RFC 3711 §4.3.1, §4.3.2; RFC 6904 §4.1 for 0x06/0x07).
const (
	labelSRTPEncryption  byte = 0x00
	labelSRTPAuth        byte = 0x01
	labelSRTPSalt        byte = 0x02
	labelSRTCPEncryption byte = 0x03
	labelSRTCPAuth       byte = 0x04
	labelSRTCPSalt       byte = 0x05
	labelSRTPHeaderKey   byte = 0x06
	labelSRTPHeaderSalt  byte = 0x07
)

// keyDeriver is the AES-CM PRF of RFC 3711 §4.3.3 keyed with the master key
// (AES-128, or AES-192/256 for RFC 6188 §4, and for RFC 7714 §11 the GCM
// profiles' AES key length).
type keyDeriver struct {
	cm   counterMode
	salt [cmSaltLen]byte // master salt; a 96-bit GCM salt is padded on the right with zeros (RFC 7714 §11)
}

func newKeyDeriver(masterKey, masterSalt []byte) (*keyDeriver, error) {
	if len(masterSalt) > cmSaltLen {
		return nil, ErrKeyLen
	}
	d := &keyDeriver{}
	if err := d.cm.init(masterKey); err != nil {
		return nil, ErrKeyLen
	}
	copy(d.salt[:], masterSalt)
	return d, nil
}

// deriveWidth writes len(out) bytes of session key material for label at
// r = index DIV key_derivation_rate (RFC 3711 §4.3.1):
//
//	key_id = label || r              (r 48 bits)
//	x      = key_id XOR master_salt  (key_id aligned to the right)
//	out    = AES-CM keystream with IV = x * 2^16
//
// With a non-zero key derivation rate, the SRTCP labels take r as the 32-bit
// quantity 0 || SRTCP index (RFC 3711 §4.3.2), so the label sits next to it
// (NIST SP 800-135 §5.3 and its CAVP vectors read it so).
// With rate 0, as DTLS-SRTP uses, r is 0 and every label sits at the same
// place (libsrtp and pion do this, and the crosscheck vectors need it).
// rLen is the width of r in bytes, 6 or 4.
func (d *keyDeriver) deriveWidth(out []byte, label byte, r uint64, rLen int) {
	var iv [16]byte
	copy(iv[:cmSaltLen], d.salt[:])
	iv[cmSaltLen-rLen-1] ^= label
	for i := 0; i < rLen; i++ {
		iv[cmSaltLen-1-i] ^= byte(r >> (8 * i))
	}
	clear(out)
	d.cm.xorKeyStream(out, &iv)
}

// DeriveSessionKey returns n bytes of the session key for label at the given
// packet index and key derivation rate kdr (RFC 3711 §4.3.1): r = index DIV
// kdr, and r = 0 when kdr is 0. For SRTCP labels the index is the SRTCP
// index. masterKey may be 16, 24 or 32 bytes (AES-128/192/256, RFC 6188 §4);
// masterSalt 14 bytes, or 12 for the GCM profiles (zero-padded, RFC 7714 §11).
// A negative n is ErrKeyLen.
func DeriveSessionKey(masterKey, masterSalt []byte, label byte, index, kdr uint64, n int) ([]byte, error) {
	if n < 0 {
		return nil, ErrKeyLen
	}
	d, err := newKeyDeriver(masterKey, masterSalt)
	if err != nil {
		return nil, err
	}
	var r uint64
	if kdr != 0 {
		r = index / kdr
	}
	out := make([]byte, n)
	rLen := 6
	if kdr != 0 && label >= labelSRTCPEncryption && label <= labelSRTCPSalt {
		rLen = 4
	}
	d.deriveWidth(out, label, r, rLen)
	return out, nil
}
