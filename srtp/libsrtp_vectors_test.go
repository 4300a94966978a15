package srtp

import (
	"bytes"
	"testing"
)

// libsrtp's reference packets for RFC 6904 (srtp_driver.c,
// srtp_validate_encrypted_extensions_headers and its _gcm twin): one-byte
// elements ID 1 (8 bytes), ID 2 (3 bytes, not encrypted), ID 3 (1 byte),
// ID 4 (7 bytes) and a padding byte, IDs 1, 3 and 4 encrypted; master key
// and salt are libsrtp's test key. They pin the header keys (labels 0x06,
// 0x07), the keystream drawn for each element's ID byte, and for GCM the
// AES-CM header keystream with the 96-bit salt. libsrtp's GCM vector has
// an 8-byte tag: GCM tags truncate, so it is the first 8 bytes of ours.
func TestHeaderExtensionEncryptionLibsrtpVectors(t *testing.T) {
	const plain = "900f1234decafbadcafebabe" +
		"bede000617414273a475262748220000c8308e4655996386b395fb00" +
		"abababababababababababababababab"
	key := unhex(t, "e1f97a0d3e018be0d64fa32c06de4139")
	salt := unhex(t, "0ec675ad498afeebb6960b3aabe6")
	for _, c := range []struct {
		profile Profile
		want    string // libsrtp's output: a prefix of ours for GCM
	}{
		{ProfileAES128CMHMACSHA1_80, "900f1234decafbadcafebabe" +
			"bede000617588a9270f4e15e1c220000c8309546a994f0bc54789700" +
			"4e55dc4ce79978d88ca4d215949d24025a46b3ca35c535a891c7"},
		{ProfileAEADAES128GCM, "900f1234decafbadcafebabe" +
			"bede00061712e0205bfa949b1c220000c830bb46732778d9929aab00" +
			"0eca0cf95ee955b26cd3d288b49f6ca9f4b1b759719eb5bc"},
	} {
		t.Run(c.profile.String(), func(t *testing.T) {
			s := salt[:c.profile.SaltLen()]
			tx, err := NewContext(c.profile, key, s, WithEncryptedHeaderExtensions(1, 3, 4))
			if err != nil {
				t.Fatal(err)
			}
			rx, _ := NewContext(c.profile, key, s, WithEncryptedHeaderExtensions(1, 3, 4))
			in := unhex(t, plain)
			want := unhex(t, c.want)
			out, err := tx.EncryptRTP(nil, in)
			if err != nil {
				t.Fatal(err)
			}
			if len(out) < len(want) || !bytes.Equal(out[:len(want)], want) {
				t.Fatalf("encrypt:\n got %x\nwant %x", out, want)
			}
			got, err := rx.DecryptRTP(out)
			if err != nil || !bytes.Equal(got, in) {
				t.Fatalf("decrypt: %v\n got %x\nwant %x", err, got, in)
			}
		})
	}
}

// libsrtp's reference packets with an empty payload (srtp_test_empty_payload
// and _gcm): the tag alone, over the 12-byte header and the ROC.
func TestEmptyPayloadLibsrtpVectors(t *testing.T) {
	key := unhex(t, "e1f97a0d3e018be0d64fa32c06de4139")
	salt := unhex(t, "0ec675ad498afeebb6960b3aabe6")
	in := unhex(t, "800f1234decafbadcafebabe")
	for p, want := range map[Profile]string{
		ProfileAES128CMHMACSHA1_80: "800f1234decafbadcafebabe773c2e1cd91d590d16e5",
		ProfileAEADAES128GCM:       "800f1234decafbadcafebabef8b471a9e44e229c", // 8-byte tag prefix
	} {
		tx, _ := NewContext(p, key, salt[:p.SaltLen()])
		rx, _ := NewContext(p, key, salt[:p.SaltLen()])
		out, err := tx.EncryptRTP(nil, in)
		if err != nil || !bytes.Equal(out[:len(want)/2], unhex(t, want)) {
			t.Fatalf("%v: %v\n got %x\nwant %s", p, err, out, want)
		}
		if got, err := rx.DecryptRTP(out); err != nil || !bytes.Equal(got, in) {
			t.Fatalf("%v: decrypt: %v", p, err)
		}
	}
}
