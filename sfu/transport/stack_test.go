package transport

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/sfu/datachannel"
)

// TestDataChannelOverMux runs the whole data path: ICE binding, DTLS
// through the mux in both roles, SCTP, DCEP open/ACK, and an echo of
// string, binary and empty messages on ordered and unordered channels.
func TestDataChannelOverMux(t *testing.T) {
	a := newEndpoint(t, "aaaa", "a-password-0123456789")
	b := newEndpoint(t, "bbbb", "b-password-0123456789")
	connectICE(t, a, b)
	ra, rb := handshake(t, a, b, RoleServer,
		[]Fingerprint{b.mux.Certificate().Fingerprint()},
		[]Fingerprint{a.mux.Certificate().Fingerprint()})
	if ra.err != nil || rb.err != nil {
		t.Fatalf("handshake: a=%v b=%v", ra.err, rb.err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	type res struct {
		a   *datachannel.Association
		err error
	}
	rc := make(chan res, 1)
	go func() {
		// a is the DTLS server: odd stream ids.
		x, err := datachannel.NewAssociation(ctx, ra.s.Conn, datachannel.Config{Role: datachannel.RoleServer})
		rc <- res{x, err}
	}()
	browser, err := datachannel.NewAssociation(ctx, rb.s.Conn, datachannel.Config{Role: datachannel.RoleClient})
	if err != nil {
		t.Fatal(err)
	}
	defer browser.Close()
	r := <-rc
	if r.err != nil {
		t.Fatal(r.err)
	}
	sfu := r.a
	defer sfu.Close()

	// The SFU side echoes whatever the "browser" sends on channels it opens.
	go func() {
		for {
			ch, err := sfu.Accept(context.Background())
			if err != nil {
				return
			}
			go func() {
				buf := make([]byte, 1<<16)
				for {
					n, isString, err := ch.ReadMessage(buf)
					if err != nil {
						return
					}
					if ch.WriteMessage(buf[:n], isString) != nil {
						return
					}
				}
			}()
		}
	}()
	for _, typ := range []datachannel.ChannelType{datachannel.ChannelReliable, datachannel.ChannelReliableUnordered} {
		ch, err := browser.Open("echo-"+typ.String(), datachannel.ChannelOptions{Type: typ})
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 1<<16)
		for _, m := range []struct {
			b []byte
			s bool
		}{{[]byte("text"), true}, {[]byte{9, 8, 7}, false}, {nil, true}, {nil, false}} {
			if err := ch.WriteMessage(m.b, m.s); err != nil {
				t.Fatal(err)
			}
			n, isString, err := readDC(t, ch, buf)
			if err != nil || isString != m.s || !bytes.Equal(buf[:n], m.b) {
				t.Fatalf("%v: echo of %q/%v = %q/%v err %v", typ, m.b, m.s, buf[:n], isString, err)
			}
		}
	}
	// SRTP-looking traffic still flows to the handler next to DTLS.
	rtp := append([]byte{0x80, 0x6f, 0, 7, 0, 0, 0, 9, 0, 0, 0, 1}, make([]byte, 30)...)
	if _, err := b.peer.Write(rtp); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { n, _ := a.ice.counts(); return n == 1 })
}

func readDC(t *testing.T, ch *datachannel.Channel, buf []byte) (int, bool, error) {
	t.Helper()
	type r struct {
		n   int
		s   bool
		err error
	}
	rc := make(chan r, 1)
	go func() {
		n, s, err := ch.ReadMessage(buf)
		rc <- r{n, s, err}
	}()
	select {
	case x := <-rc:
		return x.n, x.s, x.err
	case <-time.After(5 * time.Second):
		t.Fatal("no data channel message in 5 s")
		return 0, false, nil
	}
}
