package bench

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	prtp "github.com/pion/rtp"
	psrtp "github.com/pion/srtp/v3"

	"github.com/plainrtc/plainrtc/srtp"
)

// SRTP: protect (encrypt + tag) and unprotect (verify + decrypt), in place,
// of a real browser packet from the corpus: 100 bytes (an Opus packet, PT
// 111, cut to 100) and 1200 bytes (a VP8 packet, PT 96, its payload
// extended from 1197), both with a 20-byte header (one extension element),
// for AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM, beside the floor
// (srtp_floor_test.go).
//
// Same work on both sides: one context per direction; every op copies the
// clear packet (protect) or the SRTP packet (unprotect) into the work
// buffer, so the input is real plaintext and real ciphertext each time.
// Protect sets a new sequence number per op. Unprotect runs over a ring of
// 1024 consecutive packets; when it wraps, the receiving context is
// replaced with the timer stopped. Both receivers use a 64-packet replay
// window (pion/webrtc's default; pion/srtp alone defaults to none).

var srtpProfiles = []struct {
	name string
	ours srtp.Profile
	pion psrtp.ProtectionProfile
}{
	{"AES_CM_128_HMAC_SHA1_80", srtp.ProfileAES128CMHMACSHA1_80, psrtp.ProtectionProfileAes128CmHmacSha1_80},
	{"AEAD_AES_128_GCM", srtp.ProfileAEADAES128GCM, psrtp.ProtectionProfileAeadAes128Gcm},
}

const replayWindow = 64

func srtpKeys(p srtp.Profile) (key, salt []byte) {
	key = make([]byte, p.KeyLen())
	salt = make([]byte, p.SaltLen())
	for i := range key {
		key[i] = byte(0x11 * (i + 1))
	}
	for i := range salt {
		salt[i] = byte(0xA0 + i)
	}
	return key, salt
}

// benchPacket returns a browser RTP packet of the corpus without padding,
// size bytes long: for 100, the first packet under 200 bytes (audio) that
// is at least 100, cut to 100; otherwise the longest packet (VP8 video; the
// captures top out at 1197 bytes), cut to size or with its payload extended
// by repeating its own bytes.
func benchPacket(tb testing.TB, size int) []byte {
	var best []byte
	for _, in := range loadCorpus(tb).rtp {
		p := in.clear
		if p[0]&0x20 != 0 || rtpHeaderLen(p) >= 100 {
			continue
		}
		if size <= 100 && len(p) >= size && len(p) < 200 {
			return bytes.Clone(p[:size])
		}
		if len(p) > len(best) {
			best = p
		}
	}
	if size <= 100 || best == nil {
		tb.Fatalf("no corpus RTP packet for size %d", size)
	}
	out := bytes.Clone(best)
	for len(out) < size {
		out = append(out, out[rtpHeaderLen(best)+len(out)%64])
	}
	return out[:size]
}

func newOurs(tb testing.TB, p srtp.Profile) *srtp.Context {
	key, salt := srtpKeys(p)
	c, err := srtp.NewContext(p, key, salt, srtp.WithReplayWindow(replayWindow))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func newPion(tb testing.TB, p srtp.Profile, pp psrtp.ProtectionProfile) *psrtp.Context {
	key, salt := srtpKeys(p)
	c, err := psrtp.CreateContext(key, salt, pp,
		psrtp.SRTPReplayProtection(replayWindow), psrtp.SRTCPReplayProtection(replayWindow))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// Both implementations and the floor produce the same SRTP packet from the
// benchmark packets, and each unprotects the others' output back to the
// clear packet.
func TestSRTPBenchPacketsAgree(t *testing.T) {
	for _, sp := range srtpProfiles {
		for _, size := range []int{100, 1200} {
			plain := benchPacket(t, size)
			over := sp.ours.RTPOverhead()
			ours, err := newOurs(t, sp.ours).EncryptRTP(nil, plain)
			if err != nil {
				t.Fatal(err)
			}
			pion, err := newPion(t, sp.ours, sp.pion).EncryptRTP(nil, plain, nil)
			if err != nil {
				t.Fatal(err)
			}
			key, salt := srtpKeys(sp.ours)
			fl := newFloor(sp.ours, key, salt)
			hl := rtpHeaderLen(plain)
			fb := append(make([]byte, 0, size+over), plain...)
			fo := fl.protect(fb, hl)
			if !bytes.Equal(ours, pion) || !bytes.Equal(ours, fo) || len(ours) != size+over {
				t.Errorf("%s/%d: protected packets differ:\nplainrtc %x\npion     %x\nfloor    %x", sp.name, size, ours, pion, fo)
			}
			if got, err := newOurs(t, sp.ours).DecryptRTP(bytes.Clone(pion)); err != nil || !bytes.Equal(got, plain) {
				t.Errorf("%s/%d: plainrtc unprotects pion's packet: %v", sp.name, size, err)
			}
			if got, err := newPion(t, sp.ours, sp.pion).DecryptRTP(nil, ours, nil); err != nil || !bytes.Equal(got, plain) {
				t.Errorf("%s/%d: pion unprotects plainrtc's packet: %v", sp.name, size, err)
			}
			if got, ok := fl.unprotect(bytes.Clone(ours), hl); !ok || !bytes.Equal(got, plain) {
				t.Errorf("%s/%d: floor unprotects plainrtc's packet: %v", sp.name, size, ok)
			}
			bad := bytes.Clone(ours)
			bad[size/2] ^= 1
			if _, err := newOurs(t, sp.ours).DecryptRTP(bytes.Clone(bad)); err == nil {
				t.Errorf("%s/%d: plainrtc accepts a tampered packet", sp.name, size)
			}
			if _, err := newPion(t, sp.ours, sp.pion).DecryptRTP(nil, bad, nil); err == nil {
				t.Errorf("%s/%d: pion accepts a tampered packet", sp.name, size)
			}
		}
	}
}

// Every captured SRTP and SRTCP packet decrypts with pion/srtp to the same
// clear bytes plainrtc's srtp gives (corpus_test.go decrypts with ours).
func TestSRTPCorpusAgreesWithPion(t *testing.T) {
	c := loadCorpus(t)
	rtpAt := map[string][]byte{}
	for _, in := range append(append([]rtpInput{}, c.rtp...), c.rtcp...) {
		rtpAt[fmt.Sprint(in.session, in.frame)] = in.clear
	}
	var n int
	for _, s := range c.sessions {
		pp := psrtp.ProtectionProfile(s.SRTPProfile)
		ctxs := map[string]*psrtp.Context{}
		for _, d := range s.Datagrams {
			b := d.Payload
			if len(b) < 2 || b[0] < 128 || b[0] > 191 {
				continue
			}
			key, salt := s.SRTPKeys(d)
			ctx := ctxs[string(key)]
			if ctx == nil {
				var err error
				if ctx, err = psrtp.CreateContext(key, salt, pp); err != nil {
					t.Fatal(err)
				}
				ctxs[string(key)] = ctx
			}
			var got []byte
			var err error
			if pt := b[1] & 0x7f; pt >= 64 && pt <= 95 {
				got, err = ctx.DecryptRTCP(nil, b, nil)
			} else {
				got, err = ctx.DecryptRTP(nil, b, nil)
			}
			want := rtpAt[fmt.Sprint(s.Name, d.N)]
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s frame %d: pion %v, clear bytes equal: %v", s.Name, d.N, err, bytes.Equal(got, want))
			}
			n++
		}
	}
	if n != len(c.rtp)+len(c.rtcp) {
		t.Errorf("pion decrypted %d packets, plainrtc %d", n, len(c.rtp)+len(c.rtcp))
	}
}

func BenchmarkSRTPProtect(b *testing.B) {
	for _, sp := range srtpProfiles {
		for _, size := range []int{100, 1200} {
			plain := benchPacket(b, size)
			over := sp.ours.RTPOverhead()
			name := fmt.Sprintf("%s/%d/", sp.name, size)
			b.Run(name+"plainrtc", func(b *testing.B) {
				c := newOurs(b, sp.ours)
				buf := make([]byte, size, size+over)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				defer meterCPU().report(b)
				for i := 0; b.Loop(); i++ {
					copy(buf, plain)
					binary.BigEndian.PutUint16(buf[2:], uint16(i))
					if _, err := c.EncryptRTP(buf[:0], buf); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(name+"pion", func(b *testing.B) {
				c := newPion(b, sp.ours, sp.pion)
				buf := make([]byte, size, size+over)
				var h prtp.Header
				b.SetBytes(int64(size))
				b.ReportAllocs()
				defer meterCPU().report(b)
				for i := 0; b.Loop(); i++ {
					copy(buf, plain)
					binary.BigEndian.PutUint16(buf[2:], uint16(i))
					if _, err := c.EncryptRTP(buf, buf, &h); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(name+"floor", func(b *testing.B) {
				key, salt := srtpKeys(sp.ours)
				f := newFloor(sp.ours, key, salt)
				hl := rtpHeaderLen(plain)
				buf := make([]byte, size, size+over)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				defer meterCPU().report(b)
				for i := 0; b.Loop(); i++ {
					copy(buf, plain)
					binary.BigEndian.PutUint16(buf[2:], uint16(i))
					f.protect(buf, hl)
				}
			})
		}
	}
}

// srtpRing is 1024 consecutive packets (sequence numbers 0..1023) protected
// with the benchmark keys.
func srtpRing(tb testing.TB, p srtp.Profile, plain []byte) [][]byte {
	tx := newOurs(tb, p)
	ring := make([][]byte, 1024)
	for i := range ring {
		pkt := bytes.Clone(plain)
		binary.BigEndian.PutUint16(pkt[2:], uint16(i))
		var err error
		if ring[i], err = tx.EncryptRTP(nil, pkt); err != nil {
			tb.Fatal(err)
		}
	}
	return ring
}

func BenchmarkSRTPUnprotect(b *testing.B) {
	for _, sp := range srtpProfiles {
		for _, size := range []int{100, 1200} {
			plain := benchPacket(b, size)
			ring := srtpRing(b, sp.ours, plain)
			name := fmt.Sprintf("%s/%d/", sp.name, size)
			b.Run(name+"plainrtc", func(b *testing.B) {
				c := newOurs(b, sp.ours)
				work := make([]byte, len(ring[0]))
				b.SetBytes(int64(size))
				b.ReportAllocs()
				cpu := meterCPU()
				defer cpu.report(b)
				for i := 0; b.Loop(); i++ {
					j := i % len(ring)
					if j == 0 && i > 0 {
						cpu.pause()
						b.StopTimer()
						c = newOurs(b, sp.ours)
						b.StartTimer()
						cpu.resume()
					}
					copy(work, ring[j])
					if _, err := c.DecryptRTP(work); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(name+"pion", func(b *testing.B) {
				c := newPion(b, sp.ours, sp.pion)
				work := make([]byte, len(ring[0]))
				var h prtp.Header
				b.SetBytes(int64(size))
				b.ReportAllocs()
				cpu := meterCPU()
				defer cpu.report(b)
				for i := 0; b.Loop(); i++ {
					j := i % len(ring)
					if j == 0 && i > 0 {
						cpu.pause()
						b.StopTimer()
						c = newPion(b, sp.ours, sp.pion)
						b.StartTimer()
						cpu.resume()
					}
					copy(work, ring[j])
					if _, err := c.DecryptRTP(work, work, &h); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(name+"floor", func(b *testing.B) {
				key, salt := srtpKeys(sp.ours)
				f := newFloor(sp.ours, key, salt)
				hl := rtpHeaderLen(plain)
				work := make([]byte, len(ring[0]))
				b.SetBytes(int64(size))
				b.ReportAllocs()
				defer meterCPU().report(b)
				for i := 0; b.Loop(); i++ {
					copy(work, ring[i%len(ring)])
					if _, ok := f.unprotect(work, hl); !ok {
						b.Fatal("floor: tag mismatch")
					}
				}
			})
		}
	}
}
