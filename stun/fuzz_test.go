package stun

import (
	"bytes"
	"testing"
)

// FuzzParse: any input either fails to parse or round-trips byte for byte;
// no getter or check panics on what parses.
func FuzzParse(f *testing.F) {
	for _, b := range loadVectors(f) {
		f.Add(b)
	}
	f.Add([]byte{0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	in := NewShortTermIntegrity("pwd")
	var m Message
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := m.Unmarshal(b); err != nil {
			if IsMessage(b) && len(b) == HeaderSize && b[2] == 0 && b[3] == 0 {
				t.Fatalf("empty message rejected: %v", err)
			}
			return
		}
		out, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("round trip:\n got %x\nwant %x", out, b)
		}
		for _, a := range m.Attributes {
			v, err := FindAttribute(b, a.Type)
			first, ok := m.Get(a.Type)
			if ok != (err == nil) || !bytes.Equal(v, first.Value) {
				t.Fatalf("FindAttribute(%v) = %x, %v; Get = %x, %v", a.Type, v, err, first.Value, ok)
			}
		}
		m.MappedAddress()
		m.XORMappedAddress()
		m.AlternateServer()
		m.Username()
		m.Userhash()
		m.Realm()
		m.Nonce()
		m.Software()
		m.AlternateDomain()
		m.ErrorCode()
		m.UnknownAttributes(nil)
		m.PasswordAlgorithm()
		m.PasswordAlgorithms(nil)
		m.Priority()
		m.ICEControlled()
		m.ICEControlling()
		m.UnknownComprehensionRequired(nil, nil)
		in.Check(&m)
		in.CheckSHA1(&m)
		CheckFingerprint(&m)
	})
}
