package srtp

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"testing"
)

// srtp-crosscheck.txt: whole packets on which libsrtp 2.5 and pion/srtp
// agree, for the CM profiles and AEAD_AES_128_GCM, through the master key
// (so key derivation, the 96-bit GCM salt padding and the packet layouts are
// all covered).
func TestCrosscheckVectors(t *testing.T) {
	f, err := os.Open("testdata/srtp-crosscheck.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in := map[string][]byte{}
	type out struct {
		profile Profile
		kind    string
		packet  []byte
	}
	var outs []out
	profiles := map[string]Profile{
		"AES128_CM_SHA1_80": ProfileAES128CMHMACSHA1_80,
		"AES128_CM_SHA1_32": ProfileAES128CMHMACSHA1_32,
		"AEAD_AES_128_GCM":  ProfileAEADAES128GCM,
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		switch {
		case len(fs) >= 4 && (fs[0] == "cm" || fs[0] == "gcm") && fs[1] == "master":
			in[fs[0]+" "+fs[2]] = unhex(t, fs[3])
		case len(fs) >= 3 && fs[1] == "plain":
			in["s"+fs[0]] = unhex(t, fs[2])
		case len(fs) == 3 && profiles[fs[0]] != 0:
			outs = append(outs, out{profiles[fs[0]], fs[1], unhex(t, fs[2])})
		}
	}
	if len(outs) != 6 || len(in) != 6 {
		t.Fatalf("parsed %d outputs and %d inputs, want 6 and 6", len(outs), len(in))
	}
	for _, o := range outs {
		t.Run(o.profile.String()+"/"+o.kind, func(t *testing.T) {
			kind := "cm"
			if o.profile.IsAEAD() {
				kind = "gcm"
			}
			key, salt := in[kind+" key"], in[kind+" salt"]
			tx, err := NewContext(o.profile, key, salt)
			if err != nil {
				t.Fatal(err)
			}
			rx, _ := NewContext(o.profile, key, salt)
			plain := in[o.kind]
			var got []byte
			if o.kind == "srtp" {
				got, err = tx.EncryptRTP(nil, plain)
			} else {
				got, err = tx.EncryptRTCP(nil, plain)
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, o.packet) {
				t.Fatalf("encrypt:\n got %x\nwant %x", got, o.packet)
			}
			if o.kind == "srtp" {
				got, err = rx.DecryptRTP(bytes.Clone(o.packet))
			} else {
				got, err = rx.DecryptRTCP(bytes.Clone(o.packet))
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, plain) {
				t.Fatalf("decrypt:\n got %x\nwant %x", got, plain)
			}
		})
	}
}
