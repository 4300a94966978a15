package transport

import (
	"bytes"
	"io"
	"log/slog"
	"net/netip"
	"testing"
)

// FuzzRoute feeds arbitrary datagrams through the demultiplexer, from a
// bound and from an unknown address: nothing may panic, and every datagram
// is either delivered or counted as exactly one drop.
func FuzzRoute(f *testing.F) {
	f.Add([]byte{0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, true)
	f.Add([]byte{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff}, true)
	f.Add([]byte{0x80, 0xc8, 0, 6, 1, 2, 3, 4}, false)
	f.Add([]byte{0x90, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, true)
	f.Add([]byte{}, false)
	m, err := Listen(Config{Addr: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		f.Fatal(err)
	}
	defer m.Close()
	p, err := m.AddPeer("fuzz", discardHandler{})
	if err != nil {
		f.Fatal(err)
	}
	bound := netip.MustParseAddrPort("127.0.0.1:9")
	p.Select(bound)
	unknown := netip.MustParseAddrPort("127.0.0.1:10")
	f.Fuzz(func(t *testing.T, b []byte, fromBound bool) {
		from := unknown
		if fromBound {
			from = bound
		}
		total := func() uint64 {
			var n uint64
			for r := DropReason(0); r < numDropReasons; r++ {
				n += m.Counters.Drops(r)
			}
			return n + m.Counters.STUN.Load() + m.Counters.DTLS.Load() + m.Counters.RTP.Load() + m.Counters.RTCP.Load()
		}
		before := total()
		in := bytes.Clone(b)
		m.route(b, from)
		after := total()
		// A STUN message handed to the peer and then rejected counts twice.
		if d := after - before; d != 1 && d != 2 {
			t.Fatalf("datagram %x changed the counters by %d", in, d)
		}
		if !bytes.Equal(in, b) {
			t.Fatal("route modified the datagram")
		}
		// Drain the DTLS queue so it never fills.
		for {
			select {
			case d := <-p.conn.queue:
				m.putDatagram(d)
				continue
			default:
			}
			break
		}
	})
}

func FuzzParseFingerprint(f *testing.F) {
	c := Fingerprint{Hash: HashSHA256, Value: bytes.Repeat([]byte{0x5a}, 32)}
	f.Add(c.String())
	f.Add("sha-1 00:11:22")
	f.Add("SHA-512 " + string(bytes.Repeat([]byte("AB:"), 63)) + "AB")
	f.Fuzz(func(t *testing.T, s string) {
		fp, err := ParseFingerprint(s)
		if err != nil {
			return
		}
		again, err := ParseFingerprint(fp.String())
		if err != nil || again.Hash != fp.Hash || !bytes.Equal(again.Value, fp.Value) {
			t.Fatalf("%q -> %q does not parse back: %v", s, fp.String(), err)
		}
	})
}

// discardHandler accepts STUN whose first byte is even and drops the rest.
type discardHandler struct{}

func (discardHandler) HandleSTUN(msg []byte, _ netip.AddrPort) STUNVerdict {
	if msg[len(msg)-1]%2 == 0 {
		return STUNAccepted
	}
	return STUNRejected
}
func (discardHandler) HandleRTP([]byte, netip.AddrPort)  {}
func (discardHandler) HandleRTCP([]byte, netip.AddrPort) {}
