package conformance_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/tsharktest"
)

// pcapngSample is a handful of datagrams over IPv4 and IPv6 with payloads
// of every padding remainder.
func pcapngSample() []conformance.Datagram {
	t0 := time.Date(2026, 12, 4, 6, 0, 0, 123456789, time.UTC)
	a4, b4 := netip.MustParseAddrPort("127.0.0.1:5000"), netip.MustParseAddrPort("127.0.0.2:6000")
	a6, b6 := netip.MustParseAddrPort("[::1]:7000"), netip.MustParseAddrPort("[fe80::1]:8000")
	var ds []conformance.Datagram
	for i := range 8 {
		src, dst := a4, b4
		if i%2 == 1 {
			src, dst = b6, a6
		}
		ds = append(ds, conformance.Datagram{Time: t0.Add(time.Duration(i) * 1500 * time.Microsecond), Src: src, Dst: dst, Payload: bytes.Repeat([]byte{byte(0x80 + i)}, 13+i)})
	}
	return ds
}

// What PcapngWriter writes, ParseCapture reads back: the same addresses,
// payloads and nanosecond timestamps, numbered from 1.
func TestPcapngWriterRoundTrip(t *testing.T) {
	want := pcapngSample()
	var buf bytes.Buffer
	w, err := conformance.NewPcapngWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range want {
		if err := w.WriteDatagram(d); err != nil {
			t.Fatal(err)
		}
	}
	if w.Frames() != len(want) {
		t.Errorf("Frames() = %d, want %d", w.Frames(), len(want))
	}
	all, err := conformance.AppendPcapng(nil, want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(all, buf.Bytes()) {
		t.Error("AppendPcapng and PcapngWriter wrote different files")
	}
	got, stats, err := conformance.ParseCapture(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if stats.Format != "pcapng" || len(got) != len(want) || len(stats.Skipped) != 0 {
		t.Fatalf("read %d datagrams (%+v), want %d", len(got), stats, len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.N != i+1 || g.Src != w.Src || g.Dst != w.Dst || !bytes.Equal(g.Payload, w.Payload) || !g.Time.Equal(w.Time) {
			t.Errorf("frame %d: got %v %v->%v %x, want %v %v->%v %x", i+1, g.Time, g.Src, g.Dst, g.Payload, w.Time, w.Src, w.Dst, w.Payload)
		}
	}
	// IPv4 and IPv6 in one datagram cannot be written.
	bad := conformance.Datagram{Src: netip.MustParseAddrPort("127.0.0.1:1"), Dst: netip.MustParseAddrPort("[::1]:2"), Payload: []byte{1}}
	if err := w.WriteDatagram(bad); err == nil {
		t.Error("a datagram mixing IPv4 and IPv6 was written")
	}
}

// tshark reads the file too, with the same ports and payload lengths.
func TestPcapngWriterTshark(t *testing.T) {
	tshark := tsharktest.Path(t, "pcapng writer cross-check")
	want := pcapngSample()
	b, err := conformance.AppendPcapng(nil, want)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "w.pcapng")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tshark, "-r", p, "-T", "fields", "-e", "frame.time_epoch", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.length").Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(want) {
		t.Fatalf("tshark read %d frames, want %d:\n%s", len(lines), len(want), out)
	}
	for i, l := range lines {
		f := strings.Fields(l)
		d := want[i]
		if len(f) != 4 || f[1] != itoa(int(d.Src.Port())) || f[2] != itoa(int(d.Dst.Port())) || f[3] != itoa(8+len(d.Payload)) {
			t.Errorf("frame %d: tshark says %q, want ports %d->%d, UDP length %d", i+1, l, d.Src.Port(), d.Dst.Port(), 8+len(d.Payload))
		}
		if f[0] != fmt.Sprintf("%d.%09d", d.Time.Unix(), d.Time.Nanosecond()) {
			t.Errorf("frame %d: tshark time %s, want %d.%09d", i+1, f[0], d.Time.Unix(), d.Time.Nanosecond())
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
