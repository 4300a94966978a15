package srtp

import (
	"encoding/binary"
	"testing"
)

// The packet path allocates nothing after an SSRC's first packet: protect,
// unprotect, and refusing forged and replayed packets, for SRTP and SRTCP,
// with RFC 6904 header encryption on.
func TestZeroAllocations(t *testing.T) {
	for _, p := range testProfiles {
		t.Run(p.String(), func(t *testing.T) {
			tx, rx := pair(t, p, WithEncryptedHeaderExtensions(1))
			pkt := rtpWithExtension(0xBEDE, []byte{0x11, 1, 2}, 0)
			n := len(pkt)
			buf := make([]byte, n, n+p.RTPOverhead())
			work := make([]byte, n+p.RTPOverhead())
			rtcp := make([]byte, 28, 28+p.RTCPOverhead())
			rwork := make([]byte, 28+p.RTCPOverhead())
			rtcpPlain := testRTCP(7)
			seq := uint16(0)
			step := func() {
				copy(buf, pkt)
				binary.BigEndian.PutUint16(buf[2:4], seq)
				seq++
				out, err := tx.EncryptRTP(buf[:0], buf)
				if err != nil {
					t.Fatal(err)
				}
				copy(work, out)
				if _, err := rx.DecryptRTP(work); err != nil {
					t.Fatal(err)
				}
				copy(work, out)
				if _, err := rx.DecryptRTP(work); err != ErrReplayed {
					t.Fatal(err)
				}
				copy(work, out)
				work[len(work)-1] ^= 1
				binary.BigEndian.PutUint16(work[2:4], seq+5)
				if _, err := rx.DecryptRTP(work); err != ErrAuthFailed {
					t.Fatal(err)
				}
				copy(rtcp, rtcpPlain)
				rout, err := tx.EncryptRTCP(rtcp[:0], rtcp)
				if err != nil {
					t.Fatal(err)
				}
				copy(rwork, rout)
				if _, err := rx.DecryptRTCP(rwork); err != nil {
					t.Fatal(err)
				}
				copy(rwork, rout)
				rwork[9] ^= 1
				if _, err := rx.DecryptRTCP(rwork); err != ErrAuthFailed && err != ErrReplayed {
					t.Fatal(err)
				}
			}
			step() // first packet of each SSRC creates its state
			if a := testing.AllocsPerRun(200, step); a != 0 {
				t.Fatalf("%v allocations per packet round", a)
			}
		})
	}
}
