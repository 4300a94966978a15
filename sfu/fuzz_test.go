package sfu

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

// FuzzParseOffer: any body POSTed to WHIP/WHEP is parsed and, when it
// parses, planned and answered — never a panic.
func FuzzParseOffer(f *testing.F) {
	f.Add([]byte(chromeOffer))
	f.Add([]byte(subscriberOffer()))
	f.Add([]byte(strings.ReplaceAll(chromeOffer, "\r\n", "\n")))
	f.Add([]byte("v=0\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := parseOffer(b)
		if err != nil {
			return
		}
		e := newRoom("r", slog.New(slog.DiscardHandler))
		now := time.Unix(0, 0)
		for _, add := range []func(string, *offer, time.Time) (*peer, []answerMedia, error){e.addPublisher, e.addSubscriber} {
			if _, media, err := add("p", o, now); err == nil {
				_, _ = writeAnswer(o, testParams, media, publishExtensions)
			}
		}
	})
}

// FuzzRoomInput: whatever a peer sends after decryption (SRTP only
// authenticates, it does not validate), the room counts or forwards it
// and never panics.
func FuzzRoomInput(f *testing.F) {
	f.Add([]byte{0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0x07, 0xd1, 0x10, 0, 0x9d}, false, false)
	f.Add([]byte{0x81, 0xce, 0, 2, 0, 0, 0, 1, 0, 0, 0x07, 0xd1}, true, true)
	f.Add([]byte{0x81, 0xcd, 0, 3, 0, 0, 0, 1, 0, 0, 0x07, 0xd1, 0, 5, 0, 3}, true, true)
	f.Fuzz(func(t *testing.T, b []byte, isRTCP, fromSub bool) {
		e, pub, sub, now := setupRoom(t)
		from := pub
		if fromSub {
			from = sub
		}
		if isRTCP {
			e.handleRTCP(from, b, now)
		} else {
			e.handleRTP(from, b, now)
		}
		e.tick(now.Add(2 * time.Second))
		drainAll(e)
	})
}
