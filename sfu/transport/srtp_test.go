package transport

import (
	"bytes"
	"errors"
	"testing"

	"github.com/plainrtc/plainrtc/srtp"
)

// TestSRTPOverMux negotiates each profile, then protects RTP and RTCP on
// one side with the exported keys and unprotects them on the other; a
// replay and a forged packet are refused by srtp and counted by the mux.
func TestSRTPOverMux(t *testing.T) {
	for _, prof := range []SRTPProfile{ProfileAES128CMHMACSHA1_80, ProfileAEADAES128GCM, ProfileAEADAES256GCM} {
		t.Run(prof.String(), func(t *testing.T) {
			a := newEndpoint(t, "aaaa", "a-password-0123456789")
			b := newEndpoint(t, "bbbb", "b-password-0123456789")
			connectICE(t, a, b)
			ra, rb := handshake(t, a, b, RoleClient,
				[]Fingerprint{b.mux.Certificate().Fingerprint()},
				[]Fingerprint{a.mux.Certificate().Fingerprint()}, prof)
			if ra.err != nil || rb.err != nil {
				t.Fatalf("handshake: a=%v b=%v", ra.err, rb.err)
			}
			if ra.s.Keys.Profile != prof || rb.s.Keys.Profile != prof {
				t.Fatalf("negotiated %v / %v, want %v", ra.s.Keys.Profile, rb.s.Keys.Profile, prof)
			}
			if ra.s.CipherSuite == "" {
				t.Error("no cipher suite reported")
			}
			aLocal, _, err := ra.s.SRTPContexts()
			if err != nil {
				t.Fatal(err)
			}
			_, bRemote, err := rb.s.SRTPContexts()
			if err != nil {
				t.Fatal(err)
			}
			rtp := append([]byte{0x80, 0x60, 0x12, 0x34, 0, 0, 0x10, 0, 0xca, 0xfe, 0xba, 0xbe}, []byte("payload of an RTP packet")...)
			prot, err := aLocal.EncryptRTP(nil, rtp)
			if err != nil {
				t.Fatal(err)
			}
			rtcp := []byte{0x81, 0xc9, 0, 7, 0xca, 0xfe, 0xba, 0xbe, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
			protRTCP, err := aLocal.EncryptRTCP(nil, rtcp)
			if err != nil {
				t.Fatal(err)
			}
			forged := bytes.Clone(prot)
			forged[len(forged)-1] ^= 1
			forged[3] ^= 1 // another sequence number, so it is not a replay
			for _, p := range [][]byte{prot, protRTCP, prot, forged} {
				if _, err := a.peer.Write(p); err != nil {
					t.Fatal(err)
				}
			}
			waitFor(t, func() bool { n, m := b.ice.counts(); return n == 3 && m == 1 })
			b.ice.mu.Lock()
			got, gotRTCP := b.ice.rtp, b.ice.rtcp
			b.ice.mu.Unlock()
			unprotect := func(p []byte, isRTCP bool) ([]byte, error) {
				var out []byte
				var err error
				if isRTCP {
					out, err = bRemote.DecryptRTCP(p)
				} else {
					out, err = bRemote.DecryptRTP(p)
				}
				switch {
				case errors.Is(err, srtp.ErrReplayed), errors.Is(err, srtp.ErrTooOld):
					b.mux.ReportSRTPDrop(DropReplay, a.mux.LocalAddrPort(), err)
				case err != nil:
					b.mux.ReportSRTPDrop(DropSRTPAuth, a.mux.LocalAddrPort(), err)
				}
				return out, err
			}
			if plain, err := unprotect(got[0], false); err != nil || !bytes.Equal(plain, rtp) {
				t.Fatalf("RTP: %x %v", plain, err)
			}
			if plain, err := unprotect(gotRTCP[0], true); err != nil || !bytes.Equal(plain, rtcp) {
				t.Fatalf("RTCP: %x %v", plain, err)
			}
			if _, err := unprotect(got[1], false); !errors.Is(err, srtp.ErrReplayed) {
				t.Errorf("replay: %v", err)
			}
			if _, err := unprotect(got[2], false); !errors.Is(err, srtp.ErrAuthFailed) {
				t.Errorf("forged: %v", err)
			}
			if b.mux.Counters.Drops(DropReplay) != 1 || b.mux.Counters.Drops(DropSRTPAuth) != 1 {
				t.Errorf("replay drops %d, auth drops %d, want 1 and 1", b.mux.Counters.Drops(DropReplay), b.mux.Counters.Drops(DropSRTPAuth))
			}
		})
	}
}

func TestSplitKeyingMaterial(t *testing.T) {
	km := make([]byte, 60)
	for i := range km {
		km[i] = byte(i)
	}
	c, err := SplitKeyingMaterial(ProfileAES128CMHMACSHA1_80, km, RoleClient)
	if err != nil {
		t.Fatal(err)
	}
	s, err := SplitKeyingMaterial(ProfileAES128CMHMACSHA1_80, km, RoleServer)
	if err != nil {
		t.Fatal(err)
	}
	// RFC 5764 §4.2: client key | server key | client salt | server salt.
	if !bytes.Equal(c.LocalKey, km[0:16]) || !bytes.Equal(c.RemoteKey, km[16:32]) ||
		!bytes.Equal(c.LocalSalt, km[32:46]) || !bytes.Equal(c.RemoteSalt, km[46:60]) {
		t.Fatal("client split")
	}
	if !bytes.Equal(s.LocalKey, c.RemoteKey) || !bytes.Equal(s.LocalSalt, c.RemoteSalt) {
		t.Fatal("server split")
	}
	// Cross-check with srtp's own split.
	ck, cs, sk, ss, err := srtp.SplitKeyingMaterial(srtp.ProfileAES128CMHMACSHA1_80, km)
	if err != nil || !bytes.Equal(ck, c.LocalKey) || !bytes.Equal(cs, c.LocalSalt) || !bytes.Equal(sk, s.LocalKey) || !bytes.Equal(ss, s.LocalSalt) {
		t.Fatal("differs from srtp.SplitKeyingMaterial")
	}
	if _, err := SplitKeyingMaterial(ProfileAEADAES256GCM, km, RoleClient); err == nil {
		t.Error("60 bytes accepted for AEAD_AES_256_GCM (wants 88)")
	}
	if _, err := SplitKeyingMaterial(0x0002, km, RoleClient); err == nil {
		t.Error("unsupported profile accepted")
	}
}
