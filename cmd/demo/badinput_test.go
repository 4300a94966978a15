package main

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/internal/browsertest"
)

// TestBadInputWhileMediaFlows injects malformed and hostile datagrams into
// the SFU's media port while Chromium publishes to Chromium, and checks
// that each is counted where it should be and that the player keeps
// receiving and decoding.
func TestBadInputWhileMediaFlows(t *testing.T) {
	t.Parallel() // browser tests mostly wait (start-up, timers); running them together keeps the package short
	browsertest.Require(t, browsertest.Chromium)
	r := newRig(t, "127.0.0.1")
	before := r.publishAndPlay(t, browsertest.Chromium, browsertest.Chromium, "bad")
	var playerUfrag string
	r.col.WaitKind(t, time.Second, "session", func(rep browsertest.Report) bool {
		var s struct{ Role, Ufrag string }
		if rep.Decode(&s) == nil && s.Role == "play" {
			playerUfrag = s.Ufrag
			return true
		}
		return false
	})

	media := r.srv.MediaAddr()
	// A scripted client with its own session: ICE and DTLS done from a
	// socket the SFU authenticated, so its bad SRTP reaches the SRTP layer.
	fake := newFakePeer(t, r.url, "bad-fake", media)
	fake.connect(t)

	attacker, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(media.Addr(), 0)))
	if err != nil {
		t.Fatal(err)
	}
	defer attacker.Close()
	inject := func(b []byte) {
		if _, err := attacker.WriteToUDPAddrPort(b, media); err != nil {
			t.Fatal(err)
		}
	}
	s0 := r.srv.Stats()

	big := make([]byte, 4000)
	big[0] = 0x80
	for i := 0; i < 5; i++ {
		inject([]byte{0x80, 0x60, 0, 1})                                              // truncated RTP
		inject([]byte{0x00, 0x01, 0x00})                                              // truncated STUN
		inject([]byte{0x16, 0xfe})                                                    // truncated DTLS
		inject(big)                                                                   // oversized
		inject([]byte{0xff, 1, 2, 3, 4, 5, 6, 7})                                     // garbage: first byte in no RFC 7983 range
		inject([]byte{0x50, 0, 0, 0, 0, 0, 0, 0})                                     // garbage: 64..127 (TURN channel) not served
		inject(bindingRequest(playerUfrag+":evil", "not-the-password-at-all!", true)) // the player's ufrag, wrong MESSAGE-INTEGRITY
		inject(bindingRequest("nosuchufrag:evil", "whatever-whatever-whatever", false))
		inject(append([]byte{0x16, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, make([]byte, 40)...)) // DTLS record from an address no check came from
		inject(fake.nextRTP(t))                                                                     // valid SRTP, but from the wrong address
		// From the authenticated fake peer: a valid packet, its replay,
		// and one whose authentication tag is broken.
		p := fake.nextRTP(t)
		fake.send(t, p)
		fake.send(t, p)
		bad := fake.nextRTP(t)
		bad[len(bad)-1] ^= 0xff
		fake.send(t, bad)
	}

	// Every kind of bad input moved its counter.
	want := map[string]uint64{
		"drop.truncated":       15,
		"drop.oversized":       5,
		"drop.unknown-class":   10,
		"drop.stun-auth":       5,
		"drop.unknown-ufrag":   5,
		"drop.unknown-address": 10,
		"srtp.replay":          5,
		"srtp.auth":            5,
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		s1 := r.srv.Stats()
		missing := ""
		for k, n := range want {
			if got := s1[k] - s0[k]; got < n {
				missing += k + " "
			}
		}
		if missing == "" {
			for k := range want {
				t.Logf("%s: +%d", k, s1[k]-s0[k])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("counters that did not move enough: %s\nbefore %v\nafter  %v", missing, s0, s1)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Media keeps flowing to the player: packets and decoded frames grow.
	a0, v0 := before.Stats["inbound-rtp.audio"], before.Stats["inbound-rtp.video"]
	rep := r.col.WaitKind(t, flowTimeout, "stats", func(rep browsertest.Report) bool {
		s := decodeStats(t, rep)
		a, v := s.Stats["inbound-rtp.audio"], s.Stats["inbound-rtp.video"]
		return s.Role == "play" && s.State == "connected" && a.Packets > a0.Packets+50 && v.Packets > v0.Packets+10 && v.FramesDecoded > v0.FramesDecoded+5
	})
	after := decodeStats(t, rep)
	// The scripted peer closes its DTLS connection (close_notify): the SFU
	// ends its session at once, not after the consent timeout.
	sessions := r.srv.Stats()["sessions"]
	fake.dtls.Close()
	// Normally within milliseconds; the ceiling is for a loaded CI machine
	// and stays well below the 30 s consent timeout this must beat.
	for deadline := time.Now().Add(15 * time.Second); r.srv.Stats()["sessions"] != sessions-1; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("sessions = %d 15 s after the fake peer's close_notify, want %d", r.srv.Stats()["sessions"], sessions-1)
		}
	}
	t.Logf("player before: audio %v video %v; after: audio %v video %v",
		a0.Packets, v0.Packets, after.Stats["inbound-rtp.audio"].Packets, after.Stats["inbound-rtp.video"].Packets)
}
