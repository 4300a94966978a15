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
// (libsrtp's) and the answerer's (pion's).
func TestCorpus(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		profile := srtp.Profile(s.SRTPProfile)
		if profile.String() != s.Truth.SRTPProfile {
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
			if d.Src == s.DTLSClient {
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
		tc := s.Truth.Counts
		if nRTP != tc.SRTP || okRTP != tc.SRTPOK || nRTCP != tc.SRTCP || okRTCP != tc.SRTCPOK {
			t.Errorf("SRTP %d/%d ok, SRTCP %d/%d ok; truth.json: SRTP %d/%d, SRTCP %d/%d",
				okRTP, nRTP, okRTCP, nRTCP, tc.SRTPOK, tc.SRTP, tc.SRTCPOK, tc.SRTCP)
		}
		if !maps.Equal(streams, s.Truth.RTPStreams) {
			t.Errorf("authenticated packets per SSRC/PT %v, truth.json %v", streams, s.Truth.RTPStreams)
		}
		if reRTP != okRTP || reRTCP != okRTCP {
			t.Errorf("re-encryption reproduced %d/%d SRTP and %d/%d SRTCP packets", reRTP, okRTP, reRTCP, okRTCP)
		}
		t.Logf("%v: %d SRTP and %d SRTCP packets authenticated and re-encrypted byte for byte; %d reused indices refused as replays",
			profile, okRTP, okRTCP, replays)
	})
}
