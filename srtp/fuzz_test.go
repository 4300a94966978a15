package srtp

import (
	"bytes"
	"testing"
)

func fuzzContexts(p Profile) (tx, rx *Context) {
	key := bytes.Repeat([]byte{0x42}, p.KeyLen())
	salt := bytes.Repeat([]byte{0x17}, p.SaltLen())
	opts := []Option{WithEncryptedHeaderExtensions(1, 2, 3)}
	tx, _ = NewContext(p, key, salt, opts...)
	rx, _ = NewContext(p, key, salt, opts...)
	return tx, rx
}

// Every profile: the AES-NI path differs by key size (10, 12, 14 rounds).
var fuzzProfiles = []Profile{ProfileAES128CMHMACSHA1_80, ProfileAES128CMHMACSHA1_32, ProfileAEADAES128GCM,
	ProfileAEADAES256GCM, ProfileAES192CMHMACSHA1_80, ProfileAES192CMHMACSHA1_32,
	ProfileAES256CMHMACSHA1_80, ProfileAES256CMHMACSHA1_32}

// FuzzDecrypt feeds arbitrary bytes to DecryptRTP and DecryptRTCP: they
// must fail cleanly, never panic, and succeed only for a packet that is
// genuine, i.e. whose clear text protects back to exactly the input.
func FuzzDecrypt(f *testing.F) {
	for i, p := range fuzzProfiles { // sel 2i and 2i+1 pick profile i
		tx, _ := fuzzContexts(p)
		pkt, _ := tx.EncryptRTP(nil, rtpWithExtension(0xBEDE, []byte{0x11, 1, 2, 0x20, 3}, 1))
		f.Add(pkt, uint8(2*i))
		rtcp, _ := tx.EncryptRTCP(nil, testRTCP(5))
		f.Add(rtcp, uint8(2*i+1))
	}
	f.Add([]byte{0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, uint8(2))
	f.Add([]byte{0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0xff, 0xff}, uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, sel uint8) {
		p := fuzzProfiles[int(sel/2)%len(fuzzProfiles)]
		tx, rx := fuzzContexts(p)
		in := bytes.Clone(data)
		if sel%2 == 0 {
			clear, err := rx.DecryptRTP(in)
			if err != nil {
				return
			}
			again, err := tx.EncryptRTP(nil, clear)
			if err != nil || !bytes.Equal(again, data) {
				t.Fatalf("decrypted a packet that does not protect back to itself:\n in  %x\n out %x (%v)", data, again, err)
			}
			return
		}
		clear, err := rx.DecryptRTCP(in)
		if err != nil {
			return
		}
		if len(clear) < 8 || !bytes.Equal(clear[:8], data[:8]) {
			t.Fatalf("SRTCP header changed: %x", clear)
		}
	})
}

// FuzzEncryptRoundTrip: whatever EncryptRTP accepts, DecryptRTP gives back.
func FuzzEncryptRoundTrip(f *testing.F) {
	f.Add(rtpWithExtension(0xBEDE, []byte{0x11, 1, 2, 0x20, 3}, 1), uint8(0))
	f.Add(rtpWithExtension(0x1000, []byte{1, 2, 1, 2, 0, 3, 1, 9}, 2), uint8(1))
	f.Add(testRTP(1, 2, 3), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, sel uint8) {
		tx, rx := fuzzContexts(fuzzProfiles[int(sel)%len(fuzzProfiles)])
		out, err := tx.EncryptRTP(nil, data)
		if err != nil {
			return
		}
		clear, err := rx.DecryptRTP(out)
		if err != nil || !bytes.Equal(clear, data) {
			t.Fatalf("round trip: %v\n in  %x\n out %x", err, data, clear)
		}
	})
}
