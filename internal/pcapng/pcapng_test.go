package pcapng_test

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/pcapng"
	"github.com/plainrtc/plainrtc/internal/tsharktest"
)

type dg struct {
	t        time.Time
	src, dst netip.AddrPort
	payload  []byte
}

func sample() []dg {
	t0 := time.Date(2026, 12, 4, 6, 0, 0, 123456789, time.UTC)
	v4a, v4b := netip.MustParseAddrPort("127.0.0.1:50000"), netip.MustParseAddrPort("192.0.2.7:61234")
	v6a, v6b := netip.MustParseAddrPort("[::1]:50000"), netip.MustParseAddrPort("[2001:db8::5]:4444")
	return []dg{
		{t0, v4b, v4a, []byte{0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
		{t0.Add(time.Millisecond), v4a, v4b, []byte{0x80, 0x60, 0, 1, 0, 0, 0, 9, 0, 0, 0, 7, 0xaa}}, // odd length
		{t0.Add(2 * time.Millisecond), v6b, v6a, bytes.Repeat([]byte{22}, 101)},
		{t0.Add(3 * time.Millisecond), netip.MustParseAddrPort("[::ffff:10.0.0.1]:1"), v4a, nil},
	}
}

func capture(t *testing.T, comment string) []byte {
	t.Helper()
	b := pcapng.AppendSectionHeader(nil, comment)
	b = pcapng.AppendInterface(b, pcapng.LinkTypeRaw, "plainrtc")
	for _, d := range sample() {
		f, err := pcapng.AppendIPUDP(nil, d.src, d.dst, d.payload)
		if err != nil {
			t.Fatal(err)
		}
		n := len(b)
		b = pcapng.AppendPacket(b, 0, d.t, f)
		if len(b)-n != pcapng.PacketSize(len(f)) {
			t.Fatalf("PacketSize(%d) = %d, block is %d bytes", len(f), pcapng.PacketSize(len(f)), len(b)-n)
		}
	}
	return b
}

// TestReadBack: conformance's reader gets back every datagram: addresses,
// nanosecond times and payloads; each UDP checksum verifies (RFC 1071 sum
// over the pseudo-header and datagram is all ones).
func TestReadBack(t *testing.T) {
	got, stats, err := conformance.ParseCapture(capture(t, "truncated: test"))
	if err != nil {
		t.Fatal(err)
	}
	want := sample()
	if len(got) != len(want) || stats.Format != "pcapng" {
		t.Fatalf("%d datagrams (%s), want %d pcapng", len(got), stats.Format, len(want))
	}
	for i, w := range want {
		g := got[i]
		src := netip.AddrPortFrom(w.src.Addr().Unmap(), w.src.Port())
		if g.Src != src || g.Dst != w.dst || !g.Time.Equal(w.t) || !bytes.Equal(g.Payload, w.payload) {
			t.Errorf("datagram %d: %v %v>%v %x, want %v %v>%v %x", i, g.Time, g.Src, g.Dst, g.Payload, w.t, src, w.dst, w.payload)
		}
	}
	f, _ := pcapng.AppendIPUDP(nil, want[2].src, want[2].dst, want[2].payload)
	var sum uint32
	s16, d16 := want[2].src.Addr().As16(), want[2].dst.Addr().As16()
	words := append(append(append([]byte{}, s16[:]...), d16[:]...), f[40:]...)
	if len(words)%2 == 1 {
		words = append(words, 0)
	}
	for i := 0; i < len(words); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(words[i:]))
	}
	sum += 17 + uint32(len(f)-40)
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	if sum != 0xffff {
		t.Errorf("IPv6 UDP checksum does not verify: sum %#x", sum)
	}
	if _, err := pcapng.AppendIPUDP(nil, want[0].src, want[2].dst, nil); err == nil {
		t.Error("mixed families accepted")
	}
}

// TestTshark: Wireshark's dissectors read the file: every frame is UDP
// with the right ports, checksums verify, and the section comment shows.
func TestTshark(t *testing.T) {
	tshark := tsharktest.Path(t, "pcapng writer against tshark")
	p := filepath.Join(t.TempDir(), "w.pcapng")
	if err := os.WriteFile(p, capture(t, "plainrtc recorder: truncated"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tshark, "-r", p, "-o", "udp.check_checksum:TRUE", "-T", "fields",
		"-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.checksum.status", "-e", "frame.time_epoch").Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(sample()) {
		t.Fatalf("tshark read %d frames: %s", len(lines), out)
	}
	for i, d := range sample() {
		f := strings.Split(lines[i], "\t")
		// udp.checksum.status 1 is PROTO_CHECKSUM_E_GOOD.
		if len(f) < 4 || f[0] != strconv.Itoa(int(d.src.Port())) || f[1] != strconv.Itoa(int(d.dst.Port())) || f[2] != "1" {
			t.Errorf("frame %d: tshark says %q", i+1, lines[i])
		}
		if !strings.HasPrefix(f[3], "1796364000.") {
			t.Errorf("frame %d: time %s", i+1, f[3])
		}
	}
	capinfos, err := exec.LookPath("capinfos")
	if err != nil {
		t.Logf("capinfos not installed: the section comment is not checked with it")
		return
	}
	if info, err := exec.Command(capinfos, p).Output(); err != nil || !strings.Contains(string(info), "plainrtc recorder: truncated") {
		t.Errorf("capinfos shows no section comment (%v):\n%s", err, info)
	}
}
