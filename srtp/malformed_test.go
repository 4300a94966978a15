package srtp

import (
	"bytes"
	"testing"
)

// Packets too short for their header and tag, or whose CSRC count or
// extension length points past the end, are refused with the framing error
// before any cryptography, and leave the context as it was.
func TestMalformedRTPRefused(t *testing.T) {
	for _, p := range testProfiles {
		t.Run(p.String(), func(t *testing.T) {
			tx, rx := pair(t, p)
			good, _ := tx.EncryptRTP(nil, testRTP(7, 100, 20))
			if _, err := rx.DecryptRTP(bytes.Clone(good)); err != nil {
				t.Fatal(err)
			}
			tag := p.RTPTagLen()
			withCC := func(cc byte) []byte { b := bytes.Clone(good); b[0] = b[0]&0xf0 | cc; return b }
			withExt := func(words uint16) []byte {
				b := bytes.Clone(good[:12+4])
				b[0] |= 0x10
				b[12], b[13], b[14], b[15] = 0xbe, 0xde, byte(words>>8), byte(words)
				return append(b, make([]byte, tag)...)
			}
			cases := []struct {
				name string
				pkt  []byte
				want error
			}{
				{"empty", nil, ErrShortRTP},
				{"header only, no tag", bytes.Clone(good[:12]), ErrShortRTP},
				{"one byte short of header+tag", bytes.Clone(good[:12+tag-1]), ErrShortRTP},
				{"version 0", func() []byte { b := bytes.Clone(good); b[0] &^= 0xc0; return b }(), ErrRTPVersion},
				{"CC 15 past the end", withCC(15), ErrRTPHeader},
				{"extension length past the end", withExt(100), ErrRTPHeader},
				{"extension header cut by the tag", append(bytes.Clone(good[:12]), append([]byte{0xbe}, make([]byte, tag)...)...), ErrRTPHeader},
			}
			cases[len(cases)-1].pkt[0] |= 0x10
			for _, c := range cases {
				if _, err := rx.DecryptRTP(c.pkt); err != c.want {
					t.Errorf("%s: %v, want %v", c.name, err, c.want)
				}
			}
			if _, err := tx.EncryptRTP(nil, withCC(15)[:len(good)-tag]); err != ErrRTPHeader {
				t.Errorf("encrypt, CC past the end: %v", err)
			}
			if roc, _ := rx.ROC(7); roc != 0 {
				t.Errorf("ROC %d after refused packets", roc)
			}
			if _, err := rx.DecryptRTP(bytes.Clone(good)); err != ErrReplayed {
				t.Errorf("state changed: replay gives %v", err)
			}
		})
	}
}

// An SRTCP packet shorter than its 8-byte header, index word and tag is
// refused (RFC 3711 §3.4).
func TestMalformedRTCPRefused(t *testing.T) {
	for _, p := range testProfiles {
		_, rx := pair(t, p)
		for _, n := range []int{0, 7, 8 + 4 + p.RTCPTagLen() - 1} {
			if _, err := rx.DecryptRTCP(make([]byte, n)); err != ErrShortRTCP {
				t.Errorf("%v, %d bytes: %v, want ErrShortRTCP", p, n, err)
			}
		}
		tx, _ := pair(t, p)
		if _, err := tx.EncryptRTCP(nil, make([]byte, 7)); err != ErrShortRTCP {
			t.Errorf("%v, encrypt 7 bytes: %v", p, err)
		}
	}
}

// The SRTCP index is 31 bits and must not wrap: after index 2^31-1 the
// sender refuses to protect more (RFC 3711 §3.4, §9.2), and the receiver
// accepts 2^31-1 once.
func TestSRTCPIndexExhaustion(t *testing.T) {
	for _, p := range testProfiles {
		tx, rx := pair(t, p)
		tx.SetSRTCPIndex(9, 0x7ffffffe)
		var last []byte
		for _, want := range []uint32{0x7ffffffe, 0x7fffffff} {
			out, err := tx.EncryptRTCP(nil, testRTCP(9))
			if err != nil {
				t.Fatalf("%v: index %#x: %v", p, want, err)
			}
			got, err := rx.DecryptRTCP(bytes.Clone(out))
			if err != nil || !bytes.Equal(got, testRTCP(9)) {
				t.Fatalf("%v: index %#x: %v", p, want, err)
			}
			last = out
		}
		if _, err := tx.EncryptRTCP(nil, testRTCP(9)); err != ErrIndexExhaust {
			t.Fatalf("%v: past 2^31-1: %v, want ErrIndexExhaust", p, err)
		}
		if _, err := tx.EncryptRTCP(nil, testRTCP(9)); err != ErrIndexExhaust {
			t.Fatalf("%v: stays exhausted: %v", p, err)
		}
		if _, err := rx.DecryptRTCP(last); err != ErrReplayed {
			t.Fatalf("%v: replay of 2^31-1: %v", p, err)
		}
	}
}

// With the padding bit set, the padding is part of the encrypted payload
// (RFC 3711 §3.1) and comes back byte for byte.
func TestPaddingEncrypted(t *testing.T) {
	for _, p := range testProfiles {
		tx, rx := pair(t, p)
		pkt := testRTP(5, 1, 20)
		pkt[0] |= 0x20
		pkt[len(pkt)-1] = 4
		plain := bytes.Clone(pkt)
		out, err := tx.EncryptRTP(nil, pkt)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(out[len(pkt)-4:len(pkt)], plain[len(pkt)-4:]) {
			t.Fatalf("%v: padding sent in the clear", p)
		}
		got, err := rx.DecryptRTP(out)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("%v: %v", p, err)
		}
	}
}
