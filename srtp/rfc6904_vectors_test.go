package srtp

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"testing"
)

// RFC 6904 Appendix A.1: the session header encryption key (label 0x06)
// and salt (label 0x07), derived with the RFC 3711 §4.3 AES-CM PRF at
// index 0 (key derivation rate 0) from the RFC 3711 Appendix B.3 master
// key and salt.
func TestRFC6904A1KeyDerivation(t *testing.T) {
	mk := unhexRFC(t, "E1F97A0D3E018BE0D64FA32C06DE4139")
	ms := unhexRFC(t, "0EC675AD498AFEEBB6960B3AABE6")
	for _, c := range []struct {
		label byte
		n     int
		want  string
	}{
		{labelSRTPHeaderKey, 16, "549752054D6FB708622C4A2E596A1B93"},
		{labelSRTPHeaderSalt, 14, "AB01818174C40D39A3781F7C2D27"},
	} {
		got, err := DeriveSessionKey(mk, ms, c.label, 0, 0, c.n)
		if err != nil {
			t.Fatal(err)
		}
		if want := unhexRFC(t, c.want); !bytes.Equal(got, want) {
			t.Errorf("label 0x%02x: %X, RFC 6904 A.1 says %X", c.label, got, want)
		}
	}
}

// RFC 6904 Appendix A.2: the one-byte-header extension block of a packet
// with SSRC 0xCAFEBABE, ROC 0 and sequence number 0x1234, whose elements
// with IDs 1, 3 and 4 are encrypted (ID 2 and the padding stay clear), with
// the A.1 session keys under AES_CM_128_HMAC_SHA1_80.
//
// The RFC gives only the extension block's bytes. The rest of the packet is
// chosen here: V=2, X=1, PT 96, timestamp 0xDECAFBAD, profile 0xBEDE with a
// length of 6 words, and a 20-byte payload. The header keystream depends
// only on the session keys, SSRC and packet index (the RFC 3711 §4.1.1 IV,
// RFC 6904 §4.1), so any fixed header with that SSRC and sequence number
// must give the RFC's bytes; the payload is encrypted with the session
// encryption key and is not compared.
func TestRFC6904A2HeaderExtensionEncryption(t *testing.T) {
	mk := unhexRFC(t, "E1F97A0D3E018BE0D64FA32C06DE4139")
	ms := unhexRFC(t, "0EC675AD498AFEEBB6960B3AABE6")
	clearExt := unhexRFC(t, "17 414273A475262748 22 0000C8 30 8E 46 55996386B395FB 00")
	wantExt := unhexRFC(t, "17588A9270F4E15E1C220000C8309546A994F0BC54789700")
	pkt := []byte{0x90, 96, 0x12, 0x34, 0xDE, 0xCA, 0xFB, 0xAD, 0xCA, 0xFE, 0xBA, 0xBE, 0xBE, 0xDE}
	pkt = binary.BigEndian.AppendUint16(pkt, uint16(len(clearExt)/4))
	pkt = append(pkt, clearExt...)
	pkt = append(pkt, []byte("payload chosen here.")...)
	extStart, extEnd := 16, 16+len(clearExt)

	tx, err := NewContext(ProfileAES128CMHMACSHA1_80, mk, ms, WithEncryptedHeaderExtensions(1, 3, 4))
	if err != nil {
		t.Fatal(err)
	}
	out, err := tx.EncryptRTP(nil, bytes.Clone(pkt))
	if err != nil {
		t.Fatal(err)
	}
	if got := out[extStart:extEnd]; !bytes.Equal(got, wantExt) {
		t.Errorf("extension block\n got %X\nwant %X (RFC 6904 A.2)", got, wantExt)
	}
	if !bytes.Equal(out[:extStart], pkt[:extStart]) {
		t.Errorf("fixed header changed: %X", out[:extStart])
	}
	rx, _ := NewContext(ProfileAES128CMHMACSHA1_80, mk, ms, WithEncryptedHeaderExtensions(1, 3, 4))
	back, err := rx.DecryptRTP(bytes.Clone(out))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back, pkt) {
		t.Errorf("decrypted\n got %X\nwant %X", back, pkt)
	}
	// A receiver that does not know ID 4 is encrypted leaves it scrambled.
	partial, _ := NewContext(ProfileAES128CMHMACSHA1_80, mk, ms, WithEncryptedHeaderExtensions(1, 3))
	back, err = partial.DecryptRTP(bytes.Clone(out))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(back[extStart:extEnd], clearExt) {
		t.Error("ID 4 decrypted without being negotiated as encrypted")
	}
}

func unhexRFC(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
