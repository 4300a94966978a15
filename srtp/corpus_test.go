package srtp_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/srtp"
)

// Every SRTP and SRTCP packet of every captured session authenticates and
// decrypts with the keys the corpus loader derives (counts equal
// truth.json's srtp_ok and srtcp_ok), and protecting the clear packet again
// with a fresh context gives the captured bytes back, byte for byte: the
// sender-side ROC tracking and SRTCP index counting reproduce the browser's
// (libsrtp's) and the answerer's (pion's). The direction of each packet,
// and so its keys, comes from the session's roles: whichever side sent the
// ClientHello uses the client's keys. Every packet must authenticate,
// whatever truth.json says; with one, the counts must also equal it.
func TestCorpus(t *testing.T)        { conformance.ForEachSession(t, checkCorpusSRTP) }
func TestCorpusDerived(t *testing.T) { conformance.ForEachDerived(t, checkCorpusSRTP) }

func checkCorpusSRTP(t *testing.T, s *conformance.Session) {
	{
		profile := srtp.Profile(s.SRTPProfile)
		if s.HasTruth && profile.String() != s.Truth.SRTPProfile {
			t.Fatalf("profile %v, truth says %s", profile, s.Truth.SRTPProfile)
		}
		// The four contexts of the association, made from the exporter output
		// as each side makes them (RFC 5764 §4.2): a packet from the DTLS
		// client is unprotected by the DTLS server's remote context and
		// protected again by the client's local one, and the other way round.
		ck, cs, sk, ss, err := srtp.SplitKeyingMaterial(profile, s.KeyingMaterial)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ck, s.ClientKey) || !bytes.Equal(cs, s.ClientSalt) || !bytes.Equal(sk, s.ServerKey) || !bytes.Equal(ss, s.ServerSalt) {
			t.Fatal("SplitKeyingMaterial disagrees with the corpus loader's RFC 5764 §4.2 split")
		}
		clientLocal, clientRemote, err := srtp.FromKeyingMaterial(profile, s.KeyingMaterial, true)
		if err != nil {
			t.Fatal(err)
		}
		serverLocal, serverRemote, err := srtp.FromKeyingMaterial(profile, s.KeyingMaterial, false)
		if err != nil {
			t.Fatal(err)
		}
		type dir struct{ rx, tx *srtp.Context }
		fromClient := &dir{rx: serverRemote, tx: clientLocal}
		fromServer := &dir{rx: clientRemote, tx: serverLocal}
		context := func(d conformance.Datagram) *dir {
			if s.FromDTLSClient(d) {
				return fromClient
			}
			return fromServer
		}
		streams := map[string]int{}
		var nRTP, okRTP, nRTCP, okRTCP, reRTP, reRTCP, replays int
		for _, d := range s.Datagrams {
			b := d.Payload
			if len(b) < 2 || b[0] < 128 || b[0] > 191 {
				continue
			}
			c := context(d)
			rtcp := b[1]&0x7f >= 64 && b[1]&0x7f <= 95 // RFC 7983, RFC 5761 §4
			pkt := bytes.Clone(b)
			var clear, again []byte
			var err error
			if rtcp {
				nRTCP++
				if clear, err = c.rx.DecryptRTCP(pkt); err != nil {
					t.Errorf("frame %d: SRTCP: %v", d.N, err)
					continue
				}
				okRTCP++
				if s.Partial {
					// A derived session left compounds out (audio-only drops
					// those naming video SSRCs): the sender's next SRTCP
					// index is the captured one, not the one after the last
					// packet kept (RFC 3711 §3.4).
					tr := len(b) - 4
					if !profile.IsAEAD() {
						tr -= profile.RTCPTagLen()
					}
					c.tx.SetSRTCPIndex(binary.BigEndian.Uint32(b[4:8]), binary.BigEndian.Uint32(b[tr:])&^(1<<31))
				}
				again, err = c.tx.EncryptRTCP(nil, clear)
			} else {
				nRTP++
				tx := c.tx
				clear, err = c.rx.DecryptRTP(pkt)
				if err == srtp.ErrReplayed {
					// The answerer (pion) reuses sequence numbers: packets with
					// an SSRC and index already received but other bytes. The
					// replay window must refuse them (RFC 3711 §3.3.2); that
					// they authenticate is checked with fresh contexts at the
					// stream's ROC.
					replays++
					ssrc := binary.BigEndian.Uint32(b[8:12])
					roc, _ := c.rx.ROC(ssrc)
					key, salt := s.SRTPKeys(d)
					rx, _ := srtp.NewContext(profile, key, salt)
					tx, _ = srtp.NewContext(profile, key, salt)
					rx.SetROC(ssrc, roc)
					tx.SetROC(ssrc, roc)
					copy(pkt, b)
					clear, err = rx.DecryptRTP(pkt)
				}
				if err != nil {
					t.Errorf("frame %d: SRTP seq %d: %v", d.N, binary.BigEndian.Uint16(b[2:4]), err)
					continue
				}
				okRTP++
				streams[fmt.Sprintf("%d/pt%d", binary.BigEndian.Uint32(clear[8:12]), clear[1]&0x7f)]++
				again, err = tx.EncryptRTP(nil, clear)
			}
			if err != nil {
				t.Errorf("frame %d: re-encrypt: %v", d.N, err)
				continue
			}
			if !bytes.Equal(again, b) {
				t.Errorf("frame %d: re-encrypted packet differs from the capture\n got %x\nwant %x", d.N, again, b)
				continue
			}
			if rtcp {
				reRTCP++
			} else {
				reRTP++
			}
		}
		if nRTP+nRTCP == 0 {
			t.Skipf("no SRTP or SRTCP in the session (sections %+v): nothing to authenticate", s.Roles.Sections)
		}
		if !s.HasTruth {
			t.Logf("no truth.json: %d/%d SRTP and %d/%d SRTCP authenticated, counts not compared", okRTP, nRTP, okRTCP, nRTCP)
		}
		tc := s.Truth.Counts
		if okRTP != nRTP || okRTCP != nRTCP {
			t.Errorf("authenticated %d/%d SRTP and %d/%d SRTCP: want all", okRTP, nRTP, okRTCP, nRTCP)
		}
		if s.HasTruth && (nRTP != tc.SRTP || okRTP != tc.SRTPOK || nRTCP != tc.SRTCP || okRTCP != tc.SRTCPOK) {
			t.Errorf("SRTP %d/%d ok, SRTCP %d/%d ok; truth.json: SRTP %d/%d, SRTCP %d/%d",
				okRTP, nRTP, okRTCP, nRTCP, tc.SRTPOK, tc.SRTP, tc.SRTCPOK, tc.SRTCP)
		}
		if s.HasTruth && !maps.Equal(streams, s.Truth.RTPStreams) {
			t.Errorf("authenticated packets per SSRC/PT %v, truth.json %v", streams, s.Truth.RTPStreams)
		}
		if reRTP != okRTP || reRTCP != okRTCP {
			t.Errorf("re-encryption reproduced %d/%d SRTP and %d/%d SRTCP packets", reRTP, okRTP, reRTCP, okRTCP)
		}
		t.Logf("%v: %d SRTP and %d SRTCP packets authenticated and re-encrypted byte for byte; %d reused indices refused as replays",
			profile, okRTP, okRTCP, replays)
	}
}

// TestCorpusCorruptedByteFailsAuth: one flipped bit anywhere in a captured
// SRTP or SRTCP packet (header, payload, SRTCP index or tag) makes
// authentication fail with the keys that verify the original (RFC 3711
// §3.3, §3.4; RFC 7714 §9), in both directions of every session.
func TestCorpusCorruptedByteFailsAuth(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		profile := srtp.Profile(s.SRTPProfile)
		var tried [2]int // by direction: from the DTLS client, from the server
		for _, d := range s.Datagrams {
			b := d.Payload
			if len(b) < 12 || b[0] < 128 || b[0] > 191 {
				continue
			}
			dir := 1
			if s.FromDTLSClient(d) {
				dir = 0
			}
			if tried[dir] >= 20 {
				continue // twenty packets per direction are plenty
			}
			isRTCP := b[1]&0x7f >= 64 && b[1]&0x7f <= 95
			key, salt := s.SRTPKeys(d)
			decrypt := func(p []byte) error {
				c, err := srtp.NewContext(profile, key, salt)
				if err != nil {
					t.Fatal(err)
				}
				if isRTCP {
					_, err = c.DecryptRTCP(p)
				} else {
					_, err = c.DecryptRTP(p)
				}
				return err
			}
			if err := decrypt(bytes.Clone(b)); err != nil {
				t.Fatalf("frame %d: the uncorrupted packet fails: %v", d.N, err)
			}
			for _, i := range []int{1, 4, 9, len(b) / 2, len(b) - 5, len(b) - 1} {
				bad := bytes.Clone(b)
				bad[i] ^= 0x40
				if err := decrypt(bad); err == nil {
					t.Errorf("frame %d: byte %d of %d flipped and the packet still authenticates", d.N, i, len(b))
				}
			}
			tried[dir]++
		}
		if tried[0]+tried[1] == 0 {
			t.Skip("no SRTP or SRTCP in the session")
		}
		if tried[0] == 0 || tried[1] == 0 {
			t.Logf("only one direction carries SRTP/SRTCP: %d from the DTLS client, %d from the server", tried[0], tried[1])
		}
	})
}
